/**
 * The tim-rx emulator: a local IM server speaking the wire protocol of
 * docs/wire-protocol.md to libtimlocal, with SQLite storage.
 *
 * It runs in-process and never blocks the event loop waiting for a client,
 * so the C library may run in the same Node process.
 */
import { accountListProblem, DEFAULT_UNKNOWN_ACCOUNTS, importAccounts, UNKNOWN_ACCOUNT_MODES, type UnknownAccounts } from './accounts.js';
import { FileStore } from './files.js';
import type { MessageHook } from './hook.js';
import { resolveLimits, type ResourceLimits } from './limits.js';
import { createLogger, type LogLevel, type LogSink } from './log.js';
import { EmulatorServer } from './server.js';
import { DATABASE_CHECKS, type DatabaseCheck } from './storage/integrity.js';
import { Store } from './storage/store.js';
import { checkTransferLimits, DEFAULT_TRANSFER_LIMITS, type TransferLimits } from './transfers.js';

export { DEFAULT_UNKNOWN_ACCOUNTS, UNKNOWN_ACCOUNT_MODES, type UnknownAccounts } from './accounts.js';
export { DATABASE_CHECKS, DatabaseOpenError, type DatabaseCheck, type DatabaseOpenErrorKind } from './storage/integrity.js';
export type { LogLevel, LogSink } from './log.js';
export { DEFAULT_LIMITS, defaultMaxConnections, type ResourceLimits } from './limits.js';
export type { HookMessage, MessageHook, MessageHookResult } from './hook.js';
export { DEFAULT_TRANSFER_LIMITS, type TransferLimits } from './transfers.js';

/** Tencent's default: a message can be revoked within 2 minutes of being sent. */
export const DEFAULT_REVOKE_TIME_LIMIT_SECONDS = 120;

export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind; defaults to 127.0.0.1 (loopback only). */
  readonly host?: string;
  /**
   * SQLite database file (created if missing; a 0-byte file becomes a new
   * database, with a warning line). An existing file is checked before it
   * is served: a damaged one is refused with DatabaseOpenError.
   */
  readonly dbPath: string;
  /** The check of an existing database at start: `quick` (PRAGMA quick_check, default) or `full` (PRAGMA integrity_check). */
  readonly dbCheck?: DatabaseCheck;
  /** The SDKAppID clients must pass to TIMInit and UserSigs must carry. */
  readonly sdkAppId: number;
  /** Secret key that UserSigs are signed with (HMAC-SHA256). */
  readonly secretKey: string;
  /** Default 'warn'. */
  readonly logLevel?: LogLevel;
  /** Where log lines go; default stderr. */
  readonly logSink?: LogSink;
  /** How long after sending the sender may revoke a message (seconds); default 120. */
  readonly revokeTimeLimitSeconds?: number;
  /** Called before a client's message is stored: pass it, change its elements, or refuse it (see hook.ts). */
  readonly messageHook?: MessageHook;
  /**
   * File transfers with the client libraries: bytes per chunk (default 256 KiB,
   * at most 1 MiB), chunks in flight per transfer (default 4), and how long the
   * server waits for a client's next answer before failing its call with 6022
   * (default 30 000 ms). Fields left out take their defaults.
   */
  readonly fileTransfer?: Partial<TransferLimits>;
  /**
   * Bounds on what clients may hold (connections, unsent output, time and
   * bytes before HELLO and before login); each one left out takes its
   * default (limits.ts, docs/emulator.md "Limits").
   */
  readonly limits?: Partial<ResourceLimits>;
  /**
   * User ids made accounts at start, before the server listens, as Tencent's
   * REST `account_import` does (an id already an account is left as it is).
   * Each must be a valid user id: a non-empty string of Unicode text.
   */
  readonly accounts?: readonly string[];
  /**
   * What a user id a client names (C2C peer, batch recipient, group member)
   * is when it never logged in and was not imported: `'accept'` (default)
   * counts it as an account, as if the app's server imported every user;
   * `'refuse'` is Tencent's rule: 20003 for a C2C peer, 10019 for an initial
   * group member, a failed invite.
   */
  readonly unknownAccounts?: UnknownAccounts;
  /** The server clock in milliseconds (message times, revoke limit); default Date.now. For tests. */
  readonly now?: () => number;
}

