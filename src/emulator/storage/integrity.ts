/**
 * Refusing a damaged database before anything is served from it: the file
 * is looked at before SQLite opens it (a 0-byte file is a new database, said
 * in a warning line), then checked with `PRAGMA quick_check` (or the full
 * `integrity_check`), and every failure to open becomes one
 * DatabaseOpenError whose `kind` says why, with a one-line message naming
 * the file (docs/emulator.md, "Database integrity").
 */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';

/**
 * How the database is checked before it is served: `quick` runs
 * `PRAGMA quick_check` (every page and record, in time linear in the file:
 * about 60 ms for 100k messages), `full` runs `PRAGMA integrity_check`
 * (also indexes against their tables: several times slower).
 */
export type DatabaseCheck = 'quick' | 'full';

export const DATABASE_CHECKS: readonly DatabaseCheck[] = ['quick', 'full'];

/**
 * Why a database is refused:
 * - `cannot-open`: the file cannot be opened or created (missing folder, a
 *   directory, no permission, locked);
 * - `not-a-database`: not an SQLite file, or an SQLite database of another
 *   application (tables, and no tim-rx schema version);
 * - `damaged`: an SQLite database of the emulator that fails its check (or
 *   SQLite reports it malformed while opening it);
 * - `newer-schema`: written by a newer emulator.
 */
export type DatabaseOpenErrorKind = 'cannot-open' | 'not-a-database' | 'damaged' | 'newer-schema';

/** The database at `path` is refused: nothing was served from it, nothing written to it. */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';

  constructor(
    readonly kind: DatabaseOpenErrorKind,
    /** The database file refused. */
    readonly path: string,
    /** Why, on one line (the message starts with the path). */
    readonly reason: string,
  ) {
    super(`cannot open database ${JSON.stringify(path)}: ${oneLine(reason)}`);
  }
}

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');

/** What is at `path` before SQLite opens it. */
export type DatabaseFile =
  /** Nothing: SQLite creates a new database. */
  | 'missing'
  /** A 0-byte file (and no write-ahead log with content): a new database in it, with a warning. */
  | 'empty'
  /** Anything else: checked before it is served. */
  | 'existing';

export function inspectDatabaseFile(path: string): DatabaseFile {
  const size = (p: string): number | undefined => {
    try {
      return statSync(p).size;
    } catch {
      return undefined;
    }
  };
  const main = size(path);
  if (main === undefined) return 'missing';
  return main === 0 && !((size(`${path}-wal`) ?? 0) > 0) ? 'empty' : 'existing';
}

/** The warning line for a 0-byte database file. */
export function emptyFileWarning(path: string): string {
  return `database ${JSON.stringify(path)} is an empty file (0 bytes): starting a new database in it`;
}

/** How many problems the check reports at most (the message names the first). */
const MAX_PROBLEMS = 10;

/** Runs the check; throws a `damaged` DatabaseOpenError when it finds a problem. */
export function checkIntegrity(db: Database.Database, path: string, check: DatabaseCheck): void {
  const pragma = check === 'full' ? 'integrity_check' : 'quick_check';
  let rows: Record<string, unknown>[];
  try {
    rows = db.pragma(`${pragma}(${MAX_PROBLEMS})`, { simple: false }) as Record<string, unknown>[];
  } catch (e) {
    const opening = toDatabaseOpenError(e, path);
    throw opening.kind === 'damaged' ? damaged(path, `${pragma}: ${(e as Error).message}`) : opening;
  }
  const problems = rows.map((r) => String(Object.values(r)[0]));
  if (problems.length === 1 && problems[0] === 'ok') return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1}${problems.length === MAX_PROBLEMS ? ' or more' : ''} more)` : '';
  throw damaged(path, `${pragma}: ${problems[0] ?? 'no answer'}${more}`);
}

/** Throws a `not-a-database` DatabaseOpenError for an SQLite database of another application. */
export function refuseForeignDatabase(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== 0) return;
  const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").pluck().get() as number;
  if (tables > 0) {
    throw new DatabaseOpenError('not-a-database', path,
      `not a tim-rx emulator database (an SQLite database with ${tables} other table(s) or index(es) and no tim-rx schema version); nothing was written to it`);
  }
}

function damaged(path: string, what: string): DatabaseOpenError {
  return new DatabaseOpenError('damaged', path,
    `the database is damaged (${what}); nothing was served or written. Restore it from a backup, or move it aside to start a new database`);
}

/** Any failure while opening `path`, as a DatabaseOpenError of the right kind. */
export function toDatabaseOpenError(e: unknown, path: string): DatabaseOpenError {
  if (e instanceof DatabaseOpenError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB') {
    return new DatabaseOpenError('not-a-database', path, `${message} (not an SQLite file); nothing was written to it`);
  }
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ')) return damaged(path, message);
  return new DatabaseOpenError('cannot-open', path, message);
}
