/**
 * Session generations: per account, the generation of its latest TIMLogin,
 * kept in `accounts.session_generation` so that it survives a restart (or a
 * SIGKILL) of the emulator. Every login takes the next one; a RESUME may
 * continue only the latest (docs/wire-protocol.md, "Session generations").
 *
 * Generations are 64-bit: `bigint` here (the statements read them with
 * `safeIntegers`, so nothing is rounded past 2^53), u64 on the wire, SQLite
 * INTEGER in the database, whose top, 2^63-1, is the last generation.
 */
import type Database from 'better-sqlite3';

/** The largest generation: SQLite's largest INTEGER (2^63-1). */
export const MAX_GENERATION = 2n ** 63n - 1n;

/**
 * The largest generation a RESUME may name above the account's latest (an
 * adopted generation, see `resume`): 2^62, which leaves 2^62 logins before
 * the top, so no client can bring an account to it.
 */
export const MAX_ADOPTED_GENERATION = 2n ** 62n;

export type LoginGeneration =
  /** `created`: this login created the account; `generation`: the new session's (1 for the first login). */
  | { readonly ok: true; readonly created: boolean; readonly generation: bigint }
  /** The account's latest generation is MAX_GENERATION: no login can take a next one. */
  | { readonly ok: false; readonly latest: bigint };

export type ResumeVerdict =
  | { readonly ok: true; readonly created: boolean }
  /** Someone logged in as the user since the session began: `latest` is their generation. */
  | { readonly ok: false; readonly reason: 'superseded'; readonly latest: bigint }
  /** The generation is above the account's latest and above MAX_ADOPTED_GENERATION: never adopted. */
  | { readonly ok: false; readonly reason: 'out-of-range'; readonly latest: bigint };

export class GenerationStore {
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.st = {
      insertAccount: db.prepare('INSERT OR IGNORE INTO accounts (user_id, created_at) VALUES (?, ?)'),
      // Stops at the top instead of letting SQLite turn the sum into a REAL.
      next: db
        .prepare<[string, bigint], bigint>(
          `UPDATE accounts SET session_generation = session_generation + 1
           WHERE user_id = ? AND session_generation < ? RETURNING session_generation`,
        )
        .pluck()
        .safeIntegers(),
      latest: db.prepare<[string], bigint>('SELECT session_generation FROM accounts WHERE user_id = ?').pluck().safeIntegers(),
      raise: db.prepare('UPDATE accounts SET session_generation = MAX(session_generation, ?) WHERE user_id = ?'),
    };
  }

  /** A login: creates the account if needed and takes its next generation, in one transaction. */
  login(userId: string, nowSec: number): LoginGeneration {
    return this.db.transaction((): LoginGeneration => {
      const created = this.st.insertAccount.run(userId, nowSec).changes > 0;
      const generation = this.st.next.get(userId, MAX_GENERATION);
      if (generation !== undefined) return { ok: true, created, generation };
      const latest = this.st.latest.get(userId);
      if (latest === undefined) throw new Error(`account ${userId} vanished during login`);
      return { ok: false, latest };
    })();
  }

  /**
   * A RESUME of the session with `generation` (0..MAX_GENERATION): refused
   * when the account's latest generation is newer. A generation the server
   * never issued (its database was replaced) is adopted, so the next login
   * still outranks it — up to MAX_ADOPTED_GENERATION.
   */
  resume(userId: string, generation: bigint, nowSec: number): ResumeVerdict {
    return this.db.transaction((): ResumeVerdict => {
      const created = this.st.insertAccount.run(userId, nowSec).changes > 0;
      const latest = this.st.latest.get(userId) ?? 0n;
      if (generation < latest) return { ok: false, reason: 'superseded', latest };
      if (generation > latest) {
        if (generation > MAX_ADOPTED_GENERATION) return { ok: false, reason: 'out-of-range', latest };
        this.st.raise.run(generation, userId);
      }
      return { ok: true, created };
    })();
  }

  /** The account's latest generation (0: never logged in, or no account). */
  latest(userId: string): bigint {
    return this.st.latest.get(userId) ?? 0n;
  }
}
