/**
 * What a function handler gets and returns.
 */
import type { Connection } from '../connection.js';
import type { Delivery } from '../delivery.js';
import type { Logger } from '../log.js';
import type { Sessions } from '../sessions.js';
import type { Store } from '../storage/store.js';
import type { WireArg } from '../wire/codec.js';

export interface EmulatorContext {
  readonly store: Store;
  readonly sessions: Sessions;
  readonly delivery: Delivery;
  readonly log: Logger;
  readonly sdkAppId: number;
  readonly secretKey: string;
}

export interface CallResult {
  readonly code: number;
  readonly desc: string;
  readonly json: string;
  /** Work to do after the REPLY has been sent (events that must follow it). */
  readonly after?: () => void;
}

export interface CallInput {
  readonly conn: Connection;
  readonly requestId: number;
  readonly functionName: string;
  readonly args: readonly WireArg[];
}

export type Handler = (ctx: EmulatorContext, call: CallInput) => CallResult;

export const ok = (json = '', after?: () => void): CallResult => (after ? { code: 0, desc: '', json, after } : { code: 0, desc: '', json });

export const failure = (code: number, desc: string, json = ''): CallResult => ({ code, desc, json });
