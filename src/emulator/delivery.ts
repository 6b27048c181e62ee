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
 * (outbox.ts). After a login the backlog is sent (backlog.ts): C2C messages
 * after the cursor, and the kept group / system messages; live messages of a
 * kind whose backlog is still being sent are left to it, so order holds.
 */
import { Backlog } from './backlog.js';
import type { Connection, Session } from './connection.js';
import type { DeliveredMarks } from './delivery-acks.js';
import type { Logger } from './log.js';
import type { MessageViews } from './render-json.js';
import { ConvType, type StoredMessage, type Store } from './storage/store.js';
import { arg } from './wire/codec.js';
import { EventId, NO_ACK_TOKEN } from './wire/constants.js';

export class Delivery {
  /** Moves the durable delivery state to acknowledged marks (a transaction function: a savepoint in the shared one). */
  private readonly applyMarks: (marks: readonly DeliveredMarks[]) => void;
  /** ACKed marks of this tick per receiver, not written yet. */
  private readonly acked = new Map<string, DeliveredMarks>();
  /** C2C messages after the delivery cursor. */
  private readonly c2cBacklog: Backlog;
  /** Kept group and system messages (the inbox). */
  private readonly inboxBacklog: Backlog;

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
    const send = this.send.bind(this);
    this.c2cBacklog = new Backlog('stored messages', (s, limit) =>
      store.pendingMessages(s.userId, Math.max(store.deliveryCursor(s.userId), s.sentC2C), limit), send, log);
    this.inboxBacklog = new Backlog('kept group messages', (s, limit) =>
      store.groups.messages.inbox(s.userId, s.sentInbox, limit), send, log);
  }

  /**
   * True when a message of `convType` (C2C, or group / system) for this
   * connection can be sent right away: logged in, and no backlog of that
   * kind still being sent.
   */
  canDeliverLive(conn: Connection | undefined, convType: number): conn is Connection & { session: Session } {
    if (conn === undefined || conn.closed || conn.session === undefined) return false;
    return !(convType === ConvType.C2C ? this.c2cBacklog : this.inboxBacklog).isDraining(conn.session);
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
      if (m.convType === ConvType.C2C) c2c = Math.max(c2c, m.id);
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

  /** Starts sending the stored, unacknowledged messages of the session of `conn` (C2C, then group and system ones). */
  startBacklog(conn: Connection): void {
    this.c2cBacklog.start(conn);
    this.inboxBacklog.start(conn);
  }
}
