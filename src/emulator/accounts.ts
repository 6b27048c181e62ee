/**
 * Accounts: which user ids a client may name (a C2C peer, a batch
 * recipient, a group's initial or invited member).
 *
 * Tencent knows a user id once it was imported (the app's server calls the
 * REST `account_import`) or logged in; naming any other id fails (20003 for
 * a C2C peer, 10019 for a group member). The emulator has both sides of
 * that rule:
 *
 * - `accounts` imports ids at start (a row each, like a login; imported
 *   again, nothing changes);
 * - `unknownAccounts` decides what an id that is not an account is:
 *   `'accept'` (the default) counts every id as an account, as if the app's
 *   server imported each user at sign-up, so a newcomer's first message to
 *   someone who never logged in is stored and delivered at that user's
 *   first login; `'refuse'` is Tencent's rule, to test how an app handles
 *   an id its server did not import. Accepting stores nothing: the id
 *   becomes an account row only when it logs in or is imported.
 */
import type { Store } from './storage/store.js';

/** What an id that never logged in and was not imported is (see the module comment). */
export const UNKNOWN_ACCOUNT_MODES = ['accept', 'refuse'] as const;
export type UnknownAccounts = (typeof UNKNOWN_ACCOUNT_MODES)[number];

/** The default: every user id counts as an account. */
export const DEFAULT_UNKNOWN_ACCOUNTS: UnknownAccounts = 'accept';

/** Unpaired UTF-16 surrogates: a login's user id (UTF-8 on the wire) never holds one. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why `id` cannot be an account id, or undefined: the rules of a login's
 * user id (a non-empty string of Unicode text).
 */
export function accountIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return `must be a string, got ${typeof id}`;
  if (id.length === 0) return 'is empty';
  if (LONE_SURROGATE.test(id)) return `"${id}" holds an unpaired UTF-16 surrogate (not Unicode text)`;
  return undefined;
}

/** Why `ids` (called `name`) cannot be imported, naming the first bad entry; or undefined. */
export function accountListProblem(ids: unknown, name: string): string | undefined {
  if (!Array.isArray(ids)) return `${name} must be an array of user ids`;
  for (const [i, id] of ids.entries()) {
    const problem = accountIdProblem(id);
    if (problem !== undefined) return `${name}[${i}] ${problem}`;
  }
  return undefined;
}

/** Creates the accounts of `ids` that do not exist yet, in one transaction; returns how many were created. */
export function importAccounts(store: Store, ids: readonly string[], nowSec: number): number {
  return store.transaction(() => ids.reduce((created, id) => created + (store.ensureAccount(id, nowSec) ? 1 : 0), 0));
}

/** Whether a client may name `id` as a peer or member: an account, or any id when unknown ones are accepted. */
export function isKnownAccount(store: Store, mode: UnknownAccounts, id: string): boolean {
  return mode === 'accept' || store.accountExists(id);
}

/** The end of a refusal's description: how the operator makes `id` an account. */
export const HOW_TO_IMPORT = 'never logged in to this emulator and was not imported (accounts option, --accounts)';
