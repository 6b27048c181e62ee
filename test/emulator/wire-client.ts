/**
 * A raw loopback TCP client of the wire protocol, for tests. It uses the
 * emulator's own codec (src/emulator/wire) to encode and decode frames.
 */
import { connect, type Socket } from 'node:net';
import { arg, decodeFrameBody, encodeFrame, type EventFrame, type ReplyFrame, type WireArg } from '../../src/emulator/wire/codec.js';
import { ArgTag, EventId, FrameKind, FunctionId, PROTOCOL_VERSION } from '../../src/emulator/wire/constants.js';
import { FrameReader } from '../../src/emulator/wire/frame-reader.js';
import { localFiles, WireClientFiles, type FileSource } from './wire-client-files.js';

export interface WireClientOptions {
  /** sdk_app_id sent in HELLO. */
  readonly sdkAppId: number | bigint;
  /** Send HELLO and wait for WELCOME (default true). */
  readonly hello?: boolean;
  readonly timeoutMs?: number;
  /**
   * ACK each EVENT 1 with a delivery token as soon as it arrives, like
   * libtimlocal after its listener returned (default true). With false the
   * client never acknowledges: what it got is delivered again at the next login.
   */
  readonly ack?: boolean;
  /**
   * What the client has at the paths the server asks it for (FILE_OPEN), as
   * libtimlocal reads them; default: this process's own files.
   */
  readonly files?: FileSource;
  /**
   * Where the client writes a download whose call names `path` (default:
   * `path` itself). A client on another machine writes its own files only:
   * map the path into a folder of the test.
   */
  readonly downloadTo?: (path: string) => string;
}

interface EventWaiter {
  readonly eventId: number;
  readonly resolve: (e: EventFrame) => void;
}

export class WireClient {
  private readonly reader = new FrameReader();
  private readonly replies = new Map<number, (r: ReplyFrame) => void>();
  private readonly events: EventFrame[] = [];
  private waiters: EventWaiter[] = [];
  private nextRequestId = 1;
  private welcomeResolve: ((name: string) => void) | undefined;
  /** Every event received, in order (never consumed). */
  readonly allEvents: EventFrame[] = [];
  /** Replies that arrived with no pending call (e.g. for request id 0). */
  readonly unexpectedReplies: ReplyFrame[] = [];
  readonly closed: Promise<void>;
  isClosed = false;
  serverName = '';
  /** Delivery tokens of the EVENT 1 frames received, in order (0 = no ACK wanted). */
  readonly deliveryTokens: bigint[] = [];
  /** The generation of the last internal EVENT 100 (sent just before a successful TIMLogin's REPLY), as libtimlocal keeps it. */
  sessionGeneration: bigint | undefined;
  /** The library's side of file transfers (what the server asked for: `files.opened`). */
  readonly files: WireClientFiles;
  /** Target paths of the downloads in progress, by request id. */
  private readonly downloadPaths = new Map<number, string>();

