/**
 * Encoders and decoders of the frame bodies of docs/wire-protocol.md.
 * All integers are big-endian; a string is `u32 byte length` + UTF-8 bytes.
 * `encodeFrame` returns the whole frame (length prefix included);
 * `decodeFrameBody` takes a body without its length prefix.
 */
import { ArgTag, FrameKind, MAX_FRAME_LENGTH } from './constants.js';
import type { FileFrame } from './file-frames.js';

export type * from './file-frames.js';

export type WireArg =
  | { readonly tag: typeof ArgTag.Null }
  | { readonly tag: typeof ArgTag.String; readonly value: string }
  | { readonly tag: typeof ArgTag.Int64; readonly value: bigint }
  | { readonly tag: typeof ArgTag.Uint64; readonly value: bigint };

export interface HelloFrame {
  readonly kind: typeof FrameKind.Hello;
  readonly protocol: number;
  readonly sdkAppId: bigint;
  readonly sdkVersion: string;
}
export interface WelcomeFrame {
  readonly kind: typeof FrameKind.Welcome;
  readonly protocol: number;
  readonly serverName: string;
}
export interface CallFrame {
  readonly kind: typeof FrameKind.Call;
  readonly requestId: number;
  readonly functionId: number;
  readonly args: readonly WireArg[];
}
export interface ReplyFrame {
  readonly kind: typeof FrameKind.Reply;
  readonly requestId: number;
  readonly flags: number;
  readonly code: number;
  readonly desc: string;
  readonly json: string;
}
export interface EventFrame {
  readonly kind: typeof FrameKind.Event;
  readonly eventId: number;
  readonly args: readonly WireArg[];
}
/** Client → server: every EVENT 1 of this connection with a delivery token ≤ `token` reached the listener. */
export interface AckFrame {
  readonly kind: typeof FrameKind.Ack;
  readonly token: bigint;
}
export type Frame = HelloFrame | WelcomeFrame | CallFrame | ReplyFrame | EventFrame | AckFrame | FileFrame;

/** A body that does not follow the protocol. */
export class WireProtocolError extends Error {
  override readonly name = 'WireProtocolError';
}

export const arg = {
  null: (): WireArg => ({ tag: ArgTag.Null }),
  str: (value: string): WireArg => ({ tag: ArgTag.String, value }),
  i64: (value: bigint | number): WireArg => ({ tag: ArgTag.Int64, value: BigInt(value) }),
  u64: (value: bigint | number): WireArg => ({ tag: ArgTag.Uint64, value: BigInt(value) }),
};

// ---------------------------------------------------------------- encoding

function checkUint(value: number, bits: 8 | 16 | 32, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new RangeError(`${what} must be an unsigned ${bits}-bit integer, got ${value}`);
  }
}

function argSize(a: WireArg): number {
  switch (a.tag) {
    case ArgTag.Null:
      return 1;
    case ArgTag.String:
      return 1 + 4 + Buffer.byteLength(a.value, 'utf8');
    case ArgTag.Int64:
    case ArgTag.Uint64:
      return 1 + 8;
  }
}

class Writer {
  readonly buf: Buffer;
  private off = 4;
  constructor(bodyLength: number) {
    if (bodyLength < 1 || bodyLength > MAX_FRAME_LENGTH) {
      throw new RangeError(`frame body of ${bodyLength} bytes is outside 1..${MAX_FRAME_LENGTH}`);
    }
    this.buf = Buffer.allocUnsafe(4 + bodyLength);
    this.buf.writeUInt32BE(bodyLength, 0);
  }
  u8(v: number): void {
    this.off = this.buf.writeUInt8(v, this.off);
  }
  u16(v: number): void {
    this.off = this.buf.writeUInt16BE(v, this.off);
  }
  u32(v: number): void {
    this.off = this.buf.writeUInt32BE(v, this.off);
  }
  i32(v: number): void {
    this.off = this.buf.writeInt32BE(v, this.off);
  }
  u64(v: bigint): void {
    this.off = this.buf.writeBigUInt64BE(v, this.off);
  }
  i64(v: bigint): void {
    this.off = this.buf.writeBigInt64BE(v, this.off);
  }
  str(s: string): void {
    const n = this.buf.write(s, this.off + 4, 'utf8');
    this.buf.writeUInt32BE(n, this.off);
    this.off += 4 + n;
  }
  bytes(b: Buffer): void {
    this.u32(b.length);
    this.off += b.copy(this.buf, this.off);
  }
  args(list: readonly WireArg[]): void {
    this.u8(list.length);
    for (const a of list) {
      this.u8(a.tag);
      if (a.tag === ArgTag.String) this.str(a.value);
      else if (a.tag === ArgTag.Int64) this.i64(a.value);
      else if (a.tag === ArgTag.Uint64) this.u64(a.value);
    }
  }
  done(): Buffer {
    if (this.off !== this.buf.length) throw new Error(`internal: wrote ${this.off} of ${this.buf.length} bytes`);
    return this.buf;
  }
}

