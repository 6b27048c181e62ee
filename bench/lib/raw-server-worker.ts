/**
 * The raw wire server in a worker thread, driven by messages:
 *   { op: 'reply', functionId, code, desc, json }  canned REPLY for a function
 *   { op: 'prepare', key, frames }                  keep prebuilt frames
 *   { op: 'blast', key, seq }                       write them; answers { seq }
 *   { op: 'calls', seq }                            answers { seq, calls }
 * Posts { port } once listening.
 */
import { parentPort } from 'node:worker_threads';
import { RawWireServer } from './raw-server.js';

type Request =
  | { op: 'reply'; functionId: number; code: number; desc: string; json: string }
  | { op: 'prepare'; key: string; frames: Uint8Array }
  | { op: 'blast'; key: string; seq: number }
  | { op: 'calls'; seq: number }
  | { op: 'close' };

const server = new RawWireServer();
const prepared = new Map<string, Buffer>();
const port = await server.listen();
parentPort!.postMessage({ port });

parentPort!.on('message', (m: Request) => {
  switch (m.op) {
    case 'reply':
      server.replies.set(m.functionId, { code: m.code, desc: m.desc, json: m.json });
      break;
    case 'prepare':
      prepared.set(m.key, Buffer.from(m.frames.buffer, m.frames.byteOffset, m.frames.byteLength));
      break;
    case 'blast':
      server.blast(prepared.get(m.key)!).then(
        () => parentPort!.postMessage({ seq: m.seq }),
        (e: unknown) => parentPort!.postMessage({ seq: m.seq, error: String(e) }),
      );
      break;
    case 'calls':
      parentPort!.postMessage({ seq: m.seq, calls: server.calls });
      break;
    case 'close':
      server.close();
      parentPort!.close();
      break;
  }
});
