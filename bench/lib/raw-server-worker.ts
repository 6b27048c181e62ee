/**
 * The raw wire server in a worker thread, driven by messages:
 *   { op: 'reply', functionId, code, desc, json }  canned REPLY for a function
 *   { op: 'prepare', key, frames }                  keep prebuilt frames
 *   { op: 'blast', key, seq }                       write them; answers { seq } (message ids are then
 *                                                   re-stamped, so the next blast of the key has new ones)
 *   { op: 'calls', seq }                            answers { seq, calls }
 * Posts { port } once listening.
 */
import { parentPort } from 'node:worker_threads';
import { RawWireServer, serialOffsets, stampSerial } from './raw-server.js';

type Request =
  | { op: 'reply'; functionId: number; code: number; desc: string; json: string }
  | { op: 'prepare'; key: string; frames: Uint8Array }
  | { op: 'blast'; key: string; seq: number }
  | { op: 'calls'; seq: number }
  | { op: 'close' };

const server = new RawWireServer();
const prepared = new Map<string, { frames: Buffer; offsets: number[]; serial: number }>();
const port = await server.listen();
parentPort!.postMessage({ port });

parentPort!.on('message', (m: Request) => {
  switch (m.op) {
    case 'reply':
      server.replies.set(m.functionId, { code: m.code, desc: m.desc, json: m.json });
      break;
    case 'prepare': {
      const frames = Buffer.from(m.frames.buffer, m.frames.byteOffset, m.frames.byteLength);
      prepared.set(m.key, { frames, offsets: serialOffsets(frames), serial: 0 });
      break;
    }
    case 'blast': {
      const p = prepared.get(m.key)!;
      server.blast(p.frames).then(
        () => {
          stampSerial(p.frames, p.offsets, ++p.serial); // outside the timed window: the client counts what it got
          parentPort!.postMessage({ seq: m.seq });
        },
        (e: unknown) => parentPort!.postMessage({ seq: m.seq, error: String(e) }),
      );
      break;
    }
    case 'calls':
      parentPort!.postMessage({ seq: m.seq, calls: server.calls });
      break;
    case 'close':
      server.close();
      parentPort!.close();
      break;
  }
});
