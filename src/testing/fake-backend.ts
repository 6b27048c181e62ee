/**
 * A `TimBackend` that a test drives: emit any native event (raw callback
 * arguments, as the C library would pass them), script any command's reply,
 * and read every call made. `createTimClient({ sdkAppId, backend: fake })`
 * runs the whole client — codecs, commands, events, state — over it, with
 * no native code.
 */
import { Observable, Subject, asyncScheduler, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { disposedReply, type CommandApi, type SyncApi } from '../backend/api.js';
import type { NativeArg, NativeEvent, NativeEventMap, NativeEventStreams, RawReply, TimBackend } from '../backend/types.js';
import { EventSubjects } from '../backend/event-subjects.js';
import { TimError } from '../errors.js';
import { fails, ok, type RecordedCall, type ReplyScript, type ScriptedReply } from './replies.js';

export interface FakeTimBackendOptions {
  /** The clock of `late` replies and of `RecordedCall.at`. Default `asyncScheduler` (virtual inside `TestScheduler.run`). */
  readonly scheduler?: SchedulerLike;
  /** What TIMGetSDKVersion returns. */
  readonly version?: string;
  /** TIMInit's TIMResult (e.g. -4 to test a refused init). Default 0. */
  readonly initResult?: number;
  /** TIMUninit's TIMResult: other than 0, `dispose()` does everything else, then rejects with a `TimError` of kind `sync`. Default 0. */
  readonly uninitResult?: number;
}

/** Replies used when a test scripted none: login and logout succeed, the list is empty, the rest is 7013. */
const defaults: Partial<Record<CommandApi, ReplyScript>> = {
  TIMLogin: ok(),
  TIMLogout: ok(),
  TIMConvGetConvList: ok('[]'),
};


export class FakeTimBackend implements TimBackend {
  readonly events: NativeEventStreams;
  /** Every TIMSetConfig JSON, in order. */
  readonly configs: string[] = [];
  /** TIMInit's arguments, once called. */
  initArgs: { readonly sdkAppId: bigint; readonly sdkConfigJson: string } | undefined;
  disposed = false;

  private readonly hot = new EventSubjects();
  private readonly recorded: RecordedCall[] = [];
  private readonly callSubject = new Subject<RecordedCall>();
  private readonly scripts = new Map<CommandApi, ReplyScript>();
  private readonly once = new Map<CommandApi, ReplyScript[]>();
  private readonly scheduler: SchedulerLike;
  /** Calls subscribed and not settled: the subscriber, and the teardown of its scripted reply. */
  private readonly inFlight = new Map<Subscriber<RawReply>, Subscription>();

  constructor(private readonly options: FakeTimBackendOptions = {}) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.events = this.hot.streams;
  }

  // ---- what a test does ----

  /** Every later call of `api` answers with `script` (replacing an earlier one). */
  reply(api: CommandApi, script: ReplyScript): this {
    this.scripts.set(api, script);
    return this;
  }

  /** The next call of `api` answers with `script`; queued in order, before the `reply` script. */
  replyOnce(api: CommandApi, script: ReplyScript): this {
    this.once.set(api, [...(this.once.get(api) ?? []), script]);
    return this;
  }

  /** Fires a native event now, with the raw arguments of its C callback (see `nativeEvent` for builders). */
  emit<K extends NativeEvent>(event: K, payload: NativeEventMap[K]): void {
    this.hot.emit(event, payload);
  }

  /** Fires each value of `source` as a native event (a marble `hot`/`cold` observable in a TestScheduler). */
  drive<K extends NativeEvent>(event: K, source: Observable<NativeEventMap[K]>): Subscription {
    return source.subscribe((payload) => this.emit(event, payload));
  }

  /** Every call made so far, in order. */
  get calls(): readonly RecordedCall[] {
    return this.recorded;
  }

  /** Calls as they are made (hot). */
  get calls$(): Observable<RecordedCall> {
    return this.callSubject.asObservable();
  }

  /** The calls of one API. */
  callsTo(api: CommandApi): readonly RecordedCall[] {
    return this.recorded.filter((c) => c.api === api);
  }

  /** Calls subscribed and not settled yet (replies scripted late or never, not unsubscribed). */
  get pending(): number {
    return this.inFlight.size;
  }

  // ---- TimBackend ----

  init(sdkAppId: bigint, sdkConfigJson: string): number {
    this.initArgs = { sdkAppId, sdkConfigJson };
    return this.options.initResult ?? 0;
  }

  setConfig(configJson: string): number {
    this.configs.push(configJson);
    return 0;
  }

  version(): string {
    return this.options.version ?? 'fake';
  }

  /** Calls of the C functions without a callback (TIMConvSetDraft, TIMConvCancelDraft), in order. */
  readonly invocations: { readonly api: SyncApi; readonly args: readonly NativeArg[] }[] = [];
  /** The TIMResult `invoke` returns, per API (default 0). */
  readonly invokeResults = new Map<SyncApi, number>();

  invoke(api: SyncApi, args: readonly NativeArg[]): number {
    if (this.disposed) throw TimError.disposed(api);
    this.invocations.push({ api, args: [...args] });
    return this.invokeResults.get(api) ?? 0;
  }

  call(api: CommandApi, args: readonly NativeArg[]): Observable<RawReply> {
    return new Observable<RawReply>((subscriber) => {
      if (this.disposed) {
        subscriber.error(TimError.disposed(api));
        return;
      }
      const call: RecordedCall = { api, args: [...args], at: this.scheduler.now() };
      this.recorded.push(call);
      this.callSubject.next(call);
      const reply = this.scriptFor(api, call);
      if ('syncResult' in reply) {
        subscriber.error(TimError.sync(api, reply.syncResult));
        return;
      }
      const subscription = reply.subscribe({
        next: (r) => subscriber.next(r),
        error: (e: unknown) => {
          this.inFlight.delete(subscriber);
          subscriber.error(e);
        },
        complete: () => {
          this.inFlight.delete(subscriber);
          subscriber.complete();
        },
      });
      if (!subscription.closed) this.inFlight.set(subscriber, subscription);
      return () => {
        this.inFlight.delete(subscriber);
        subscription.unsubscribe();
      };
    });
  }

  /**
   * As the koffi backend: every call in flight gets 7009 and completes, the
   * events complete, later calls error with kind `disposed`; then, with an
   * `uninitResult` other than 0, it rejects with that TimError.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const waiting = [...this.inFlight];
    this.inFlight.clear();
    for (const [subscriber, reply] of waiting) {
      reply.unsubscribe();
      subscriber.next(disposedReply);
      subscriber.complete();
    }
    this.hot.complete();
    this.callSubject.complete();
    // As with a library, TIMUninit is called only after a successful TIMInit.
    const uninit = this.options.uninitResult ?? 0;
    if (uninit !== 0 && this.initArgs !== undefined && (this.options.initResult ?? 0) === 0) throw TimError.sync('TIMUninit', uninit);
  }

  private scriptFor(api: CommandApi, call: RecordedCall): ScriptedReply {
    const queued = this.once.get(api);
    const script = queued?.shift() ?? this.scripts.get(api) ?? defaults[api]
      ?? fails(7013, `FakeTimBackend: no reply scripted for ${api}`);
    return typeof script === 'function' ? script(call, { scheduler: this.scheduler }) : script;
  }
}
