import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defer, type Observable, type SchedulerLike } from 'rxjs';
import { KoffiBackend } from './backend/koffi-backend.js';
import type { TimBackend } from './backend/types.js';
import { SdkConfig, SetConfig } from './codecs/config.js';
import { encodeJson } from './codecs/decode.js';
import { conversationApi, type ConversationApi } from './commands/conversation.js';
import { login, logout } from './commands/manager.js';
import { messageApi, type MessageApi } from './commands/message.js';
import { TimError } from './errors.js';
import { createDiagnostics, type Diagnostic } from './streams/diagnostics.js';
import { createEvents, type TimEvents } from './streams/events.js';

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
}

export interface TimClient {
  /** The library's TIMGetSDKVersion. */
  readonly version: string;
  login(userId: string, userSig: string): Observable<void>;
  logout(): Observable<void>;
  readonly conversations: ConversationApi;
  readonly messages: MessageApi;
  readonly events: TimEvents;
  /** Payloads of hot streams that did not decode. */
  readonly diagnostics$: Observable<Diagnostic>;
  /** Listeners off → TIMUninit → pending replies settled; completes every stream. */
  dispose(): Observable<void>;
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
  return {
    version: backend.version(),
    login: (userId, userSig) => login(backend, userId, userSig),
    logout: () => logout(backend),
    conversations: conversationApi(backend),
    messages: messageApi(backend),
    events,
    diagnostics$: diagnostics.diagnostics$,
    dispose: () => defer(() => backend.dispose()),
  };
}

function defaultSdkConfig(sdkAppId: bigint): SdkConfig {
  const dir = join(tmpdir(), 'tim-rx', String(sdkAppId));
  mkdirSync(dir, { recursive: true });
  return { configFilePath: dir, logFilePath: dir };
}
