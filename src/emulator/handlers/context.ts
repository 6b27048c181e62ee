/**
 * What a function handler gets and returns.
 */
import type { Connection } from '../connection.js';
import type { Delivery } from '../delivery.js';
import type { FileStore } from '../files.js';
import type { UnknownAccounts } from '../accounts.js';
import type { MessageHook } from '../hook.js';
import type { Logger } from '../log.js';
import type { Sessions } from '../sessions.js';
import type { TransferRegistry } from '../transfers.js';
import type { Store } from '../storage/store.js';
import type { WireArg } from '../wire/codec.js';

export interface EmulatorContext {
  readonly store: Store;
  readonly sessions: Sessions;
  readonly delivery: Delivery;
  readonly log: Logger;
  readonly sdkAppId: number;
  readonly secretKey: string;
  /** Uploaded files (a folder beside the database). */
  readonly files: FileStore;
  /** File transfers with each connection's client library (the bytes of uploads and downloads). */
  readonly transfers: TransferRegistry;
  /** Message rules configured at startEmulator. */
  readonly rules: MessageRules;
}

/** Message behaviour configured at startEmulator. */
export interface MessageRules {
  /** How long after sending (server time) the sender may revoke a message, in seconds. */
  readonly revokeTimeLimitSeconds: number;
  /** The before-send hook, if any. */
  readonly messageHook?: MessageHook;
  /** Current time in milliseconds (message times, revoke limits). */
  readonly now: () => number;
  /** Whether a peer or member id that is not an account is accepted or refused (accounts.ts). */
  readonly unknownAccounts: UnknownAccounts;
}

/** Current server time in UTC seconds. */
export const nowSeconds = (ctx: EmulatorContext): number => Math.floor(ctx.rules.now() / 1000);

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

/** A handler answers at once, or later (uploads, downloads); the calls of one connection are answered in order. */
export type Handler = (ctx: EmulatorContext, call: CallInput) => CallResult | Promise<CallResult>;

export const ok = (json = '', after?: () => void): CallResult => (after ? { code: 0, desc: '', json, after } : { code: 0, desc: '', json });

export const failure = (code: number, desc: string, json = ''): CallResult => ({ code, desc, json });
