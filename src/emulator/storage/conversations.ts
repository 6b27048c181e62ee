/**
 * One conversation row of one user: read with its last message and read
 * marks, created, deleted, its draft and its derived state (unread, last
 * message, active time) written back.
 */
import type Database from 'better-sqlite3';
import { CONVERSATION_SELECT, toConversation, type ConversationRow, type MessageRow, type StoredConversation } from './rows.js';

export interface ConversationState {
  readonly unreadNum: number;
  readonly lastMessageId: number | null;
  readonly activeTime: number;
}

export class ConversationStore {
  private readonly st;

  constructor(db: Database.Database) {
    this.st = {
      get: db.prepare<[string, number, string], ConversationRow & Partial<MessageRow>>(
        `${CONVERSATION_SELECT} WHERE c.owner = ? AND c.conv_type = ? AND c.conv_id = ?`,
      ),
      insert: db.prepare(
        `INSERT OR IGNORE INTO conversations (owner, conv_type, conv_id, unread_num, active_time, last_message_id)
         VALUES (@owner, @convType, @convId, @unreadNum, @activeTime, @lastMessageId)`,
      ),
      remove: db.prepare('DELETE FROM conversations WHERE owner = ? AND conv_type = ? AND conv_id = ?'),
      setDraft: db.prepare('UPDATE conversations SET draft = ? WHERE owner = ? AND conv_type = ? AND conv_id = ?'),
      setState: db.prepare(
        `UPDATE conversations SET unread_num = @unreadNum, last_message_id = @lastMessageId, active_time = @activeTime
         WHERE owner = @owner AND conv_type = @convType AND conv_id = @convId`,
      ),
      owners: db.prepare<[number, string], { owner: string }>('SELECT owner FROM conversations WHERE conv_type = ? AND conv_id = ?'),
    };
  }

  get(owner: string, convType: number, convId: string): StoredConversation | undefined {
    const r = this.st.get.get(owner, convType, convId);
    return r === undefined ? undefined : toConversation(r);
  }

  /** Creates the row if missing; returns true when it was created. */
  create(owner: string, convType: number, convId: string, state: ConversationState): boolean {
    return this.st.insert.run({ owner, convType, convId, ...state }).changes > 0;
  }

  /** Deletes the row (and its draft); returns true when there was one. */
  remove(owner: string, convType: number, convId: string): boolean {
    return this.st.remove.run(owner, convType, convId).changes > 0;
  }

  /** Sets (JSON text) or clears (null) the draft of an existing row. */
  setDraft(owner: string, convType: number, convId: string, draft: string | null): boolean {
    return this.st.setDraft.run(draft, owner, convType, convId).changes > 0;
  }

  setState(owner: string, convType: number, convId: string, state: ConversationState): void {
    this.st.setState.run({ owner, convType, convId, ...state });
  }

  /** Users who have this conversation in their list. */
  owners(convType: number, convId: string): string[] {
    return this.st.owners.all(convType, convId).map((r) => r.owner);
  }
}
