/**
 * Seeds an account's session generation straight into an emulator's
 * database (running or not: a second SQLite connection on the WAL file), so
 * tests reach 2^53 and 2^63 without that many logins.
 */
import Database from 'better-sqlite3';

export const TWO_53 = 2n ** 53n;
export const TWO_62 = 2n ** 62n;
export const TOP = 2n ** 63n - 1n;

/** Creates `userId`'s account if needed and sets its latest generation to `generation`. */
export function seedGeneration(dbPath: string, userId: string, generation: bigint): void {
  const db = new Database(dbPath, { timeout: 5000 });
  try {
    db.prepare(
      `INSERT INTO accounts (user_id, created_at, session_generation) VALUES (?, 0, ?)
       ON CONFLICT (user_id) DO UPDATE SET session_generation = excluded.session_generation`,
    ).run(userId, generation);
  } finally {
    db.close();
  }
}

/** The account's latest generation as stored (all 64 bits), or undefined without an account. */
export function storedGeneration(dbPath: string, userId: string): bigint | undefined {
  const db = new Database(dbPath, { readonly: true, timeout: 5000 });
  try {
    return db.prepare<[string], bigint>('SELECT session_generation FROM accounts WHERE user_id = ?').pluck().safeIntegers().get(userId);
  } finally {
    db.close();
  }
}
