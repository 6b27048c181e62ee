/**
 * Group messages (conv_type 2: ordinary messages and GroupTips) and system
 * messages (conv_type 3, conv_id "": GroupReports), stored in the core
 * `messages` table, with each recipient's conversation and an inbox row,
 * removed when the recipient's client acknowledges the EVENT 1 that carried
 * it (what is left is sent again at the next login).
 *
 *   group message:  receiver = group id, seq per group life (groups.last_msg_seq, from 1)
 *   system message: sender "@TIM#SYSTEM", receiver "", one global seq
 */
import type Database from 'better-sqlite3';
import { ConversationStore } from '../storage/conversations.js';
import { toMessage, type ConversationChange, type MessageRow, type StoredMessage } from '../storage/rows.js';
import { SYSTEM_SENDER } from './model.js';

const CONV_GROUP = 2;
const CONV_SYSTEM = 3;

/** One user a message is for. */
export interface Recipient {
  readonly userId: string;
  /** Counts as unread in the recipient's conversation. */
  readonly unread: boolean;
  /** Keep it (an inbox row) until the recipient's client acknowledges it. */
  readonly inbox: boolean;
}

/** What a group or system message is stored from: the message fields the store does not assign itself. */
export type MessageInput = Pick<StoredMessage, 'sender' | 'rand' | 'serverTime' | 'clientTime' | 'priority' | 'isOnline' | 'elems'>;

export interface StoredFanOut {
  readonly message: StoredMessage;
  /** One per touched conversation (the sender's first, when it has one). */
  readonly conversations: readonly ConversationChange[];
}

export class GroupMessageStore {
  private readonly st;
  private readonly convs: ConversationStore;

  constructor(private readonly db: Database.Database) {
    this.convs = new ConversationStore(db);
    this.st = {
      nextGroupSeq: db.prepare(
        'UPDATE groups SET last_msg_seq = last_msg_seq + 1, last_msg_time = ? WHERE group_id = ? RETURNING last_msg_seq',
      ).pluck(),
      nextSystemSeq: db.prepare(
        `SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conv_type = ${CONV_SYSTEM} AND sender = ? AND receiver = ''`,
      ).pluck(),
      insertMessage: db.prepare(
        `INSERT INTO messages (conv_type, sender, receiver, seq, rand, server_time, client_time, priority, is_online, elems)
         VALUES (@convType, @sender, @receiver, @seq, @rand, @serverTime, @clientTime, @priority, @isOnline, @elems)`,
      ),
      getConversation: db.prepare<[string, number, string], { unread_num: number }>(
        'SELECT unread_num FROM conversations WHERE owner = ? AND conv_type = ? AND conv_id = ?',
      ),
      upsertConversation: db.prepare(
        `INSERT INTO conversations (owner, conv_type, conv_id, unread_num, active_time, last_message_id)
         VALUES (@owner, @convType, @convId, @unreadNum, @activeTime, @lastMessageId)
         ON CONFLICT (owner, conv_type, conv_id) DO UPDATE SET
           unread_num = excluded.unread_num, active_time = excluded.active_time, last_message_id = excluded.last_message_id`,
      ),
      addInbox: db.prepare('INSERT OR IGNORE INTO group_inbox (user_id, message_id) VALUES (?, ?)'),
      inbox: db.prepare<[string, number, number], MessageRow>(
        `SELECT m.* FROM group_inbox i JOIN messages m ON m.id = i.message_id
         WHERE i.user_id = ? AND i.message_id > ? ORDER BY i.message_id LIMIT ?`,
      ),
      removeInbox: db.prepare('DELETE FROM group_inbox WHERE user_id = ? AND message_id <= ?'),
    };
  }

  /**
   * Stores a message of group `groupId` with the next group seq; the sender's
   * conversation is touched too when `senderConversation` (a member's own
   * message). Throws if the group does not exist.
   */
  storeGroupMessage(groupId: string, input: MessageInput, recipients: readonly Recipient[], senderConversation: boolean): StoredFanOut {
    return this.db.transaction((): StoredFanOut => {
      const seq = this.st.nextGroupSeq.get(input.serverTime, groupId) as number | undefined;
      if (seq === undefined) throw new Error(`group ${groupId} does not exist`);
      const message = this.insert(CONV_GROUP, groupId, seq, input);
      const conversations: ConversationChange[] = [];
      if (senderConversation && !input.isOnline) conversations.push(this.touch(input.sender, groupId, message, false));
      this.fanOut(message, groupId, recipients, conversations);
      return { message, conversations };
    }).immediate();
  }

  /** Stores a system message (a GroupReport) for `recipients`, in their system conversation. */
  storeSystemMessage(input: Omit<MessageInput, 'sender'>, recipients: readonly Recipient[]): StoredFanOut {
    return this.db.transaction((): StoredFanOut => {
      const seq = this.st.nextSystemSeq.get(SYSTEM_SENDER) as number;
      const message = this.insert(CONV_SYSTEM, '', seq, { ...input, sender: SYSTEM_SENDER });
      const conversations: ConversationChange[] = [];
      this.fanOut(message, '', recipients, conversations);
      return { message, conversations };
    }).immediate();
  }

  private insert(convType: number, receiver: string, seq: number, input: MessageInput): StoredMessage {
    const info = this.st.insertMessage.run({ ...input, convType, receiver, seq, isOnline: input.isOnline ? 1 : 0 });
    return { ...input, id: Number(info.lastInsertRowid), convType, receiver, seq };
  }

  private fanOut(message: StoredMessage, convId: string, recipients: readonly Recipient[], out: ConversationChange[]): void {
    for (const r of recipients) {
      if (message.isOnline) continue;
      out.push(this.touch(r.userId, convId, message, r.unread));
      if (r.inbox) this.st.addInbox.run(r.userId, message.id);
    }
  }

  /** Last message, active time and unread of one recipient's conversation; read back whole (draft, read marks). */
  private touch(owner: string, convId: string, message: StoredMessage, unread: boolean): ConversationChange {
    const old = this.st.getConversation.get(owner, message.convType, convId);
    this.st.upsertConversation.run({
      owner, convType: message.convType, convId, unreadNum: (old?.unread_num ?? 0) + (unread ? 1 : 0),
      activeTime: message.serverTime, lastMessageId: message.id,
    });
    return { conversation: this.convs.get(owner, message.convType, convId)!, created: old === undefined };
  }

  /** Up to `limit` messages kept for `userId` with an id above `afterId`, oldest first. */
  inbox(userId: string, afterId: number, limit: number): StoredMessage[] {
    return this.st.inbox.all(userId, afterId, limit).map(toMessage);
  }

  /** Forgets the kept messages up to `messageId` (their delivery was acknowledged). */
  removeInbox(userId: string, messageId: number): void {
    this.st.removeInbox.run(userId, messageId);
  }
}
