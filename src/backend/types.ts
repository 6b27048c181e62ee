import type { Observable } from 'rxjs';
import type { CommandApi, SyncApi } from './api.js';

/** One argument of a C call: a string (`const char*`, null = NULL), a 32-bit enum/int, or a uint64. */
export type NativeArg = string | null | number | bigint;

/** What a TIMCommCallback delivers. */
export interface RawReply {
  readonly code: number;
  readonly desc: string;
  readonly json: string;
}

/** The raw arguments of each native event callback, keyed by event name. */
export interface NativeEventMap {
  recvNewMsg: { readonly json: string };
  msgReadedReceipt: { readonly json: string };
  msgRevoke: { readonly json: string };
  msgElemUploadProgress: { readonly json: string; readonly index: number; readonly current: number; readonly total: number };
  groupTips: { readonly json: string };
  convEvent: { readonly event: number; readonly json: string };
  networkStatus: { readonly status: number; readonly code: number; readonly desc: string };
  kickedOffline: Record<string, never>;
  userSigExpired: Record<string, never>;
  log: { readonly level: number; readonly text: string };
  msgUpdate: { readonly json: string };
}

export type NativeEvent = keyof NativeEventMap;

export type NativeEventStreams = { readonly [K in NativeEvent]: Observable<NativeEventMap[K]> };

/**
 * The seam between RxJS and native code: raw C calls in, raw replies and raw
 * events out. Implemented by the koffi backend (any library with the C ABI)
 * and by the fake backend of `tim-rx/testing`.
 */
export interface TimBackend {
  /** TIMInit: returns the synchronous TIMResult. */
  init(sdkAppId: bigint, sdkConfigJson: string): number;
  /** TIMSetConfig, fire-and-forget before or after init: returns the TIMResult. */
  setConfig(configJson: string): number;
  /** TIMGetSDKVersion. */
  version(): string;
  /**
   * A command: cold; each subscription makes one native call. A non-zero
   * TIMResult errors with a `TimError` of kind `sync`. Emits every callback
   * reply (code 0 or not) and completes after the last one (one for most
   * functions; TIMMsgDownloadElemToPath is multi-shot). Unsubscribing drops a
   * late reply.
   */
  call(api: CommandApi, args: readonly NativeArg[]): Observable<RawReply>;
  /** A C function without a callback (TIMConvSetDraft, TIMConvCancelDraft): returns its TIMResult. */
  invoke(api: SyncApi, args: readonly NativeArg[]): number;
  /** Hot raw event streams, attached to the native library once. */
  readonly events: NativeEventStreams;
  /**
   * Listeners off → TIMUninit → wait (bounded) for pending replies; then
   * releases what keeps the process alive. Idempotent. When TIMUninit fails
   * it still releases everything, then rejects with a `TimError`.
   */
  dispose(): Promise<void>;
}
