import { realpathSync } from 'node:fs';
import koffi from 'koffi';
import { commandApis, syncApis, type ArgKind, type CommandApi, type SyncApi } from './api.js';
import { HostDispatch } from './host-dispatch.js';
import type { NativeArg, NativeEvent, NativeEventMap } from './types.js';

/**
 * One loaded library with the Tencent IM C ABI (libtimlocal or libImSDK.so),
 * its bindings and its trampolines. The C SDK is process-global, so there is
 * one NativeLibrary per library file per process, created on first use.
 *
 * Native boundary rules (DESIGN.md, notes/koffi.md):
 * - the library is pinned with dlopen(RTLD_NOW | RTLD_NODELETE) before
 *   koffi.load: it is never unmapped while its threads run;
 * - one TIMCommCallback trampoline for every command, routed by the request
 *   id passed as user_data; one trampoline per event callback; all registered
 *   once and never unregistered (native code may call them until exit);
 * - trampolines copy their arguments and never throw.
 */

/** Where trampolines deliver. The current backend installs itself here. */
export interface NativeSink {
  reply(requestId: number, code: number, desc: string, json: string): void;
  event<K extends NativeEvent>(name: K, payload: NativeEventMap[K]): void;
}

type KoffiFn = ((...args: unknown[]) => unknown) & { async?: unknown };

const RTLD_NOW = 2;
const RTLD_NODELETE = 0x1000;

let prototypesDeclared = false;
function declarePrototypes(): void {
  if (prototypesDeclared) return;
  prototypesDeclared = true;
  // Prefixed names: koffi's type names are process-global.
  koffi.proto('void TimRxCommCallback(int32_t code, const char *desc, const char *json_params, const void *user_data)');
  koffi.proto('void TimRxJsonCallback(const char *json, const void *user_data)');
  koffi.proto('void TimRxUploadProgressCallback(const char *json_msg, uint32_t index, uint32_t cur_size, uint32_t total_size, const void *user_data)');
  koffi.proto('void TimRxConvEventCallback(int conv_event, const char *json_conv_array, const void *user_data)');
  koffi.proto('void TimRxNetworkStatusCallback(int status, int32_t code, const char *desc, const void *user_data)');
  koffi.proto('void TimRxVoidCallback(const void *user_data)');
  koffi.proto('void TimRxLogCallback(int level, const char *log, const void *user_data)');
}

/** The setter of each event and the prototype of its callback. */
const eventSetters: { readonly [K in NativeEvent]: { setter: string; proto: string } } = {
  recvNewMsg: { setter: 'TIMSetRecvNewMsgCallback', proto: 'TimRxJsonCallback' },
  msgReadedReceipt: { setter: 'TIMSetMsgReadedReceiptCallback', proto: 'TimRxJsonCallback' },
  msgRevoke: { setter: 'TIMSetMsgRevokeCallback', proto: 'TimRxJsonCallback' },
  msgElemUploadProgress: { setter: 'TIMSetMsgElemUploadProgressCallback', proto: 'TimRxUploadProgressCallback' },
  groupTips: { setter: 'TIMSetGroupTipsEventCallback', proto: 'TimRxJsonCallback' },
  convEvent: { setter: 'TIMSetConvEventCallback', proto: 'TimRxConvEventCallback' },
  networkStatus: { setter: 'TIMSetNetworkStatusListenerCallback', proto: 'TimRxNetworkStatusCallback' },
  kickedOffline: { setter: 'TIMSetKickedOfflineCallback', proto: 'TimRxVoidCallback' },
  userSigExpired: { setter: 'TIMSetUserSigExpiredCallback', proto: 'TimRxVoidCallback' },
  log: { setter: 'TIMSetLogCallback', proto: 'TimRxLogCallback' },
  msgUpdate: { setter: 'TIMSetMsgUpdateCallback', proto: 'TimRxJsonCallback' },
};

const cTypes: Record<ArgKind, string> = { string: 'const char *', int: 'int', uint64: 'uint64_t' };

/** Turns the raw arguments of each event callback into its payload. */
const eventPayloads: { readonly [K in NativeEvent]: (...a: unknown[]) => NativeEventMap[K] } = {
  recvNewMsg: (json) => ({ json: str(json) }),
  msgReadedReceipt: (json) => ({ json: str(json) }),
  msgRevoke: (json) => ({ json: str(json) }),
  msgElemUploadProgress: (json, index, current, total) => ({
    json: str(json), index: Number(index), current: Number(current), total: Number(total),
  }),
  groupTips: (json) => ({ json: str(json) }),
  convEvent: (event, json) => ({ event: Number(event), json: str(json) }),
  networkStatus: (status, code, desc) => ({ status: Number(status), code: Number(code), desc: str(desc) }),
  kickedOffline: () => ({}),
  userSigExpired: () => ({}),
  log: (level, text) => ({ level: Number(level), text: str(text) }),
  msgUpdate: (json) => ({ json: str(json) }),
};

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

const libraries = new Map<string, NativeLibrary>();

export class NativeLibrary {
  /** The library at `path`, loaded (and pinned) on first use. */
  static open(path: string): NativeLibrary {
    const key = realpathSync(path);
    let lib = libraries.get(key);
    if (!lib) {
      lib = new NativeLibrary(key);
      libraries.set(key, lib);
    }
    return lib;
  }

  /** Receives every trampoline call; null = drop. */
  sink: NativeSink | null = null;
  /** True when the library exports TIMAddRecvNewMsgCallback (Tencent v8) instead of TIMSetRecvNewMsgCallback. */
  readonly addRecvNewMsg: boolean;
  /** libtimlocal's host dispatch mode (native/tim_local.h); undefined for a library without it (Tencent's). */
  readonly hostDispatch: HostDispatch | undefined;

