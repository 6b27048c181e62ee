/**
 * Delivery of stored messages to their receiver by EVENT 1.
 *
 * Each user has a delivery cursor in SQLite (the highest message id sent to
 * them). After a login the backlog after the cursor is sent in batches of up
 * to 100 messages, one page per event-loop turn (waiting for the socket to
 * drain when its buffer is full); live messages for a user whose backlog is
 * still draining are left to the drain, so order holds.
 */
import type { Connection, Session } from './connection.js';
import type { Logger } from './log.js';
import { renderMessage } from './render.js';
import type { StoredMessage, Store } from './storage/store.js';
import { arg } from './wire/codec.js';
import { EventId } from './wire/constants.js';

export const DELIVERY_BATCH_SIZE = 100;
/** Upper bound of one EVENT 1 JSON array, well under the 16 MiB frame limit. */
const MAX_BATCH_JSON_BYTES = 8 * 1024 * 1024;

export class Delivery {
  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** True when a stored message for this connection can be sent right away (no backlog pending). */
  canDeliverLive(conn: Connection | undefined): conn is Connection {
    return conn !== undefined && !conn.closed && conn.session !== undefined && !conn.session.draining;
  }

  /**
   * Sends one committed message to its receiver's connection. For a stored
   * message the caller advanced the cursor in the same transaction.
   */
  deliverLive(conn: Connection, m: StoredMessage): void {
    const s = conn.session;
    if (s === undefined) return;
    conn.event(EventId.RecvNewMsg, [arg.str('[' + renderMessage(m, s.userId) + ']')]);
  }

  /** Starts sending the stored, undelivered messages of the session of `conn`. */
  startBacklog(conn: Connection): void {
    const s = conn.session;
    if (s === undefined) return;
    s.draining = true;
    this.step(conn, s);
  }

  private step(conn: Connection, s: Session): void {
    if (conn.session !== s || conn.closed || !s.draining) return;
    try {
      if (!this.sendBatches(conn, s)) return;
      if (conn.congested) conn.onDrain(() => this.step(conn, s));
      else setImmediate(() => this.step(conn, s));
    } catch (e) {
      this.log.error(`${conn.tag}: delivering stored messages failed: ${(e as Error).message}`);
      s.draining = false;
    }
  }

  /** Sends up to one page of the backlog; returns true when more may follow. */
  private sendBatches(conn: Connection, s: Session): boolean {
    const pending = this.store.pendingMessages(s.userId, DELIVERY_BATCH_SIZE);
    if (pending.length === 0) {
      s.draining = false;
      return false;
    }
    let i = 0;
    while (i < pending.length) {
      const parts: string[] = [];
      let bytes = 2;
      let lastId = 0;
      for (; i < pending.length; i++) {
        const m = pending[i]!;
        const json = renderMessage(m, s.userId);
        const size = Buffer.byteLength(json, 'utf8') + 1;
        if (parts.length > 0 && bytes + size > MAX_BATCH_JSON_BYTES) break;
        parts.push(json);
        bytes += size;
        lastId = m.id;
      }
      if (!conn.event(EventId.RecvNewMsg, [arg.str('[' + parts.join(',') + ']')])) return false;
      this.store.advanceCursor(s.userId, lastId);
      this.log.debug(`${conn.tag}: delivered ${parts.length} stored message(s) up to #${lastId}`);
    }
    if (pending.length < DELIVERY_BATCH_SIZE) {
      s.draining = false;
      return false;
    }
    return true;
  }
}
