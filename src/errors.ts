/**
 * The one error class of tim-rx. Two layers, as the C API has them:
 * - `sync`: the C function returned a TIMResult other than TIM_SUCC (-1 … -6);
 * - `async`: the TIMCommCallback carried a non-zero code;
 * - `decode`: the reply arrived but its JSON does not match the spec's shape;
 * - `disposed`: the client was disposed before the reply came.
 */
export type TimErrorKind = 'sync' | 'async' | 'decode' | 'disposed';

export class TimError extends Error {
  override readonly name = 'TimError';

  constructor(
    readonly kind: TimErrorKind,
    readonly api: string,
    readonly code: number,
    readonly desc: string,
    readonly raw?: string,
  ) {
    super(`${api} failed (${kind} ${code}): ${desc}`);
  }

  /** The C function returned `result` (a TIMResult other than TIM_SUCC). */
  static sync(api: string, result: number): TimError {
    return new TimError('sync', api, result, `${api} returned ${result}`);
  }

  /** The arguments could not be passed to the C function (the call was not made): TIM_ERR_PARAM. */
  static badArguments(api: string, cause: unknown): TimError {
    return new TimError('sync', api, TimResult.Param, `bad arguments: ${cause instanceof Error ? cause.message : String(cause)}`);
  }

  /** The client was disposed before the call, or before its reply. */
  static disposed(api: string): TimError {
    return new TimError('disposed', api, 0, 'the client was disposed');
  }
}

/** True when `e` is a TimError, optionally with the given code. */
export function isTimError(e: unknown, code?: number): e is TimError {
  return e instanceof TimError && (code === undefined || e.code === code);
}

/** TIMResult: the synchronous return value of every `int TIMxxx(...)`. */
export const TimResult = {
  Success: 0,
  SdkUninit: -1,
  NotLogin: -2,
  Json: -3,
  Param: -4,
  Conv: -5,
  Group: -6,
} as const;

/** Callback codes a caller is likely to branch on (reference.md § D.2). */
export const TimCode = {
  NotInitialized: 6013,
  NotLoggedIn: 6014,
  InvalidParameters: 6017,
  KickedByOthers: 6208,
  NoNetworkOnRequest: 6200,
  NoNetworkOnResponse: 6201,
  Interrupted: 7009,
  NotSupported: 7013,
  NetDisconnected: 9508,
  NetConnectionRefused: 9511,
  UserSigExpired: 70001,
  UserSigEmpty: 70002,
  UserSigCheckFailed: 70003,
  UserSigMismatchId: 70013,
  UserSigMismatchSdkAppId: 70014,
  SdkAppIdNotFound: 70020,
} as const;
