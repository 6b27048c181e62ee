/**
 * All reads and writes of the emulator's SQLite database (better-sqlite3,
 * synchronous: a write has been committed when the method returns).
 */
import type Database from 'better-sqlite3';
import { GroupStore } from '../groups/store.js';
import { ConversationStore } from './conversations.js';
import { GenerationStore } from './generations.js';
import { GroupCommit } from './group-commit.js';
import { HistoryStore } from './history.js';
import {
  CONVERSATION_SELECT, MESSAGE_COLUMNS, toConversation, toMessage, type ConversationChange, type ConversationRow, type MessageRow, type NewMessage,
  type StoredConversation, type StoredMessage,
} from './rows.js';
import { openDatabase, type OpenDatabaseOptions } from './schema.js';
import { TouchedConversations, type PreparedTouch } from './touched-conversations.js';

export {
  toConversation, toMessage, MESSAGE_COLUMNS, type ConversationChange, type ConversationRow, type MessageRow, type NewMessage,
  type StoredConversation, type StoredMessage,
} from './rows.js';

export const ConvType = { C2C: 1, Group: 2, System: 3 } as const;

export interface SendResult {
  readonly message: StoredMessage;
  /** Sender's conversation first, then the receiver's (one entry when they are the same user). */
  readonly conversations: readonly ConversationChange[];
}

const pairKey = (m: NewMessage): string => `${m.convType}\u0000${m.sender}\u0000${m.receiver}`;

export class Store {
  /** Message history as each user sees it (storage/history.ts). */
  readonly history: HistoryStore;
  /** Single conversation rows (storage/conversations.ts). */
  readonly convs: ConversationStore;
  /** Session generations per account (storage/generations.ts). */
  readonly generations: GenerationStore;
  /** Groups, members, pendencies, group and system messages (src/emulator/groups). */
  readonly groups: GroupStore;
  /** The tick's shared transaction of the C2C sends and ACKs (storage/group-commit.ts). */
  readonly commits: GroupCommit;
  private readonly st;
  private readonly sendTx: (input: NewMessage) => { message: StoredMessage; touches: PreparedTouch[] };
  /** The conversation rows moved by the sends of the open group commit (storage/touched-conversations.ts). */
  private readonly touched: TouchedConversations;
  /**
   * The newest seq of each ordered C2C pair written by `sendC2C` in the
   * group commit (the only writer of shared C2C messages; cleared when a
   * COMMIT fails).
   */
  private readonly lastSeqs = new Map<string, number>();
  /** Accounts known to exist (accounts are never deleted, so a positive answer stays true). */
  private readonly knownAccounts = new Set<string>();