function argsSize(list: readonly WireArg[]): number {
  if (list.length > 255) throw new RangeError(`at most 255 args, got ${list.length}`);
  let n = 1;
  for (const a of list) n += argSize(a);
  return n;
}

const strSize = (s: string): number => 4 + Buffer.byteLength(s, 'utf8');

/** Body length a frame would have; lets a sender check the 16 MiB limit. */
export function frameBodyLength(f: Frame): number {
  switch (f.kind) {
    case FrameKind.Hello:
      return 1 + 2 + 8 + strSize(f.sdkVersion);
    case FrameKind.Welcome:
      return 1 + 2 + strSize(f.serverName);
    case FrameKind.Call:
      return 1 + 4 + 2 + argsSize(f.args);
    case FrameKind.Reply:
      return 1 + 4 + 1 + 4 + strSize(f.desc) + strSize(f.json);
    case FrameKind.Event:
      return 1 + 2 + argsSize(f.args);
    case FrameKind.Ack:
      return 1 + 8;
    case FrameKind.FileOpen:
      return 1 + 4 + 4 + strSize(f.path);
    case FrameKind.FileInfo:
      return 1 + 4 + 4 + 8;
    case FrameKind.FileRead:
      return 1 + 4 + 8 + 4;
    case FrameKind.FileData:
      return 1 + 4 + 8 + 4 + 4 + f.data.length;
    case FrameKind.FileClose:
      return 1 + 4;
    case FrameKind.FilePush:
      return 1 + 4 + 8 + 8 + 4 + f.data.length;
    case FrameKind.FileWritten:
      return 1 + 4 + 4 + 8;
  }
}

function checkInt32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new RangeError(`${what} must be a signed 32-bit integer, got ${value}`);
  }
}

/** Encodes a frame, `u32` length prefix included. Throws RangeError on out-of-range fields. */
export function encodeFrame(f: Frame): Buffer {
  const w = new Writer(frameBodyLength(f));
  w.u8(f.kind);
  switch (f.kind) {
    case FrameKind.Hello:
      checkUint(f.protocol, 16, 'protocol');
      w.u16(f.protocol);
      w.u64(f.sdkAppId);
      w.str(f.sdkVersion);
      break;
    case FrameKind.Welcome:
      checkUint(f.protocol, 16, 'protocol');
      w.u16(f.protocol);
      w.str(f.serverName);
      break;
    case FrameKind.Call:
      checkUint(f.requestId, 32, 'request_id');
      checkUint(f.functionId, 16, 'function_id');
      w.u32(f.requestId);
      w.u16(f.functionId);
      w.args(f.args);
      break;
    case FrameKind.Reply:
      checkUint(f.requestId, 32, 'request_id');
      checkUint(f.flags, 8, 'flags');
      checkInt32(f.code, 'code');
      w.u32(f.requestId);
      w.u8(f.flags);
      w.i32(f.code);
      w.str(f.desc);
      w.str(f.json);
      break;
    case FrameKind.Event:
      checkUint(f.eventId, 16, 'event_id');
      w.u16(f.eventId);
      w.args(f.args);
      break;
    case FrameKind.Ack:
      w.u64(f.token);
      break;
    default:
      encodeFileFrame(w, f);
  }
  return w.done();
}

function encodeFileFrame(w: Writer, f: FileFrame): void {
  const id = f.kind === FrameKind.FilePush || f.kind === FrameKind.FileWritten ? f.requestId : f.transferId;
  checkUint(id, 32, 'transfer_id / request_id');
  w.u32(id);
  switch (f.kind) {
    case FrameKind.FileOpen:
      checkUint(f.requestId, 32, 'request_id');
      w.u32(f.requestId);
      w.str(f.path);
      break;
    case FrameKind.FileInfo:
      checkInt32(f.code, 'code');
      w.i32(f.code);
      w.u64(f.size);
      break;
    case FrameKind.FileRead:
      checkUint(f.length, 32, 'length');
      w.u64(f.offset);
      w.u32(f.length);
      break;
    case FrameKind.FileData:
      checkInt32(f.code, 'code');
      w.u64(f.offset);
      w.i32(f.code);
      w.bytes(f.data);
      break;
    case FrameKind.FileClose:
      break;
    case FrameKind.FilePush:
      w.u64(f.offset);
      w.u64(f.total);
      w.bytes(f.data);
      break;
    case FrameKind.FileWritten:
      checkInt32(f.code, 'code');
      w.i32(f.code);
      w.u64(f.written);
      break;
  }
}

// ---------------------------------------------------------------- decoding

