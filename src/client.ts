import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject, type Observable, type SchedulerLike } from 'rxjs';
import { KoffiBackend } from './backend/koffi-backend.js';
import type { TimBackend } from './backend/types.js';
import { SdkConfig, SetConfig } from './codecs/config.js';
import { encodeJson } from './codecs/decode.js';
import { conversationApi, type ConversationApi } from './commands/conversation.js';
import { login, logout, type SessionOutcome } from './commands/manager.js';
import { messageApi, type MessageApi } from './commands/message.js';
import { groupApi, type GroupApi } from './commands/group.js';
import { startDisposal, type Disposal } from './disposal.js';
import { TimError } from './errors.js';
import { createDiagnostics, type Diagnostic } from './streams/diagnostics.js';
import { createEvents, type TimEvents } from './streams/events.js';
import { createTimState, type TimState, type TimStateOptions } from './streams/state.js';

export interface TimClientOptions {
  /** Your SDKAppID (the emulator's `--sdkappid`, or Tencent's console). */
  readonly sdkAppId: number | bigint;
  /** A library with the Tencent IM C ABI: default the built libtimlocal; give libImSDK.so for Tencent's cloud. */
  readonly library?: string;
  /** Use this backend instead of loading a library (e.g. the fake of `tim-rx/testing`). */
  readonly backend?: TimBackend;
  /** `host:port` of the emulator, exported as TIM_EMULATOR_HOST before TIMInit (libtimlocal only). */
  readonly emulatorHost?: string;
  /** TIMInit's SdkConfig; by default the SDK's files go to `<tmpdir>/tim-rx/<sdkAppId>`. */
  readonly sdkConfig?: SdkConfig;
  /** TIMSetConfig, applied before TIMInit. The SDK's console log is off unless `logToConsole` is true. */
  readonly config?: SetConfig;
  /** Where hot events are delivered (an Angular zone scheduler, a TestScheduler, …). Default: synchronously. */
  readonly scheduler?: SchedulerLike;
  /** Options of `tim.state` (conversation order, unread policy, throttling). */
  readonly state?: TimStateOptions;
}

export interface TimClient {
  /** The library's TIMGetSDKVersion. */
  readonly version: string;
  login(userId: string, userSig: string): Observable<void>;
  logout(): Observable<void>;
  readonly conversations: ConversationApi;
  readonly messages: MessageApi;
  readonly groups: GroupApi;
  readonly events: TimEvents;
  /** Replayed, de-duplicated state with a getter beside each stream: connection, conversations, unread. */
  readonly state: TimState;
  /** Payloads of hot streams that did not decode. */
  readonly diagnostics$: Observable<Diagnostic>;
  /**
   * Starts disposing the client at once — listeners off → TIMUninit → pending
   * replies settled → every stream completes → the process may exit — and
   * returns that {@link Disposal}: `await` it or subscribe to it to know when it
   * is done, or why it failed (a `TimError`). Later calls return the same
   * Disposal; commands made after the first call fail with kind `disposed`.
   */
  dispose(): Disposal;
}

/**
 * Creates the client: TIMSetConfig, TIMInit and every event callback happen
 * now, before login, so nothing the server pushes right after login is missed.
 * Throws a `TimError` of kind `sync` when TIMInit refuses.
 */
export function createTimClient(options: TimClientOptions): TimClient {
  if (options.emulatorHost !== undefined) process.env['TIM_EMULATOR_HOST'] = options.emulatorHost;
  const backend = options.backend ?? new KoffiBackend(options.library === undefined ? {} : { library: options.library });
  const sdkAppId = BigInt(options.sdkAppId);

  const setConfig = backend.setConfig(encodeJson(SetConfig, { logToConsole: false, ...options.config }));
  const init = setConfig === 0 ? backend.init(sdkAppId, encodeJson(SdkConfig, options.sdkConfig ?? defaultSdkConfig(sdkAppId))) : setConfig;
  if (init !== 0) {
    void backend.dispose();
    throw new TimError('sync', setConfig === 0 ? 'TIMInit' : 'TIMSetConfig', init, `the library refused to initialize (TIMResult ${init})`);
  }

  const diagnostics = createDiagnostics();
  const events = createEvents(backend, diagnostics, options.scheduler);
  const conversations = conversationApi(backend);
  const session = new Subject<SessionOutcome>();
  const report = (outcome: SessionOutcome): void => session.next(outcome);
  const state = createTimState(
    { events, session$: session, listConversations: () => conversations.list(), diagnostics },
    {
      ...options.state,
      ignoreGroupTipsUnread: options.state?.ignoreGroupTipsUnread ?? options.config?.userConfig?.ignoreGroupTipsUnread ?? false,
      scheduler: options.state?.scheduler ?? options.scheduler,
    },
  );
  let disposal: Disposal | undefined;
  return {
    version: backend.version(),
    login: (userId, userSig) => login(backend, userId, userSig, report),
    logout: () => logout(backend, report),
    conversations,
    messages: messageApi(backend),
    groups: groupApi(backend),
    events,
    state: state.state,
    diagnostics$: diagnostics.diagnostics$,
    dispose: () => (disposal ??= startDisposal(async () => {
      try {
        await backend.dispose();
      } finally {
        state.dispose();
        session.complete();
      }
    })),
  };
}

function defaultSdkConfig(sdkAppId: bigint): SdkConfig {
  const dir = join(tmpdir(), 'tim-rx', String(sdkAppId));
  mkdirSync(dir, { recursive: true });
  return { configFilePath: dir, logFilePath: dir };
}
