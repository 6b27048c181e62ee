/**
 * A raw loopback server speaking the wire protocol (docs/wire-protocol.md),
 * standing in for the emulator where a benchmark wants the native library's
 * thread to be the only limit: HELLO → WELCOME, every CALL answered at once
 * with a canned REPLY, and prebuilt EVENT frames written in one go.
 *
 * Runs in a worker thread (raw-server-worker.ts) so that writing frames never
 * competes with the client's event loop.
 */
import net from 'node:net';
import { arg, decodeFrameBody, encodeFrame } from '../../src/emulator/wire/codec.js';
import { EventId, FrameKind } from '../../src/emulator/wire/constants.js';
import { FrameReader } from '../../src/emulator/wire/frame-reader.js';

export interface CannedReply {
  readonly code: number;
  readonly desc: string;
  readonly json: string;
}

export class RawWireServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private latest: net.Socket | undefined;
  /** Replies by function id; anything else gets `0, "", ""`. */
  readonly replies = new Map<number, CannedReply>();
  calls = 0;

  constructor() {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    const reader = new FrameReader();
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (this.latest === socket) this.latest = undefined;
    });
    socket.on('data', (chunk: Buffer) => {
      let out: Buffer[] = [];
      for (const body of reader.push(chunk)) {
        const f = decodeFrameBody(body);
        if (f.kind === FrameKind.Hello) {
          this.latest = socket;
          out.push(encodeFrame({ kind: FrameKind.Welcome, protocol: 1, serverName: 'bench raw server' }));
        } else if (f.kind === FrameKind.Call) {
          this.calls++;
          if (f.requestId === 0) continue;
          const r = this.replies.get(f.functionId) ?? { code: 0, desc: '', json: '' };
          out.push(encodeFrame({ kind: FrameKind.Reply, requestId: f.requestId, flags: 0, ...r }));
        }
        if (out.length >= 256) {
          socket.write(Buffer.concat(out));
          out = [];
        }
      }
      if (out.length > 0) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    });
  }

  /** Writes `frames` to the most recent client; resolves once the kernel took them. */
  blast(frames: Buffer): Promise<void> {
    const socket = this.latest;
    if (!socket) return Promise.reject(new Error('no client connected'));
    return new Promise((resolve, reject) => socket.write(frames, (e) => (e ? reject(e) : resolve())));
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}

/** Where a message id starts in a message array; the blast serial goes right after it. */
const ID_MARK = Buffer.from('"message_msg_id":"');
const SERIAL_DIGITS = 10;

/**
 * `count` EVENT 1 frames carrying `json` (a message array), back to back,
 * each with a delivery token (so libtimlocal ACKs them, as it does for the
 * emulator). Every message id gets a fixed-width blast serial and the frame
 * index in front: tim-rx drops a message id it has seen (messages$ is
 * de-duplicated), so a prepared buffer blasted again needs new ids
 * (`stampSerial`).
 */
export function recvNewMsgFrames(json: string, count: number): Buffer {
  const mark = ID_MARK.toString();
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const unique = json.replaceAll(mark, `${mark}${'0'.repeat(SERIAL_DIGITS)}.${i}.`);
    frames.push(encodeFrame({ kind: FrameKind.Event, eventId: EventId.RecvNewMsg, args: [arg.str(unique), arg.u64(i + 1)] }));
  }
  return Buffer.concat(frames);
}

/** Offsets of the blast serials in frames made by `recvNewMsgFrames`. */
export function serialOffsets(frames: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = frames.indexOf(ID_MARK); at >= 0; at = frames.indexOf(ID_MARK, at + 1)) offsets.push(at + ID_MARK.length);
  return offsets;
}

/** Writes `serial` into every message id of `frames` (same width: frame lengths do not change). */
export function stampSerial(frames: Buffer, offsets: readonly number[], serial: number): void {
  const digits = String(serial).padStart(SERIAL_DIGITS, '0');
  for (const at of offsets) frames.write(digits, at, SERIAL_DIGITS, 'latin1');
}