class Reader {
  private off = 0;
  constructor(private readonly buf: Buffer) {}
  private need(n: number, what: string): void {
    if (this.off + n > this.buf.length) {
      throw new WireProtocolError(`truncated body: ${what} needs ${n} bytes at offset ${this.off} of ${this.buf.length}`);
    }
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf.readUInt8(this.off++);
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.buf.readUInt16BE(this.off);
    this.off += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.off);
    this.off += 4;
    return v;
  }
  i32(what: string): number {
    this.need(4, what);
    const v = this.buf.readInt32BE(this.off);
    this.off += 4;
    return v;
  }
  u64(what: string): bigint {
    this.need(8, what);
    const v = this.buf.readBigUInt64BE(this.off);
    this.off += 8;
    return v;
  }
  i64(what: string): bigint {
    this.need(8, what);
    const v = this.buf.readBigInt64BE(this.off);
    this.off += 8;
    return v;
  }
  str(what: string): string {
    const n = this.u32(`${what} length`);
    this.need(n, what);
    const s = this.buf.toString('utf8', this.off, this.off + n);
    this.off += n;
    return s;
  }
  /** `u32 length` + bytes, as a view into the body (no copy). */
  bytes(what: string): Buffer {
    const n = this.u32(`${what} length`);
    this.need(n, what);
    const b = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return b;
  }
  args(): WireArg[] {
    const argc = this.u8('argc');
    const out: WireArg[] = [];
    for (let i = 0; i < argc; i++) {
      const tag = this.u8(`arg ${i} tag`);
      switch (tag) {
        case ArgTag.Null:
          out.push({ tag: ArgTag.Null });
          break;
        case ArgTag.String:
          out.push({ tag: ArgTag.String, value: this.str(`arg ${i}`) });
          break;
        case ArgTag.Int64:
          out.push({ tag: ArgTag.Int64, value: this.i64(`arg ${i}`) });
          break;
        case ArgTag.Uint64:
          out.push({ tag: ArgTag.Uint64, value: this.u64(`arg ${i}`) });
          break;
        default:
          throw new WireProtocolError(`unknown arg tag ${tag} (arg ${i})`);
      }
    }
    return out;
  }
  end(): void {
    if (this.off !== this.buf.length) {
      throw new WireProtocolError(`${this.buf.length - this.off} trailing bytes after the frame fields`);
    }
  }
}

/** Decodes one frame body (without the length prefix). Throws WireProtocolError. */
export function decodeFrameBody(body: Buffer): Frame {
  const r = new Reader(body);
  const kind = r.u8('kind');
  let f: Frame;
  switch (kind) {
    case FrameKind.Hello:
      f = { kind, protocol: r.u16('protocol'), sdkAppId: r.u64('sdk_app_id'), sdkVersion: r.str('sdk_version') };
      break;
    case FrameKind.Welcome:
      f = { kind, protocol: r.u16('protocol'), serverName: r.str('server_name') };
      break;
    case FrameKind.Call:
      f = { kind, requestId: r.u32('request_id'), functionId: r.u16('function_id'), args: r.args() };
      break;
    case FrameKind.Reply:
      f = {
        kind,
        requestId: r.u32('request_id'),
        flags: r.u8('flags'),
        code: r.i32('code'),
        desc: r.str('desc'),
        json: r.str('json'),
      };
      break;
    case FrameKind.Event:
      f = { kind, eventId: r.u16('event_id'), args: r.args() };
      break;
    case FrameKind.Ack:
      f = { kind, token: r.u64('delivery_token') };
      break;
    case FrameKind.FileOpen:
      f = { kind, transferId: r.u32('transfer_id'), requestId: r.u32('request_id'), path: r.str('path') };
      break;
    case FrameKind.FileInfo:
      f = { kind, transferId: r.u32('transfer_id'), code: r.i32('code'), size: r.u64('size') };
      break;
    case FrameKind.FileRead:
      f = { kind, transferId: r.u32('transfer_id'), offset: r.u64('offset'), length: r.u32('length') };
      break;
    case FrameKind.FileData:
      f = { kind, transferId: r.u32('transfer_id'), offset: r.u64('offset'), code: r.i32('code'), data: r.bytes('data') };
      break;
    case FrameKind.FileClose:
      f = { kind, transferId: r.u32('transfer_id') };
      break;
    case FrameKind.FilePush:
      f = { kind, requestId: r.u32('request_id'), offset: r.u64('offset'), total: r.u64('total'), data: r.bytes('data') };
      break;
    case FrameKind.FileWritten:
      f = { kind, requestId: r.u32('request_id'), code: r.i32('code'), written: r.u64('written') };
      break;
    default:
      throw new WireProtocolError(`unknown frame kind ${kind}`);
  }
  r.end();
  return f;
}
