/**
 * One client connection: framing, the HELLO/WELCOME gate, ordered delivery
 * of CALL frames to the server, and sending REPLY / EVENT frames (new
 * messages and conversation events coalesced per tick: outbox.ts).
 *
 * A protocol violation (bad length, undecodable body, anything but HELLO
 * first, a frame kind a client may not send) closes this socket only.
 *
 * Frames are read one at a time, each held to the limits of the connection's
 * state when it is reached (limits.ts): before HELLO, before login, logged
 * in. While the unsent output is above the pause bound no frame is read
 * (the socket is paused until it drained); above the hard bound the
 * connection is closed.
 */
import type { Socket } from 'node:net';
import { UnackedDeliveries } from './delivery-acks.js';
import type { ResourceLimits } from './limits.js';
import type { Logger } from './log.js';
import { arrayJson, jsonArrays, Outbox } from './outbox.js';
import type { StoredMessage } from './storage/store.js';
import { arg, decodeFrameBody, encodeFrame, frameBodyLength, WireProtocolError } from './wire/codec.js';
import type { CallFrame, FileFrame, Frame, HelloFrame, WireArg } from './wire/codec.js';
import { FrameReader, SKIPPED_HEAD_BYTES, type SkippedFrame } from './wire/frame-reader.js';
import { ArgTag, EventId, FrameKind, MAX_FRAME_LENGTH, NO_REPLY_REQUEST_ID, PROTOCOL_VERSION } from './wire/constants.js';
import { ErrorCode } from './errors.js';

/** Login state of a connection; a new object per login, so stale work can tell. */
export interface Session {
  readonly userId: string;
  readonly sig: string;
  readonly expiresAtMs: number;
  /** The generation of the TIMLogin that began this session (RESUME keeps it). */
  readonly generation: bigint;
  timer: NodeJS.Timeout | undefined;
  /** Highest C2C message id written to this session by EVENT 1 (in memory; the durable cursor moves on ACK). */
  sentC2C: number;
  /** Highest kept group / system message id written to this session by EVENT 1 (in memory, likewise). */
  sentInbox: number;
}

export interface ConnectionOwner {
  readonly serverName: string;
  onCall(conn: Connection, call: CallFrame): void;
  onAck(conn: Connection, token: bigint): void;
  /** A file-transfer frame from the client (FILE_INFO, FILE_DATA, FILE_WRITTEN: transfers.ts). */
  onFileFrame(conn: Connection, frame: FileFrame): void;
  /** A CALL longer than `limit` (the bound of the connection's state): answer it (9522) after the calls before it; its body was not read. */
  onRefusedCall(conn: Connection, requestId: number, functionId: number, length: number, limit: number): void;
  /** Writes one EVENT 1 of `messages` (rendered as the JSON array `json`) to `session` on `conn` (delivery.ts). */
  writeMessages(conn: Connection, session: Session, messages: readonly StoredMessage[], json: string): void;
  onClose(conn: Connection): void;
}

let nextConnectionId = 1;

const isCall = (kind: number): boolean => kind === FrameKind.Call;

/** Room for a frame's fixed fields and arg headers (at most 255 args of 13 bytes). */
const FRAME_OVERHEAD_BOUND = 4096;

/**
 * True when strings of `units` UTF-16 code units in total surely fit one
 * frame (UTF-8 takes at most 3 bytes per unit), so the exact byte length
 * need not be measured before encoding.
 */
const surelyFits = (units: number): boolean => units * 3 + FRAME_OVERHEAD_BOUND <= MAX_FRAME_LENGTH;

function stringLength(args: readonly WireArg[]): number {
  let n = 0;
  for (const a of args) if (a.tag === ArgTag.String) n += a.value.length;
  return n;
}

