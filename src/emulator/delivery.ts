/**
 * Delivery of stored messages to their receiver by EVENT 1, acknowledged.
 *
 * Every EVENT 1 carrying stored messages has a delivery token (per
 * connection, from 1); the client ACKs it once its listener returned. The
 * durable state moves only on ACK: the C2C delivery cursor in SQLite (the
 * highest message id acknowledged) and the group inbox rows (kept group and
 * system messages). In memory, each session keeps how far it has been sent
 * (`sentC2C`, `sentInbox`), so one live connection never gets a message
 * twice; a new login or RESUME starts from the durable state again, so what
 * was not acknowledged is delivered again (at least once).
 *
 * Live messages are queued on the receiver's connection and go out at the
 * end of the tick, those of one tick in one EVENT 1 with one token
 * (outbox.ts). After a login the backlog after the cursor is sent in batches of up to 100
 * messages, one page per event-loop turn (waiting for the socket to drain
 * when its buffer is full); live messages for a user whose backlog is still
 * draining are left to the drain, so order holds.
 */
import type { Connection, Session } from './connection.js';
import type { DeliveredMarks } from './delivery-acks.js';
import type { Logger } from './log.js';
import { renderMessage } from './render.js';
import type { MessageViews } from './render-json.js';
import type { StoredMessage, Store } from './storage/store.js';
import { arg } from './wire/codec.js';
import { EventId, NO_ACK_TOKEN } from './wire/constants.js';

export const DELIVERY_BATCH_SIZE = 100;
/** Upper bound of one EVENT 1 JSON array, well under the 16 MiB frame limit. */
const MAX_BATCH_JSON_BYTES = 8 * 1024 * 1024;
const CONV_C2C = 1;

export class Delivery {
  /** Moves the durable delivery state to acknowledged marks (a transaction function: a savepoint in the shared one). */
  private readonly applyMarks: (marks: readonly DeliveredMarks[]) => void;
  /** ACKed marks of this tick per receiver, not written yet. */
  private readonly acked = new Map<string, DeliveredMarks>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {
    this.applyMarks = store.transactionFunction((marks: readonly DeliveredMarks[]) => {
      for (const m of marks) {
        if (m.c2cUpTo > 0) store.advanceCursor(m.userId, m.c2cUpTo);
        if (m.inboxUpTo > 0) store.groups.messages.removeInbox(m.userId, m.inboxUpTo);
      }
    });
  }

  /** True when a stored message for this connection can be sent right away (no backlog pending). */
  canDeliverLive(conn: Connection | undefined): conn is Connection {
    return conn !== undefined && !conn.closed && conn.session !== undefined && !conn.session.draining;
  }

  /**
   * Queues one committed message (or an online-only one) for its receiver's
   * connection: it joins the EVENT 1 of this tick (outbox.ts), written by
   * `send` at the end of the tick.
   */
  deliverLive(conn: Connection, m: StoredMessage, views: MessageViews): void {
    const s = conn.session;
    if (s !== undefined) conn.queueMessage(s, m, views.of(s.userId));
  }

  /**
   * Writes one EVENT 1 of `messages` (rendered as `json`) to the session of
   * `conn`: with the next delivery token and the session's new "sent up to"
   * marks when they include a stored message, with token 0 (no ACK) when
   * they are all online-only. Returns false when it could not be written.
   */
  send(conn: Connection, s: Session, messages: readonly StoredMessage[], json: string): boolean {
    let c2c = s.sentC2C;
    let inbox = s.sentInbox;
    let stored = false;
    for (const m of messages) {
      if (m.isOnline) continue;
      stored = true;
      if (m.convType === CONV_C2C) c2c = Math.max(c2c, m.id);
      else inbox = Math.max(inbox, m.id);
    }
    const token = stored ? BigInt(conn.unacked.nextToken) : NO_ACK_TOKEN;
    if (!conn.event(EventId.RecvNewMsg, [arg.str(json), arg.u64(token)])) return false;
    if (stored) {
      s.sentC2C = c2c;
      s.sentInbox = inbox;
      conn.unacked.record({ userId: s.userId, c2cUpTo: c2c, inboxUpTo: inbox });
    }
    return true;
  }

  /**
   * An ACK from `conn`: every EVENT 1 of it with a token ≤ `token` reached
   * the client, so the durable state of their receivers moves forward.
   */
  acknowledge(conn: Connection, token: bigint): void {
    const marks = conn.unacked.acknowledge(token);
    if (marks.length === 0) return;
    const first = this.acked.size === 0;
    for (const m of marks) {
      const seen = this.acked.get(m.userId);
      this.acked.set(m.userId, seen === undefined ? m : {
        userId: m.userId, c2cUpTo: Math.max(seen.c2cUpTo, m.c2cUpTo), inboxUpTo: Math.max(seen.inboxUpTo, m.inboxUpTo),
      });
    }
    if (this.log.debugEnabled) this.log.debug(`${conn.tag}: ACK ${token}`);
    // Written once per tick, in the shared transaction (group commit), before its COMMIT:
    // a login or RESUME reads the cursor only after that (any other call commits it first).
    if (first) this.store.commits.atCommit(() => this.writeAcked());
  }

  private writeAcked(): void {
    const marks = [...this.acked.values()];
    this.acked.clear();
    try {
      this.applyMarks(marks);
    } catch (e) {
      this.log.error(`recording ACKs of ${marks.map((m) => m.userId).join(', ')} failed: ${(e as Error).message}`);
    }
  }

  /** Starts sending the stored, unacknowledged messages of the session of `conn`. */
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
    const after = Math.max(this.store.deliveryCursor(s.userId), s.sentC2C);
    const pending = this.store.pendingMessages(s.userId, after, DELIVERY_BATCH_SIZE);
    if (pending.length === 0) {
      s.draining = false;
      return false;
    }
    let i = 0;
    while (i < pending.length) {
      const batch: StoredMessage[] = [];
      const parts: string[] = [];
      let bytes = 2;
      for (; i < pending.length; i++) {
        const m = pending[i]!;
        const json = renderMessage(m, s.userId);
        const size = Buffer.byteLength(json, 'utf8') + 1;
        if (parts.length > 0 && bytes + size > MAX_BATCH_JSON_BYTES) break;
        batch.push(m);
        parts.push(json);
        bytes += size;
      }
      if (!this.send(conn, s, batch, '[' + parts.join(',') + ']')) return false;
      this.log.debug(`${conn.tag}: sent ${parts.length} stored message(s) up to #${s.sentC2C}`);
    }
    if (pending.length < DELIVERY_BATCH_SIZE) {
      s.draining = false;
      return false;
    }
    return true;
  }
}