  private constructor(
    readonly socket: Socket,
    private readonly timeoutMs: number,
    private readonly autoAck: boolean,
    source: FileSource,
    private readonly downloadTo: (path: string) => string,
  ) {
    this.files = new WireClientFiles(source, (f) => {
      if (!this.socket.destroyed) this.writeRaw(encodeFrame(f));
    });
    this.files.pathOf = (id) => this.downloadPaths.get(id);
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        resolve();
      });
    });
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      for (const body of this.reader.push(chunk)) this.onFrame(body);
    });
  }

  static async connect(address: string, options: WireClientOptions): Promise<WireClient> {
    const i = address.lastIndexOf(':');
    const socket = connect({ host: address.slice(0, i), port: Number(address.slice(i + 1)) });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new WireClient(socket, options.timeoutMs ?? 3000, options.ack ?? true, options.files ?? localFiles, options.downloadTo ?? ((p) => p));
    if (options.hello ?? true) await client.hello(BigInt(options.sdkAppId));
    return client;
  }

  async hello(sdkAppId: bigint, protocol = PROTOCOL_VERSION): Promise<string> {
    const welcome = new Promise<string>((resolve) => (this.welcomeResolve = resolve));
    this.writeRaw(encodeFrame({ kind: FrameKind.Hello, protocol, sdkAppId, sdkVersion: 'wire-client-test' }));
    this.serverName = await this.withTimeout(welcome, 'WELCOME');
    return this.serverName;
  }

  private onFrame(body: Buffer): void {
    const f = decodeFrameBody(body);
    if (f.kind === FrameKind.Welcome) {
      this.welcomeResolve?.(f.serverName);
    } else if (f.kind === FrameKind.Reply) {
      const resolve = this.replies.get(f.requestId);
      if (resolve === undefined) this.unexpectedReplies.push(f);
      else {
        if ((f.flags & 1) === 0) {
          this.replies.delete(f.requestId);
          this.downloadPaths.delete(f.requestId);
          this.files.finish(f.requestId);
        }
        resolve(f);
      }
    } else if (f.kind === FrameKind.Event) {
      this.allEvents.push(f);
      if (f.eventId === EventId.RecvNewMsg) this.onDelivery(f);
      if (f.eventId === EventId.Session) {
        const g = f.args[0];
        this.sessionGeneration = g !== undefined && g.tag === ArgTag.Uint64 ? g.value : undefined;
        return; // internal: never queued for nextEvent
      }
      const w = this.waiters.find((x) => x.eventId === f.eventId);
      if (w !== undefined) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(f);
      } else this.events.push(f);
    } else if (f.kind !== FrameKind.Hello && f.kind !== FrameKind.Call && f.kind !== FrameKind.Ack) {
      this.files.onFrame(f);
    } else {
      throw new Error(`client received unexpected frame kind ${f.kind}`);
    }
  }

  private onDelivery(f: EventFrame): void {
    const a = f.args[1];
    const token = a !== undefined && a.tag === ArgTag.Uint64 ? a.value : 0n;
    this.deliveryTokens.push(token);
    if (this.autoAck && token !== 0n) this.ack(token);
  }

  /** Sends an ACK frame: every EVENT 1 of this connection with a token ≤ `token` was handled. */
  ack(token: bigint): void {
    if (!this.socket.destroyed) this.writeRaw(encodeFrame({ kind: FrameKind.Ack, token }));
  }

  private withTimeout<T>(p: Promise<T>, what: string, ms = this.timeoutMs): Promise<T> {
    let timer: NodeJS.Timeout;
    const t = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    });
    return Promise.race([p, t]).finally(() => clearTimeout(timer));
  }

  writeRaw(buf: Buffer): void {
    this.socket.write(buf);
  }

  /** A request id for a CALL; a download's target path is kept for its FILE_PUSH frames. */
  private newRequest(functionId: number, args: readonly WireArg[]): number {
    const requestId = this.nextRequestId++;
    const target = args[1];
    if (functionId === FunctionId.MsgDownloadElemToPath && target?.tag === ArgTag.String) this.downloadPaths.set(requestId, this.downloadTo(target.value));
    return requestId;
  }

  /** Sends a CALL and waits for its (last) REPLY. */
  call(functionId: number, args: readonly WireArg[] = []): Promise<ReplyFrame> {
    const requestId = this.newRequest(functionId, args);
    const reply = new Promise<ReplyFrame>((resolve) => this.replies.set(requestId, resolve));
    this.writeRaw(encodeFrame({ kind: FrameKind.Call, requestId, functionId, args }));
    return this.withTimeout(reply, `REPLY to function ${functionId} (request ${requestId})`);
  }

  /**
   * Sends several CALLs in one socket write (so the server reads them in one
   * tick of its event loop) and waits for all their REPLYs, in order.
   */
  callTogether(calls: readonly { readonly functionId: number; readonly args: readonly WireArg[] }[]): Promise<ReplyFrame[]> {
    const frames: Buffer[] = [];
    const replies = calls.map(({ functionId, args }) => {
      const requestId = this.newRequest(functionId, args);
      frames.push(encodeFrame({ kind: FrameKind.Call, requestId, functionId, args }));
      return this.withTimeout(new Promise<ReplyFrame>((resolve) => this.replies.set(requestId, resolve)), `REPLY to request ${requestId}`);
    });
    this.writeRaw(Buffer.concat(frames));
    return Promise.all(replies);
  }

  /** Sends a CALL and collects every REPLY to it (progress replies with flag MORE, then the last one). */
  callAll(functionId: number, args: readonly WireArg[] = []): Promise<ReplyFrame[]> {
    const requestId = this.newRequest(functionId, args);
    const all: ReplyFrame[] = [];
    const done = new Promise<ReplyFrame[]>((resolve) =>
      this.replies.set(requestId, (r) => {
        all.push(r);
        if ((r.flags & 1) === 0) resolve(all);
      }),
    );
    this.writeRaw(encodeFrame({ kind: FrameKind.Call, requestId, functionId, args }));
    return this.withTimeout(done, `REPLY to function ${functionId} (request ${requestId})`);
  }

  /** RESUME (id 100) as libtimlocal sends it after a reconnect: user id, sig and session generation. */
  resume(userId: string, userSig: string, generation: bigint): Promise<ReplyFrame> {
    return this.call(FunctionId.Resume, [arg.str(userId), arg.str(userSig), arg.u64(generation)]);
  }

  /** Sends a CALL with request id 0 (no reply wanted). */
  callNoReply(functionId: number, args: readonly WireArg[] = []): void {
    this.writeRaw(encodeFrame({ kind: FrameKind.Call, requestId: 0, functionId, args }));
  }

  /** The next not yet consumed EVENT with this id (waits for it). */
  nextEvent(eventId: number, ms = this.timeoutMs): Promise<EventFrame> {
    const i = this.events.findIndex((e) => e.eventId === eventId);
    if (i >= 0) return Promise.resolve(this.events.splice(i, 1)[0]!);
    const p = new Promise<EventFrame>((resolve) => this.waiters.push({ eventId, resolve }));
    return this.withTimeout(p, `EVENT ${eventId}`, ms);
  }

  /** Not yet consumed events with this id, consumed now. */
  takeEvents(eventId: number): EventFrame[] {
    const taken = this.events.filter((e) => e.eventId === eventId);
    for (const e of taken) this.events.splice(this.events.indexOf(e), 1);
    return taken;
  }

  /** Waits `ms` and fails if an event with this id arrived meanwhile (consumed or not). */
  async expectNoEvent(eventId: number, ms = 150): Promise<void> {
    const before = this.allEvents.filter((e) => e.eventId === eventId).length;
    await new Promise((r) => setTimeout(r, ms));
    const after = this.allEvents.filter((e) => e.eventId === eventId).length;
    if (after !== before) throw new Error(`unexpected EVENT ${eventId}`);
  }

  /** Resolves true if the server closes the socket within `ms`. */
  async waitClosed(ms = this.timeoutMs): Promise<boolean> {
    return this.withTimeout(this.closed, 'socket close', ms).then(
      () => true,
      () => false,
    );
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The string value of an event/arg, asserting its tag. */
export function strArg(a: WireArg | undefined): string {
  if (a === undefined || a.tag !== 1) throw new Error(`expected a string arg, got ${JSON.stringify(a, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return a.value;
}

export function intArgValue(a: WireArg | undefined): bigint {
  if (a === undefined || (a.tag !== 2 && a.tag !== 3)) throw new Error('expected an integer arg');
  return a.value;
}