export class Connection {
  readonly id = nextConnectionId++;
  readonly remote: string;
  private readonly reader = new FrameReader();
  private hello: HelloFrame | undefined;
  private closedFlag = false;
  /** True while this tick's frames are being gathered into one write (see `holdUntilEndOfTick`). */
  private corked = false;
  /** The EVENT 1 and EVENT 6 of this tick, written at its end. */
  private readonly outbox = new Outbox();
  /** Parsed TIMSetConfig JSON of this connection (last one wins). */
  config: unknown = undefined;
  session: Session | undefined = undefined;
  /** EVENT 1 frames written and not acknowledged yet (their delivery tokens). */
  readonly unacked = new UnackedDeliveries();
  /** Date.now() of the last bytes received (or of the accept). */
  lastActivityMs = Date.now();
  /** The HELLO deadline, then the idle deadline before login (re-armed while logged in). */
  private deadline: NodeJS.Timeout;
  /** True while frames are not read because the output is above the pause bound. */
  private paused = false;

  constructor(
    private readonly socket: Socket,
    private readonly owner: ConnectionOwner,
    private readonly log: Logger,
    private readonly limits: ResourceLimits,
  ) {
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.deadline = setTimeout(() => this.onDeadline(), limits.helloTimeoutMs).unref();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.log.debug(`${this.tag}: socket error: ${e.message}`));
    socket.on('close', () => this.onSocketClose());
  }

  get tag(): string {
    return `conn#${this.id} (${this.remote}${this.session ? `, ${this.session.userId}` : ''})`;
  }

  /** sdk_app_id the client announced in HELLO. */
  get helloSdkAppId(): bigint | undefined {
    return this.hello?.sdkAppId;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  get loggedIn(): boolean {
    return this.session !== undefined;
  }

  /** True while the unsent output is above the pause bound: no request of this connection is read or started. */
  get outputPaused(): boolean {
    return this.socket.writableLength > this.limits.outputPauseBytes;
  }

  /** Resolves once the output is no longer above the pause bound (or the socket closed). */
  whenOutputBelowPause(): Promise<void> {
    if (!this.outputPaused || this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => this.onDrain(resolve));
  }

  /** Closes the socket (no more frames are read or sent). */
  close(reason: string): void {
    if (this.closedFlag) return;
    this.log.debug(`${this.tag}: closing: ${reason}`);
    this.closedFlag = true;
    clearTimeout(this.deadline);
    this.socket.destroy();
  }

  /** Sends a REPLY unless `requestId` is 0. An oversized reply becomes a 7012 error reply. */
  reply(requestId: number, code: number, desc: string, json: string, flags = 0): void {
    if (requestId === NO_REPLY_REQUEST_ID) return;
    const frame: Frame = { kind: FrameKind.Reply, requestId, flags, code, desc, json };
    if (!surelyFits(desc.length + json.length) && frameBodyLength(frame) > MAX_FRAME_LENGTH) {
      this.log.error(`${this.tag}: reply to request ${requestId} exceeds the frame limit; answering 7012`);
      this.send({
        kind: FrameKind.Reply,
        requestId,
        flags: 0,
        code: ErrorCode.INTERNAL_ERROR,
        desc: `reply too large for the wire protocol (${json.length} characters of JSON)`,
        json: '',
      });
      return;
    }
    this.send(frame);
  }

  /** A message for `session` (`text`: its Message JSON) to go out in this tick's EVENT 1. */
  queueMessage(session: Session, message: StoredMessage, text: string): void {
    if (this.closedFlag) return;
    this.outbox.addMessage(session, message, text);
    this.holdUntilEndOfTick();
  }

  /** A conversation event of `kind` for `session` (`render` writes its ConvInfo) to go out in this tick's EVENT 6 of that kind. */
  queueConversation(session: Session, kind: number, key: string, render: () => string): void {
    if (this.closedFlag) return;
    this.outbox.addConversation(session, kind, key, render);
    this.holdUntilEndOfTick();
  }

  /**
   * Sends an EVENT (after the queued ones, which go first); returns false
   * when it could not be sent (closed, or too large).
   */
  event(eventId: number, args: readonly WireArg[]): boolean {
    this.writeOutbox();
    const frame: Frame = { kind: FrameKind.Event, eventId, args };
    if (!surelyFits(stringLength(args)) && frameBodyLength(frame) > MAX_FRAME_LENGTH) {
      this.log.error(`${this.tag}: EVENT ${eventId} exceeds the frame limit; dropped`);
      return false;
    }
    return this.send(frame);
  }

  /** True while the socket's write buffer is above its high-water mark. */
  get congested(): boolean {
    return this.socket.writableNeedDrain;
  }

  /** Calls `fn` once the write buffer has drained (or the socket closed). */
  onDrain(fn: () => void): void {
    const done = (): void => {
      this.socket.off('drain', done);
      this.socket.off('close', done);
      fn();
    };
    this.socket.once('drain', done);
    this.socket.once('close', done);
  }

  /** Sends a file-transfer frame (transfers.ts); false when closed. */
  sendFileFrame(frame: FileFrame): boolean {
    return this.send(frame);
  }

  private send(frame: Frame): boolean {
    if (this.closedFlag || this.socket.destroyed) return false;
    this.holdUntilEndOfTick();
    this.socket.write(encodeFrame(frame));
    if (this.socket.writableLength > this.limits.outputLimitBytes) this.overflow();
    return !this.closedFlag;
  }

  /** The client does not read what it is sent: disconnected (its unacknowledged messages are delivered again after RESUME). */
  private overflow(): void {
    const what = `${this.socket.writableLength} bytes of output not taken by the client, over the limit of ${this.limits.outputLimitBytes}`;
    this.log.warn(`${this.tag}: ${what}; disconnecting (unacknowledged messages are delivered again after RESUME)`);
    this.close('output limit');
  }

  /**
   * Frames sent in the same tick (REPLYs, the queued events, a backlog page)
   * leave in one write: the socket is corked until the tick ends, when the
   * queued events are written, last.
   */
  private holdUntilEndOfTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.writeOutbox();
      this.corked = false;
      this.socket.uncork();
    });
  }

  /** Writes the queued batches, oldest first; those of a session that ended meanwhile are dropped (nothing is acknowledged for them). */
  private writeOutbox(): void {
    if (this.outbox.isEmpty) return;
    for (const b of this.outbox.take()) {
      if (b.session !== this.session) continue;
      if (b.type === 'messages') this.owner.writeMessages(this, b.session, b.messages, arrayJson(b.texts));
      else for (const { json } of jsonArrays(b.renders.values(), (render) => render())) this.event(EventId.ConvEvent, [arg.i64(b.kind), arg.str(json)]);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closedFlag) return;
    this.lastActivityMs = Date.now();
    if (this.hello !== undefined) this.deadline.refresh();
    this.reader.append(chunk);
    this.readFrames();
  }

  /** The largest CALL this connection may send now (before login, or logged in). */
  private get callLimit(): number {
    return this.session === undefined ? this.limits.maxCallBytesBeforeLogin : this.limits.maxCallBytes;
  }

  /**
   * The next frame, held to the limits of the connection's state now;
   * undefined when none is complete. Once logged in only a CALL is held to
   * its bound: a file frame (FILE_DATA of a chunk up to 1 MiB) may be longer.
   */
  private nextFrame(): Buffer | SkippedFrame | undefined {
    if (this.hello === undefined) return this.reader.next(this.limits.maxHelloBytes);
    if (this.session === undefined) return this.reader.next(MAX_FRAME_LENGTH, this.callLimit);
    return this.reader.next(MAX_FRAME_LENGTH, this.callLimit, isCall);
  }

  /** Handles the complete frames received, in order, until the output goes above the pause bound. */
  private readFrames(): void {
    for (;;) {
      if (this.closedFlag) return;
      if (this.outputPaused) return this.pauseReading();
      let body: Buffer | SkippedFrame | undefined;
      try {
        body = this.nextFrame();
      } catch (e) {
        this.violation(this.hello === undefined ? `${(e as Error).message} before HELLO` : e);
        return;
      }
      if (body === undefined) return;
      if (!Buffer.isBuffer(body)) {
        this.onSkipped(body);
        continue;
      }
      let frame: Frame;
      try {
        frame = decodeFrameBody(body);
      } catch (e) {
        this.violation(e);
        return;
      }
      try {
        this.onFrame(frame);
      } catch (e) {
        this.log.error(`${this.tag}: internal error, closing: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        this.close('internal error');
        return;
      }
    }
  }

  /** Stops reading until the output drained; then handles the frames already received and reads again. */
  private pauseReading(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
    if (this.log.debugEnabled) this.log.debug(`${this.tag}: ${this.socket.writableLength} bytes of output unsent; reading paused`);
    this.onDrain(() => {
      this.paused = false;
      if (this.closedFlag) return;
      this.socket.resume();
      this.readFrames();
    });
  }

  /** A frame too long for the connection's state (a CALL is refused; anything else, only skipped before login, is a violation). */
  private onSkipped(f: SkippedFrame): void {
    if (f.head[0] !== FrameKind.Call || f.head.length < SKIPPED_HEAD_BYTES) {
      return this.violation(`a frame of ${f.length} bytes before login`);
    }
    const requestId = f.head.readUInt32BE(1);
    const functionId = f.head.readUInt16BE(5);
    const when = this.session === undefined ? ' before login' : '';
    this.log.warn(`${this.tag}: CALL ${functionId} of ${f.length} bytes${when} refused (limit ${this.callLimit}); body discarded`);
    this.owner.onRefusedCall(this, requestId, functionId, f.length, this.callLimit);
  }

  /** The HELLO deadline, or the idle deadline: closes a socket without HELLO, or idle and not logged in. */
  private onDeadline(): void {
    if (this.closedFlag) return;
    if (this.hello === undefined) {
      this.log.info(`${this.tag}: no HELLO within ${this.limits.helloTimeoutMs} ms; closing`);
      return this.close('HELLO deadline');
    }
    const idleMs = Date.now() - this.lastActivityMs;
    if (this.session !== undefined || idleMs < this.limits.idleTimeoutMs) {
      this.deadline.refresh();
      return;
    }
    this.log.info(`${this.tag}: not logged in and idle for ${idleMs} ms; closing`);
    this.close('idle before login');
  }

  private onFrame(frame: Frame): void {
    if (this.hello === undefined) {
      if (frame.kind !== FrameKind.Hello) return this.violation(`first frame is kind ${frame.kind}, not HELLO`);
      if (frame.protocol !== PROTOCOL_VERSION) {
        return this.violation(`HELLO protocol ${frame.protocol} is not ${PROTOCOL_VERSION}`);
      }
      this.hello = frame;
      clearTimeout(this.deadline);
      this.deadline = setTimeout(() => this.onDeadline(), this.limits.idleTimeoutMs).unref();
      this.log.debug(`${this.tag}: HELLO sdk_app_id=${frame.sdkAppId} sdk_version=${frame.sdkVersion}`);
      this.send({ kind: FrameKind.Welcome, protocol: PROTOCOL_VERSION, serverName: this.owner.serverName });
      return;
    }
    if (frame.kind === FrameKind.Ack) return this.owner.onAck(this, frame.token);
    if (frame.kind === FrameKind.FileInfo || frame.kind === FrameKind.FileData || frame.kind === FrameKind.FileWritten) {
      return this.owner.onFileFrame(this, frame);
    }
    if (frame.kind !== FrameKind.Call) return this.violation(`unexpected frame kind ${frame.kind} after HELLO`);
    this.owner.onCall(this, frame);
  }

  /** Closes this connection for a protocol violation (logged). */
  violation(e: unknown): void {
    const msg = e instanceof WireProtocolError || e instanceof Error ? e.message : String(e);
    this.log.warn(`${this.tag}: protocol violation, closing: ${msg}`);
    this.close(`protocol violation: ${msg}`);
  }

  private onSocketClose(): void {
    if (this.reader.midFrame) {
      this.log.info(`${this.tag}: disconnected mid-frame (${this.reader.pendingBytes} bytes discarded)`);
    } else {
      this.log.debug(`${this.tag}: disconnected`);
    }
    this.closedFlag = true;
    clearTimeout(this.deadline);
    this.owner.onClose(this);
  }
}
