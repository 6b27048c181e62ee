/**
 * Sending the kept, unacknowledged messages of a session after its login or
 * RESUME: one page of up to 100 messages per event-loop turn (waiting for
 * the socket to drain when its buffer is full), each page one EVENT 1 (split
 * when its JSON would pass `MAX_BATCH_UNITS`). While a session's backlog is
 * being sent, live messages of that kind are left to it, so order holds.
 *
 * One instance per kind of kept messages: C2C messages after the delivery
 * cursor, and the group / system messages of the inbox (delivery.ts).
 */
import type { Connection, Session } from './connection.js';
import type { Logger } from './log.js';
import { jsonArrays } from './outbox.js';
import { renderMessage } from './render.js';
import type { StoredMessage } from './storage/store.js';

export const BACKLOG_PAGE = 100;

/** Writes one EVENT 1 of `messages` (rendered as `json`) to `s` on `conn`; false when it could not be written. */
export type WriteMessages = (conn: Connection, s: Session, messages: readonly StoredMessage[], json: string) => boolean;

export class Backlog {
  private readonly draining = new WeakSet<Session>();

  constructor(
    /** What is sent, for the logs. */
    private readonly what: string,
    /** Up to `limit` kept messages of `s` not written to it yet, oldest first. */
    private readonly page: (s: Session, limit: number) => readonly StoredMessage[],
    private readonly write: WriteMessages,
    private readonly log: Logger,
  ) {}

  /** True while the backlog of `s` is being sent. */
  isDraining(s: Session): boolean {
    return this.draining.has(s);
  }

  /** Starts sending the backlog of the session of `conn`. */
  start(conn: Connection): void {
    const s = conn.session;
    if (s === undefined) return;
    this.draining.add(s);
    this.step(conn, s);
  }

  private step(conn: Connection, s: Session): void {
    if (conn.session !== s || conn.closed) {
      this.draining.delete(s);
      return;
    }
    try {
      const page = this.page(s, BACKLOG_PAGE);
      if ((page.length > 0 && !this.sendPage(conn, s, page)) || page.length < BACKLOG_PAGE) {
        this.draining.delete(s);
        return;
      }
      if (conn.congested) conn.onDrain(() => this.step(conn, s));
      else setImmediate(() => this.step(conn, s));
    } catch (e) {
      this.log.error(`${conn.tag}: delivering ${this.what} failed: ${(e as Error).message}`);
      this.draining.delete(s);
    }
  }

  /** Writes a page as few EVENT 1 frames as the size limit allows; false when one could not be written. */
  private sendPage(conn: Connection, s: Session, page: readonly StoredMessage[]): boolean {
    for (const { items, json } of jsonArrays(page, (m) => renderMessage(m, s.userId))) {
      if (!this.write(conn, s, items, json)) return false;
    }
    if (this.log.debugEnabled) this.log.debug(`${conn.tag}: sent ${page.length} of the ${this.what}`);
    return true;
  }
}
