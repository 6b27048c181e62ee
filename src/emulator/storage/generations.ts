/**
 * Session generations: per account, the generation of its latest TIMLogin,
 * kept in `accounts.session_generation` so that it survives a restart (or a
 * SIGKILL) of the emulator. Every login takes the next one; a RESUME may
 * continue only the latest (docs/wire-protocol.md, "Session generations").
 */
import type Database from 'better-sqlite3';

export interface LoginGeneration {
  /** True when this login created the account. */
  readonly created: boolean;
  /** The new session's generation (1 for the account's first login). */
  readonly generation: number;
}

export type ResumeVerdict =
  | { readonly ok: true; readonly created: boolean }
  /** Someone logged in as the user since the session began: `latest` is their generation. */
  | { readonly ok: false; readonly latest: number };

export class GenerationStore {
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.st = {
      insertAccount: db.prepare('INSERT OR IGNORE INTO accounts (user_id, created_at) VALUES (?, ?)'),
      next: db
        .prepare<[string], number>(
          'UPDATE accounts SET session_generation = session_generation + 1 WHERE user_id = ? RETURNING session_generation',
        )
        .pluck(),
      latest: db.prepare<[string], number>('SELECT session_generation FROM accounts WHERE user_id = ?').pluck(),
      raise: db.prepare('UPDATE accounts SET session_generation = MAX(session_generation, ?) WHERE user_id = ?'),
    };
  }

  /** A login: creates the account if needed and takes its next generation, in one transaction. */
  login(userId: string, nowSec: number): LoginGeneration {
    return this.db.transaction((): LoginGeneration => {
      const created = this.st.insertAccount.run(userId, nowSec).changes > 0;
      const generation = this.st.next.get(userId);
      if (generation === undefined) throw new Error(`account ${userId} vanished during login`);
      return { created, generation };
    })();
  }

  /**
   * A RESUME of the session with `generation`: refused when the account's
   * latest generation is newer. A generation the server never issued (its
   * database was replaced) is adopted, so the next login still outranks it.
   */
  resume(userId: string, generation: number, nowSec: number): ResumeVerdict {
    return this.db.transaction((): ResumeVerdict => {
      const created = this.st.insertAccount.run(userId, nowSec).changes > 0;
      const latest = this.st.latest.get(userId) ?? 0;
      if (generation < latest) return { ok: false, latest };
      if (generation > latest) this.st.raise.run(generation, userId);
      return { ok: true, created };
    })();
  }

  /** The account's latest generation (0: never logged in, or no account). */
  latest(userId: string): number {
    return this.st.latest.get(userId) ?? 0;
  }
}