  private readonly lib: ReturnType<typeof koffi.load>;
  private readonly commands = new Map<CommandApi, KoffiFn>();
  private readonly syncFunctions = new Map<SyncApi, KoffiFn>();
  private readonly commTrampoline: unknown;
  private readonly eventTrampolines = new Map<NativeEvent, unknown>();
  private readonly setters = new Map<NativeEvent, KoffiFn>();
  private readonly fnInit: KoffiFn;
  private readonly fnUninit: KoffiFn;
  private readonly fnVersion: KoffiFn;
  private readonly fnSetConfig: KoffiFn;
  private readonly fnRemoveRecvNewMsg: KoffiFn | undefined;

  private constructor(readonly path: string) {
    declarePrototypes();
    const dlopen = koffi.load('libc.so.6').func('void *dlopen(const char *file, int mode)') as KoffiFn;
    dlopen(path, RTLD_NOW | RTLD_NODELETE);
    this.lib = koffi.load(path);
    const fn = (decl: string): KoffiFn => this.lib.func(decl) as KoffiFn;

    this.fnInit = fn('int TIMInit(uint64_t sdk_app_id, const char *json_sdk_config)');
    this.fnUninit = fn('int TIMUninit()');
    this.fnVersion = fn('const char *TIMGetSDKVersion()');
    this.fnSetConfig = fn('int TIMSetConfig(const char *json_config, TimRxCommCallback *cb, const void *user_data)');
    for (const [api, kinds] of Object.entries(commandApis) as [CommandApi, readonly ArgKind[]][]) {
      const params = kinds.map((k, i) => `${cTypes[k]} a${i}`).concat('TimRxCommCallback *cb', 'const void *user_data');
      this.commands.set(api, fn(`int ${api}(${params.join(', ')})`));
    }

    for (const [api, kinds] of Object.entries(syncApis) as [SyncApi, readonly ArgKind[]][]) {
      this.syncFunctions.set(api, fn(`int ${api}(${kinds.map((k, i) => `${cTypes[k]} a${i}`).join(', ')})`));
    }

    this.addRecvNewMsg = this.hasSymbol('TIMAddRecvNewMsgCallback');
    for (const [event, { setter, proto }] of Object.entries(eventSetters) as [NativeEvent, { setter: string; proto: string }][]) {
      const name = event === 'recvNewMsg' && this.addRecvNewMsg ? 'TIMAddRecvNewMsgCallback' : setter;
      this.setters.set(event, fn(`void ${name}(${proto} *cb, const void *user_data)`));
      this.eventTrampolines.set(event, this.registerEvent(event, proto));
    }
    this.fnRemoveRecvNewMsg = this.addRecvNewMsg
      ? fn('void TIMRemoveRecvNewMsgCallback(TimRxJsonCallback *cb)')
      : undefined;
    this.hostDispatch = this.hasSymbol('TIMLocalHostDispatch')
      ? new HostDispatch(fn('int TIMLocalHostDispatch(int on)'), fn('int TIMLocalDispatch(int max)'))
      : undefined;

    this.commTrampoline = koffi.register((code: number, desc: unknown, json: unknown, userData: unknown) => {
      try {
        this.sink?.reply(Number(userData ?? 0), code, str(desc), str(json));
      } catch {
        /* a trampoline never throws: the native thread is waiting on it */
      }
    }, koffi.pointer('TimRxCommCallback'));
  }

  init(sdkAppId: bigint, config: string): number {
    return this.fnInit(sdkAppId, config) as number;
  }

  uninit(): number {
    return this.fnUninit() as number;
  }

  version(): string {
    return str(this.fnVersion());
  }

  setConfig(json: string, requestId: number): number {
    return this.fnSetConfig(json, this.commTrampoline, BigInt(requestId)) as number;
  }

  /** Calls a command with the shared trampoline; `requestId` ≥ 1 comes back as user_data. */
  command(api: CommandApi, args: readonly NativeArg[], requestId: number): number {
    const f = this.commands.get(api);
    if (!f) throw new Error(`unknown command ${api}`);
    const result = f(...args, this.commTrampoline, BigInt(requestId)) as number;
    this.hostDispatch?.afterCall();
    return result;
  }

  /** Calls a C function that has no callback; returns its TIMResult. */
  invoke(api: SyncApi, args: readonly NativeArg[]): number {
    const f = this.syncFunctions.get(api);
    if (!f) throw new Error(`unknown function ${api}`);
    const result = f(...args) as number;
    this.hostDispatch?.afterCall();
    return result;
  }

  /** Installs (or, with on = false, clears) every event trampoline. */
  setListeners(on: boolean): void {
    for (const [event, setter] of this.setters) {
      const trampoline = this.eventTrampolines.get(event);
      if (event === 'recvNewMsg' && this.fnRemoveRecvNewMsg) {
        // Add-style (v8): remove first, so that setting twice never adds twice.
        this.fnRemoveRecvNewMsg(trampoline);
        if (on) setter(trampoline, null);
        continue;
      }
      setter(on ? trampoline : null, null);
    }
  }

  private registerEvent(event: NativeEvent, proto: string): unknown {
    const toPayload = eventPayloads[event];
    return koffi.register((...args: unknown[]) => {
      try {
        this.sink?.event(event, toPayload(...args.slice(0, -1)));
      } catch {
        /* never throw into native code */
      }
    }, koffi.pointer(proto));
  }

  private hasSymbol(name: string): boolean {
    try {
      this.lib.symbol(name);
      return true;
    } catch {
      return false;
    }
  }
}
