/**
 * Splits a TCP byte stream into frame bodies (`u32` big-endian length +
 * body). Partial frames are buffered across chunks without re-copying the
 * buffered bytes on every chunk; a body is copied at most once.
 *
 * A length of 0 or above the limit is reported as soon as the 4 length bytes
 * are in (the body is never waited for): the caller closes the connection.
 *
 * The emulator reads one frame at a time (`append`, then `next` until it
 * returns undefined), so the limits a frame is held to are those of the
 * connection's state when its header is reached, after the frames before it
 * were handled. A frame longer than `maxBuffered` (but within `maxLength`)
 * is not buffered: `next` returns its first bytes (`SKIPPED_HEAD_BYTES`) as
 * a `SkippedFrame` and the rest is discarded as it arrives — unless its kind
 * (first body byte) is one the caller buffers at any length (`skips`).
 */
import { MAX_FRAME_LENGTH } from './constants.js';
import { WireProtocolError } from './codec.js';

/** Bytes of a skipped frame's body kept for the caller: a CALL's kind, request id and function id. */
export const SKIPPED_HEAD_BYTES = 1 + 4 + 2;

/** A frame too long to be buffered: its announced body length and its first bytes (the rest is discarded). */
export interface SkippedFrame {
  readonly skipped: true;
  readonly length: number;
  readonly head: Buffer;
}

const everyKind = (): boolean => true;

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Body length of the frame being read, or -1 while its header is incomplete. */
  private bodyLength = -1;
  /** True when the frame being read is skipped rather than buffered. */
  private skipping = false;
  /** Bytes of a skipped frame still to be discarded once its head was returned. */
  private discarding = 0;

  constructor(private readonly maxLength: number = MAX_FRAME_LENGTH) {}

  /** Bytes received but not yet returned as a complete frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** True when the reader holds part of a frame. */
  get midFrame(): boolean {
    return this.buffered > 0 || this.bodyLength >= 0 || this.discarding > 0;
  }

  /**
   * Adds a chunk; returns the bodies of the frames it completes, in order.
   * Throws WireProtocolError on a zero or oversized length; the reader is
   * then unusable.
   */
  push(chunk: Buffer): Buffer[] {
    this.append(chunk);
    const out: Buffer[] = [];
    // Held to the reader's own limit only: nothing is skipped, every result is a body.
    for (let body = this.next(); body !== undefined; body = this.next()) out.push(body as Buffer);
    return out;
  }

  /** Adds a chunk without reading frames from it (see `next`). */
  append(chunk: Buffer): void {
    if (this.discarding > 0) {
      const k = Math.min(this.discarding, chunk.length);
      this.discarding -= k;
      chunk = chunk.subarray(k);
    }
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
  }

  /**
   * The next complete frame body, or undefined until more bytes arrive. A
   * frame whose header is read now is held to `maxLength` (a longer or zero
   * length throws WireProtocolError; the reader is then unusable) and, above
   * `maxBuffered`, is skipped if `skips` says so of its kind (every kind by
   * default; see the module comment). With the defaults, to the reader's own
   * limit.
   */
  next(maxLength: number = this.maxLength, maxBuffered: number = maxLength, skips: (kind: number) => boolean = everyKind): Buffer | SkippedFrame | undefined {
    if (this.bodyLength < 0) {
      if (this.buffered < 4) return undefined;
      const length = this.take(4).readUInt32BE(0);
      if (length === 0 || length > maxLength) {
        this.chunks = [];
        this.buffered = 0;
        throw new WireProtocolError(`frame length ${length} is outside 1..${maxLength}`);
      }
      this.bodyLength = length;
      this.skipping = length > maxBuffered;
    }
    if (this.skipping) {
      if (this.buffered === 0) return undefined;
      if (skips(this.chunks[0]![0]!)) return this.skip();
      this.skipping = false;
    }
    if (this.buffered < this.bodyLength) return undefined;
    const body = this.take(this.bodyLength);
    this.bodyLength = -1;
    return body;
  }

  /** The head of the frame being skipped once it is in; what is buffered of the rest is dropped, what follows is discarded on arrival. */
  private skip(): SkippedFrame | undefined {
    const headBytes = Math.min(SKIPPED_HEAD_BYTES, this.bodyLength);
    if (this.buffered < headBytes) return undefined;
    const length = this.bodyLength;
    const head = Buffer.from(this.take(headBytes));
    let rest = length - headBytes;
    while (rest > 0 && this.buffered > 0) rest -= this.take(Math.min(rest, this.chunks[0]!.length)).length;
    this.discarding = rest;
    this.bodyLength = -1;
    this.skipping = false;
    return { skipped: true, length, head };
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    let result: Buffer;
    if (first.length >= n) {
      result = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      result = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[0]!;
        const k = Math.min(c.length, n - filled);
        c.copy(result, filled, 0, k);
        filled += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.buffered -= n;
    return result;
  }
}
