/**
 * Splits a TCP byte stream into frame bodies (`u32` big-endian length +
 * body). Partial frames are buffered across chunks without re-copying the
 * buffered bytes on every chunk; a body is copied at most once.
 *
 * A length of 0 or above the limit is reported as soon as the 4 length bytes
 * are in (the body is never waited for): the caller closes the connection.
 */
import { MAX_FRAME_LENGTH } from './constants.js';
import { WireProtocolError } from './codec.js';

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Body length of the frame being read, or -1 while its header is incomplete. */
  private bodyLength = -1;

  constructor(private readonly maxLength: number = MAX_FRAME_LENGTH) {}

  /** Bytes received but not yet returned as a complete frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** True when the reader holds part of a frame. */
  get midFrame(): boolean {
    return this.buffered > 0 || this.bodyLength >= 0;
  }

  /**
   * Adds a chunk; returns the bodies of the frames it completes, in order.
   * Throws WireProtocolError on a zero or oversized length; the reader is
   * then unusable.
   */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    for (;;) {
      if (this.bodyLength < 0) {
        if (this.buffered < 4) break;
        const length = this.take(4).readUInt32BE(0);
        if (length === 0 || length > this.maxLength) {
          this.chunks = [];
          this.buffered = 0;
          throw new WireProtocolError(`frame length ${length} is outside 1..${this.maxLength}`);
        }
        this.bodyLength = length;
      }
      if (this.buffered < this.bodyLength) break;
      out.push(this.take(this.bodyLength));
      this.bodyLength = -1;
    }
    return out;
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
