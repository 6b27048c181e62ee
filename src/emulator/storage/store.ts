/**
 * All reads and writes of the emulator's SQLite database (better-sqlite3,
 * synchronous: a write has been committed when the method returns).
 */
import type Database from 'better-sqlite3';
import { GroupStore } from '../groups/store.js';
import { ConversationStore } from './conversations.js';
import { GenerationStore } from './generations.js';
import { HistoryStore } from './history.js';
import {
  CONVERSATION_SELECT, MESSAGE_COLUMNS, toConversation, toMessage, type ConversationChange, type ConversationRow, type MessageRow, type NewMessage,
  type StoredConversation, type StoredMessage,
} from './rows.js';
import { openDatabase } from './schema.js';

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

export class Store {
  /** Message history as each user sees it (storage/history.ts). */
  readonly history: HistoryStore;
  /** Single conversation rows (storage/conversations.ts). */
  readonly convs: ConversationStore;
  /** Session generations per account (storage/generations.ts). */
  readonly generations: GenerationStore;
  /** Groups, members, pendencies, group and system messages (src/emulator/groups). */
  readonly groups: GroupStore;
  private readonly st;

  constructor(private readonly db: Database.Database) {
    // First: it creates the group tables, which the conversation queries join.
    this.groups = new GroupStore(db);
    this.history = new HistoryStore(db);
    this.convs = new ConversationStore(db);
    this.generations = new GenerationStore(db);
    this.st = {
      insertAccount: db.prepare('INSERT OR IGNORE INTO accounts (user_id, created_at) VALUES (?, ?)'),
      accountExists: db.prepare('SELECT 1 FROM accounts WHERE user_id = ?').pluck(),
      nextSeq: db
        .prepare(
          'SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conv_type = ? AND sender = ? AND receiver = ? AND local_owner IS NULL',
        )
        .pluck(),
      insertMessage: db.prepare(
        `INSERT INTO messages (conv_type, sender, receiver, seq, rand, server_time, client_time, priority, is_online, elems)
         VALUES (@convType, @sender, @receiver, @seq, @rand, @serverTime, @clientTime, @priority, @isOnline, @elems)`,
      ),
      getConversation: db.prepare<[string, number, string], ConversationRow>(
        'SELECT * FROM conversations WHERE owner = ? AND conv_type = ? AND conv_id = ?',
      ),
      upsertConversation: db.prepare(
        `INSERT INTO conversations (owner, conv_type, conv_id, unread_num, active_time, last_message_id)
         VALUES (@owner, @convType, @convId, @unreadNum, @activeTime, @lastMessageId)
         ON CONFLICT (owner, conv_type, conv_id) DO UPDATE SET
           unread_num = excluded.unread_num, active_time = excluded.active_time,
           last_message_id = excluded.last_message_id`,
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
  }

  static open(path: string): Store {
    return new Store(openDatabase(path));
  }

  /** Runs `fn` in one IMMEDIATE transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Creates the account if missing; returns true when it was created. */
  ensureAccount(userId: string, nowSec: number): boolean {
    return this.st.insertAccount.run(userId, nowSec).changes > 0;
  }

  accountExists(userId: string): boolean {
    return this.st.accountExists.get(userId) !== undefined;
  }

  /**
   * Stores a C2C message in one transaction: assigns its seq and updates the
   * sender's and the receiver's conversations (unless it is online-only). The
   * receiver's delivery cursor moves later, when its client acknowledges it.
   */
  sendC2C(input: NewMessage): SendResult {
    return this.db.transaction((): SendResult => {
      const seq = this.st.nextSeq.get(input.convType, input.sender, input.receiver) as number;
      const info = this.st.insertMessage.run({ ...input, seq, isOnline: input.isOnline ? 1 : 0 });
      const message: StoredMessage = { ...input, id: Number(info.lastInsertRowid), seq };
      const conversations: ConversationChange[] = [];
      if (!input.isOnline) {
        conversations.push(this.touchConversation(input.sender, input.receiver, message, false));
        if (input.receiver !== input.sender) {
          conversations.push(this.touchConversation(input.receiver, input.sender, message, true));
        }
      }
      return { message, conversations };
    }).immediate();
  }

  private touchConversation(owner: string, convId: string, message: StoredMessage, unread: boolean): ConversationChange {
    const old = this.st.getConversation.get(owner, message.convType, convId);
    const conversation: StoredConversation = {
      owner,
      convType: message.convType,
      convId,
      unreadNum: (old?.unread_num ?? 0) + (unread ? 1 : 0),
      activeTime: message.serverTime,
      lastMessage: message,
    };
    this.st.upsertConversation.run({
      owner,
      convType: conversation.convType,
      convId,
      unreadNum: conversation.unreadNum,
      activeTime: conversation.activeTime,
      lastMessageId: message.id,
    });
    return { conversation, created: old === undefined };
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

  /** The user's conversations, most recently active first. */
  conversations(owner: string): StoredConversation[] {
    return this.st.listConversations.all(owner).map(toConversation);
  }
}

