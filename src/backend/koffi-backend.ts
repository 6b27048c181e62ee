import { join } from 'node:path';
import { Observable, type Subscriber } from 'rxjs';
import { TimError } from '../errors.js';
import { disposedReply, isFinalReply, type CommandApi, type SyncApi } from './api.js';
import { EventSubjects } from './event-subjects.js';
import { NativeLibrary, type NativeSink } from './native-library.js';
import { packageDir } from './package-dir.js';
import type { NativeArg, NativeEventStreams, RawReply, TimBackend } from './types.js';

/** The libtimlocal built by `npm install` (native/build/libtimlocal.so). */
export const defaultLibraryPath = join(packageDir, 'native', 'build', 'libtimlocal.so');

export interface KoffiBackendOptions {
  /** Path of a library with the Tencent IM C ABI; default: the built libtimlocal. */
  readonly library?: string;
  /** How long dispose() waits for replies still pending after TIMUninit (ms). Default 2000. */
  readonly disposeTimeoutMs?: number;
  /**
   * Where the library's callbacks run. `'event-loop'` (the default where the
   * library offers it: libtimlocal): queued by the library and run in
   * batches on Node's event loop. `'library-thread'`: called from the
   * library's own thread through koffi, one thread hand-off per callback —
   * the only way with Tencent's libImSDK.so, which is used that way whatever
   * this says.
   */
  readonly callbacks?: CallbackDelivery;
}

/** How native callbacks reach JavaScript; see {@link KoffiBackendOptions.callbacks}. */
export type CallbackDelivery = 'event-loop' | 'library-thread';

/** A request waiting for its reply(s): who asked, and for what (multi-shot APIs keep it until the final reply). */
interface Pending {
  readonly api: CommandApi;
  readonly subscriber: Subscriber<RawReply>;
}

/**
 * TimBackend over koffi. One per library at a time (the C SDK is
 * process-global): creating a second one on the same library before the first
 * is disposed throws.
 *
 * Keeps the process alive (a ref'd timer) from `init` until `dispose`: koffi
 * does not hold the event loop, and a callback queued from the native thread
 * would otherwise be dropped when Node exits.
 */
export class KoffiBackend implements TimBackend {
  readonly events: NativeEventStreams;
  readonly library: NativeLibrary;

  private readonly pending = new Map<number, Pending>();
  private readonly hot = new EventSubjects();
  private nextRequestId = 1;
  private delivery: CallbackDelivery = 'library-thread';
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private initialized = false;
  private disposed = false;

  constructor(private readonly options: KoffiBackendOptions = {}) {
    this.library = NativeLibrary.open(options.library ?? defaultLibraryPath);
    // A library has one sink: set while a client uses it, cleared by its dispose.
    if (this.library.sink !== null) {
      throw new Error(`a tim-rx client already uses ${this.library.path}; dispose it first (the C SDK is process-global)`);
    }
    this.events = this.hot.streams;
    this.library.sink = this.sink;
  }

  /** How callbacks reach JavaScript now: `'event-loop'` from a successful init on, where the library offers it and the options allow it. */
  get callbackDelivery(): CallbackDelivery {
    return this.delivery;
  }

  /** Requests whose reply has not come yet (unsubscribed ones are forgotten at once). */
  get pendingRequests(): number {
    return this.pending.size;
  }

  init(sdkAppId: bigint, sdkConfigJson: string): number {
    this.assertUsable('TIMInit');
    // Before TIMInit, so that what the library reports during it comes the same way.
    this.setDelivery(this.options.callbacks ?? 'event-loop');
    // Listeners before TIMInit catch what the SDK reports during it; again
    // after, because Tencent's SDK may drop those set before it.
    this.library.setListeners(true);
    const result = this.library.init(sdkAppId, sdkConfigJson);
    if (result !== 0) {
      this.library.setListeners(false);
      this.setDelivery('library-thread');
    }
    if (result === 0) {
      this.initialized = true;
      this.library.setListeners(true);
      this.keepAlive ??= setInterval(() => undefined, 1 << 30);
    }
    return result;
  }

  setConfig(configJson: string): number {
    this.assertUsable('TIMSetConfig');
    // Its reply (an echo) is not needed: request id 0 is never routed.
    return this.library.setConfig(configJson, 0);
  }

  version(): string {
    return this.library.version();
  }