  constructor(
    private readonly db: Database.Database,
    report: (e: unknown) => void = () => undefined,
  ) {
    // First: it creates the group tables, which the conversation queries join.
    this.groups = new GroupStore(db);
    this.history = new HistoryStore(db, (owner, groupId) => this.groups.view(owner, groupId));
    this.convs = new ConversationStore(db);
    this.generations = new GenerationStore(db);
    this.st = {
      insertAccount: db.prepare('INSERT OR IGNORE INTO accounts (user_id, created_at) VALUES (?, ?)'),
      accountExists: db.prepare('SELECT 1 FROM accounts WHERE user_id = ?').pluck(),
      // The newest seq of the pair: walks messages_by_pair backwards and stops at the first
      // shared message (MAX(seq) with the local_owner filter would visit every row of the pair).
      lastSeq: db
        .prepare(
          `SELECT seq FROM messages WHERE conv_type = ? AND sender = ? AND receiver = ? AND local_owner IS NULL
           ORDER BY seq DESC LIMIT 1`,
        )
        .pluck(),
      insertMessage: db.prepare(
        `INSERT INTO messages (conv_type, sender, receiver, seq, rand, server_time, client_time, priority, is_online, elems)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      getCursor: db.prepare('SELECT last_message_id FROM delivery_cursors WHERE user_id = ?').pluck(),
      advanceCursor: db.prepare(
        `INSERT INTO delivery_cursors (user_id, last_message_id) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET last_message_id = MAX(last_message_id, excluded.last_message_id)`,
      ),
      pending: db.prepare<[string, number, number], MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages
         WHERE receiver = ? AND id > ? AND conv_type = 1 AND is_online = 0 AND sender <> receiver AND local_owner IS NULL
         ORDER BY id LIMIT ?`,
      ),
      getMessage: db.prepare<[number], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`),
      listConversations: db.prepare<[string], ConversationRow & Partial<MessageRow>>(
        `${CONVERSATION_SELECT} WHERE c.owner = ? ORDER BY c.active_time DESC, c.last_message_id DESC, c.conv_id`,
      ),
    };
    this.sendTx = db.transaction((input: NewMessage) => this.storeC2C(input));
    this.commits = new GroupCommit(db, () => {
      this.lastSeqs.clear();
      this.touched.forget();
    }, report);
    this.touched = new TouchedConversations(db, this.commits);
  }

  /** Opens, checks and upgrades the database at `path` (storage/schema.ts; throws DatabaseOpenError). */
  static open(path: string, report?: (e: unknown) => void, options?: OpenDatabaseOptions): Store {
    return new Store(openDatabase(path, options), report);
  }

  /** Runs `fn` in one IMMEDIATE transaction (the tick's shared transaction is committed first). */
  transaction<T>(fn: () => T): T {
    this.commits.flush();
    return this.db.transaction(fn).immediate();
  }

  /** A better-sqlite3 transaction function of `fn` (for `commits.run`). */
  transactionFunction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return this.db.transaction(fn);
  }

  close(): void {
    if (!this.db.open) return;
    this.commits.flush();
    this.db.close();
  }

  /** Creates the account if missing; returns true when it was created. */
  ensureAccount(userId: string, nowSec: number): boolean {
    return this.st.insertAccount.run(userId, nowSec).changes > 0;
  }

  accountExists(userId: string): boolean {
    if (this.knownAccounts.has(userId)) return true;
    const exists = this.st.accountExists.get(userId) !== undefined;
    // Accounts are written outside the shared transaction only, so a row seen inside it is committed;
    // a row seen inside another open transaction may still be rolled back.
    if (exists && (!this.db.inTransaction || this.commits.isOpen)) this.knownAccounts.add(userId);
    return exists;
  }

  /**
   * Stores a C2C message in one transaction: assigns its seq and updates the
   * sender's and the receiver's conversations (unless it is online-only). The
   * receiver's delivery cursor moves later, when its client acknowledges it.
   *
   * Group commit: the transaction is the tick's shared one (a savepoint in
   * it); it is durable once `commits.whenCommitted` calls back. The
   * conversation rows are written at the COMMIT (touched-conversations.ts);
   * once the tick holds both of the pair (or the message is online-only),
   * the message INSERT is the send's only statement and needs no savepoint.
   */
  sendC2C(input: NewMessage): SendResult {
    const single = this.commits.isOpen && this.db.inTransaction &&
      (input.isOnline || this.touched.holdsPair(input.convType, input.sender, input.receiver));
    const { message, touches } = single ? this.commits.runStatement(() => this.storeC2C(input)) : this.commits.run(this.sendTx, input);
    this.touched.apply(touches);
    const pair = pairKey(input);
    // Inside another caller's transaction (which may still roll back), forget rather than remember.
    if (this.commits.isOpen) this.lastSeqs.set(pair, message.seq);
    else this.lastSeqs.delete(pair);
    return { message, conversations: touches.map((t) => t.change) };
  }

  private storeC2C(input: NewMessage): { message: StoredMessage; touches: PreparedTouch[] } {
    const last = this.lastSeqs.get(pairKey(input)) ?? (this.st.lastSeq.get(input.convType, input.sender, input.receiver) as number | undefined);
    const seq = (last ?? 0) + 1;
    const info = this.st.insertMessage.run(
      input.convType, input.sender, input.receiver, seq, input.rand, input.serverTime, input.clientTime, input.priority,
      input.isOnline ? 1 : 0, input.elems,
    );
    const message: StoredMessage = { ...input, id: Number(info.lastInsertRowid), seq };
    const touches: PreparedTouch[] = [];
    if (!input.isOnline) {
      touches.push(this.touched.prepare(input.sender, input.receiver, message, false));
      if (input.receiver !== input.sender) touches.push(this.touched.prepare(input.receiver, input.sender, message, true));
    }
    return { message, touches };
  }

  /** Highest C2C message id whose delivery `userId`'s client acknowledged (0 = none). */
  deliveryCursor(userId: string): number {
    return (this.st.getCursor.get(userId) as number | undefined) ?? 0;
  }

  /** Up to `limit` stored C2C messages addressed to `userId` with an id above `afterId`, oldest first. */
  pendingMessages(userId: string, afterId: number, limit: number): StoredMessage[] {
    return this.st.pending.all(userId, afterId, limit).map(toMessage);
  }

  /** Moves the delivery cursor forward (never backward). */
  advanceCursor(userId: string, messageId: number): void {
    this.st.advanceCursor.run(userId, messageId);
  }

  message(id: number): StoredMessage | undefined {
    const row = this.st.getMessage.get(id);
    return row === undefined ? undefined : toMessage(row);
  }

  /** The user's conversations, most recently active first (with the rows the sends of the open transaction moved). */
  conversations(owner: string): StoredConversation[] {
    this.touched.writeMoved();
    return this.st.listConversations.all(owner).map(toConversation);
  }
}