export interface RunningEmulator {
  readonly host: string;
  readonly port: number;
  /** `host:port`, the value for TIM_EMULATOR_HOST. */
  readonly address: string;
  /** Closes the listener, every connection and the database. Idempotent. */
  close(): Promise<void>;
}

/** Thrown for options that cannot work, before anything is opened. */
export class EmulatorOptionsError extends Error {
  override readonly name = 'EmulatorOptionsError';
}

function checkOptions(o: EmulatorOptions): ResourceLimits {
  if (!Number.isSafeInteger(o.sdkAppId) || o.sdkAppId <= 0) {
    throw new EmulatorOptionsError(`sdkAppId must be a positive integer, got ${o.sdkAppId}`);
  }
  if (typeof o.secretKey !== 'string' || o.secretKey.length === 0) {
    throw new EmulatorOptionsError('secretKey must be a non-empty string');
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    throw new EmulatorOptionsError(`port must be an integer in 0..65535, got ${o.port}`);
  }
  if (typeof o.dbPath !== 'string' || o.dbPath.length === 0) {
    throw new EmulatorOptionsError('dbPath must be a non-empty path');
  }
  if (o.dbCheck !== undefined && !DATABASE_CHECKS.includes(o.dbCheck)) {
    throw new EmulatorOptionsError(`dbCheck must be one of ${DATABASE_CHECKS.join(', ')}, got ${String(o.dbCheck)}`);
  }
  const limit = o.revokeTimeLimitSeconds;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new EmulatorOptionsError(`revokeTimeLimitSeconds must be a non-negative integer, got ${limit}`);
  }
  if (o.messageHook !== undefined && typeof o.messageHook !== 'function') throw new EmulatorOptionsError('messageHook must be a function');
  const accounts = o.accounts === undefined ? undefined : accountListProblem(o.accounts, 'accounts');
  if (accounts !== undefined) throw new EmulatorOptionsError(accounts);
  if (o.unknownAccounts !== undefined && !UNKNOWN_ACCOUNT_MODES.includes(o.unknownAccounts)) {
    throw new EmulatorOptionsError(`unknownAccounts must be one of ${UNKNOWN_ACCOUNT_MODES.join(', ')}, got ${String(o.unknownAccounts)}`);
  }
  const transfer = checkTransferLimits(transferLimits(o));
  if (transfer !== undefined) throw new EmulatorOptionsError(`fileTransfer.${transfer}`);
  const limits = resolveLimits(o.limits);
  if (typeof limits === 'string') throw new EmulatorOptionsError(limits);
  return limits;
}

const transferLimits = (o: EmulatorOptions): TransferLimits => ({ ...DEFAULT_TRANSFER_LIMITS, ...o.fileTransfer });

export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Opens and checks the database, then starts listening. Rejects with
 * DatabaseOpenError (its `kind`: the file cannot be opened, is not an
 * emulator database, is damaged, or is newer), EmulatorOptionsError, or the
 * listen error (e.g. EADDRINUSE).
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const limits = checkOptions(options);
  const log = createLogger(options.logLevel ?? 'warn', options.logSink);
  const store = Store.open(options.dbPath, (e) => log.error(`after a group commit: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`), {
    check: options.dbCheck ?? 'quick',
    warn: (line) => log.warn(line),
  });
  const now = options.now ?? Date.now;
  try {
    if (options.accounts !== undefined) importAccounts(store, options.accounts, Math.floor(now() / 1000));
  } catch (e) {
    store.close();
    throw e;
  }
  const server = new EmulatorServer({
    sdkAppId: options.sdkAppId,
    secretKey: options.secretKey,
    store,
    log,
    files: new FileStore(options.dbPath),
    transfers: transferLimits(options),
    rules: {
      revokeTimeLimitSeconds: options.revokeTimeLimitSeconds ?? DEFAULT_REVOKE_TIME_LIMIT_SECONDS,
      messageHook: options.messageHook,
      now,
      unknownAccounts: options.unknownAccounts ?? DEFAULT_UNKNOWN_ACCOUNTS,
    },
    limits,
  });
  let bound: { host: string; port: number };
  try {
    bound = await server.listen(options.port, options.host ?? '127.0.0.1');
  } catch (e) {
    await server.close();
    throw e;
  }
  const address = formatAddress(bound.host, bound.port);
  log.info(`listening on ${address} (sdkappid ${options.sdkAppId}, db ${options.dbPath})`);
  return { host: bound.host, port: bound.port, address, close: () => server.close() };
}