  call(api: CommandApi, args: readonly NativeArg[]): Observable<RawReply> {
    return new Observable<RawReply>((subscriber) => {
      if (this.disposed) {
        subscriber.error(TimError.disposed(api));
        return;
      }
      const id = this.allocateRequestId();
      // The entry exists before the C call: some callbacks fire inside it.
      this.pending.set(id, { api, subscriber });
      let result: number;
      try {
        result = this.library.command(api, args, id);
      } catch (e) {
        this.pending.delete(id);
        subscriber.error(TimError.badArguments(api, e));
        return;
      }
      if (result !== 0) {
        this.pending.delete(id);
        subscriber.error(TimError.sync(api, result));
        return;
      }
      // Unsubscribed before the reply: forget it; the late reply is dropped.
      return () => {
        this.pending.delete(id);
      };
    });
  }

  invoke(api: SyncApi, args: readonly NativeArg[]): number {
    this.assertUsable(api);
    try {
      return this.library.invoke(api, args);
    } catch (e) {
      throw TimError.badArguments(api, e);
    }
  }

  /**
   * Listeners to NULL → TIMUninit → pending replies drained (bounded) → the
   * rest settled with 7009 → events complete → keep-alive released. A
   * TIMUninit that fails (a TIMResult other than 0, or a call koffi cannot
   * make) does not stop the rest: dispose rejects with its `TimError` after.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    let failure: TimError | undefined;
    try {
      if (this.initialized) {
        failure = this.uninit();
        await this.drainPending(this.options.disposeTimeoutMs ?? 2000);
      }
    } finally {
      this.release();
    }
    if (failure !== undefined) throw failure;
  }

  /** Listeners off, then TIMUninit: what failed, as a TimError. */
  private uninit(): TimError | undefined {
    try {
      this.library.setListeners(false);
      const result = this.library.uninit();
      return result === 0 ? undefined : TimError.sync('TIMUninit', result);
    } catch (e) {
      return TimError.badArguments('TIMUninit', e);
    }
  }

  /** What nothing may keep after dispose: pending requests (7009), the library's sink, the event streams, the keep-alive. */
  private release(): void {
    if (this.initialized) this.setDelivery('library-thread'); // the next client of this library chooses again
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.subscriber.next(disposedReply);
      p.subscriber.complete();
    }
    this.library.sink = null;
    this.hot.complete();
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }

  /**
   * Callbacks from the library's thread are delivered after the trampoline
   * returns (that thread is blocked until then, and acknowledges new messages
   * as soon as it is released). On the event loop nothing waits for the
   * trampoline, so it delivers at once: the library acknowledges new messages
   * only after the synchronous subscribers of messages$ have run.
   */
  private readonly sink: NativeSink = {
    reply: (requestId, code, desc, json) => {
      if (this.delivery === 'event-loop') this.deliver(requestId, { code, desc, json });
      else queueMicrotask(() => this.deliver(requestId, { code, desc, json }));
    },
    event: (name, payload) => {
      if (this.delivery === 'event-loop') this.hot.emit(name, payload);
      else queueMicrotask(() => this.hot.emit(name, payload));
    },
  };

  /** A reply to its request, if still wanted; the final one completes it. */
  private deliver(requestId: number, reply: RawReply): void {
    const p = this.pending.get(requestId);
    if (p === undefined) return;
    p.subscriber.next(reply);
    if (isFinalReply(p.api, reply.code, reply.desc)) {
      this.pending.delete(requestId);
      p.subscriber.complete();
    }
  }

  private setDelivery(want: CallbackDelivery): void {
    const host = this.library.hostDispatch;
    if (!host || want === this.delivery) return;
    if (want === 'library-thread') host.disable();
    this.delivery = want === 'event-loop' && host.enable() ? 'event-loop' : 'library-thread';
  }

  private drainPending(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const started = Date.now();
      const poll = (): void => {
        if (this.pending.size === 0 || Date.now() - started >= timeoutMs) resolve();
        else setTimeout(poll, 5);
      };
      poll();
    });
  }

  private allocateRequestId(): number {
    const id = this.nextRequestId;
    // user_data 0 arrives as null, so ids start at 1; wrap well inside uint32.
    this.nextRequestId = id >= 0x7fffffff ? 1 : id + 1;
    return id;
  }

  private assertUsable(api: string): void {
    if (this.disposed) throw TimError.disposed(api);
  }
}
