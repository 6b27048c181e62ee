/**
 * Group commit: the C2C sends (and delivery ACKs) handled in one tick of the
 * event loop share one SQLite transaction.
 *
 * The first `run` of a tick opens an IMMEDIATE transaction and schedules its
 * COMMIT with `process.nextTick`, so the transaction never outlives the
 * callback (socket read, timer, promise continuation) that opened it; each
 * `run` is a savepoint inside it (a write of one statement needs none:
 * `runStatement`), so a failed write undoes only itself.
 * Whatever must not be seen before the writes are durable (the REPLY to a
 * send and the events that follow it) waits in `whenCommitted` and runs
 * after the COMMIT, in order; if the COMMIT fails, everything is rolled back
 * and the waiting work gets the error instead.
 *
 * Writes gathered over the tick (the delivery cursors of the ACKs read in
 * it, the conversation rows the sends moved) are registered with `atCommit`
 * and go in once, just before the COMMIT; one that throws fails the COMMIT
 * (everything is rolled back, as when the COMMIT itself fails).
 *
 * `flush` commits at once (before any other function runs, before a plain
 * transaction, before the database closes): every other path keeps its
 * one-transaction-per-call behaviour and sees only committed state.
 */
import type Database from 'better-sqlite3';

interface Waiting {
  readonly committed: () => void;
  readonly failed: (e: Error) => void;
}

export class GroupCommit {
  private open = false;
  private waiting: Waiting[] = [];
  private beforeCommit: (() => void)[] = [];
  private readonly begin;
  private readonly commit;
  private readonly rollback;
  /** Writes done in the open transaction (for the logs and the tests). */
  private writes = 0;

  constructor(
    private readonly db: Database.Database,
    /** Called after a failed COMMIT was rolled back (in-memory caches must forget what it wrote). */
    private readonly onRollback: () => void,
    /** Reports an exception thrown by a waiting callback (it never stops the others). */
    private readonly report: (e: unknown) => void,
  ) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /** True while a shared transaction is open (until the end of the tick). */
  get isOpen(): boolean {
    return this.open;
  }

  /** Number of `run` calls in the shared transaction now open (0 when none). */
  get pendingWrites(): number {
    return this.writes;
  }

  /**
   * Runs `tx` (a better-sqlite3 transaction function, which becomes a
   * savepoint when a transaction is open) inside the tick's shared
   * transaction. Outside it (another transaction of the caller is open),
   * `tx` simply nests in that one.
   */
  run<A extends unknown[], T>(tx: (...args: A) => T, ...args: A): T {
    this.openIfIdle();
    const result = tx(...args);
    if (this.open) this.writes++;
    return result;
  }

  /**
   * Like `run`, for a write of one statement: atomic on its own (a failed
   * statement undoes itself), so it needs no savepoint.
   */
  runStatement<T>(write: () => T): T {
    this.openIfIdle();
    const result = write();
    if (this.open) this.writes++;
    return result;
  }

  /**
   * Runs `write` in the shared transaction just before its COMMIT (writes
   * gathered over the tick, such as delivery ACKs, go in once); if it
   * throws, the transaction is rolled back and the waiting work gets the
   * error. Outside it (another transaction of the caller is open), `write`
   * runs at once.
   */
  atCommit(write: () => void): void {
    this.openIfIdle();
    if (this.open) this.beforeCommit.push(write);
    else write();
  }

  private openIfIdle(): void {
    if (this.open || this.db.inTransaction) return;
    this.begin.run();
    this.open = true;
    this.writes = 0;
    process.nextTick(() => this.flush());
  }

  /** Runs `committed` once the writes of this tick are durable (at once when none are pending). */
  whenCommitted(committed: () => void, failed: (e: Error) => void): void {
    if (!this.open) committed();
    else this.waiting.push({ committed, failed });
  }

  /** Commits the shared transaction now (if open), then runs what waited for it. */
  flush(): void {
    if (!this.open) return;
    const before = this.beforeCommit;
    this.beforeCommit = [];
    const waiting = this.waiting;
    this.waiting = [];
    let error: Error | undefined;
    try {
      for (const write of before) write();
      this.open = false;
      this.commit.run();
    } catch (e) {
      this.open = false;
      error = e instanceof Error ? e : new Error(String(e));
      try {
        if (this.db.inTransaction) this.rollback.run();
      } catch (r) {
        this.report(r);
      }
      this.onRollback();
    }
    this.writes = 0;
    for (const w of waiting) {
      try {
        if (error === undefined) w.committed();
        else w.failed(error);
      } catch (e) {
        this.report(e);
      }
    }
  }
}
