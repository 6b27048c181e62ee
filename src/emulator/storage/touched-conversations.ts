/**
 * The conversation rows the C2C sends move (storage/store.ts `sendC2C`),
 * written once per row per group commit.
 *
 * A flood moves the same two rows (the sender's and the receiver's) once
 * per message; in the tick's shared transaction (group-commit.ts) each row
 * is read once, held in memory while the sends of the tick move it, and
 * written once, just before the COMMIT. A missing row is inserted at once
 * (with the send's savepoint). Nothing else reads or writes conversation
 * rows while they are held: every other call commits first
 * (handlers/index.ts), and the COMMIT writes them. Outside the shared
 * transaction a row is written at once.
 *
 * A send's touches are `prepare`d (reads, and the INSERT of a missing row:
 * undone with its savepoint if the send fails) and only then `apply`d to
 * the held rows (memory only, cannot fail), so a failed send leaves them as
 * they were. A failed COMMIT rolls everything back and `forget`s them.
 */
import type Database from 'better-sqlite3';
import type { GroupCommit } from './group-commit.js';
import type { ConversationChange, StoredConversation, StoredMessage } from './rows.js';

/** The state of one row as the sends of the open transaction left it. */
interface HeldRow {
  readonly owner: string;
  readonly convType: number;
  readonly convId: string;
  unreadNum: number;
  activeTime: number;
  lastMessageId: number;
  readonly draft: string | null;
  /** Moved since it was read or inserted: its UPDATE is due at the COMMIT. */
  dirty: boolean;
}

/** One touch of a send, prepared: `row` is the state to hold (or write) once the send's statements succeeded. */
export interface PreparedTouch {
  readonly key: string;
  readonly row: HeldRow;
  readonly change: ConversationChange;
}

const keyOf = (owner: string, convType: number, convId: string): string => `${owner}\u0000${convType}\u0000${convId}`;

export class TouchedConversations {
  private readonly held = new Map<string, HeldRow>();
  private readonly st;

  constructor(
    db: Database.Database,
    private readonly commits: GroupCommit,
  ) {
    this.st = {
      // SELECT then UPDATE: several times cheaper through better-sqlite3 than one UPDATE … RETURNING.
      unreadAndDraft: db.prepare<[string, number, string], { unread_num: number; draft: string | null }>(
        'SELECT unread_num, draft FROM conversations WHERE owner = ? AND conv_type = ? AND conv_id = ?',
      ),
      update: db.prepare<[number, number, number, string, number, string]>(
        `UPDATE conversations SET unread_num = ?, active_time = ?, last_message_id = ?
         WHERE owner = ? AND conv_type = ? AND conv_id = ?`,
      ),
      insert: db.prepare<[string, number, string, number, number, number]>(
        `INSERT INTO conversations (owner, conv_type, conv_id, unread_num, active_time, last_message_id)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /**
   * Moves `owner`'s conversation with `convId` to `message` (one more unread
   * when `unread`): reads the row unless held, inserts it when missing, and
   * writes it at once outside the shared transaction. The held rows change
   * only in `apply`.
   */
  prepare(owner: string, convId: string, message: StoredMessage, unread: boolean): PreparedTouch {
    const convType = message.convType;
    const key = keyOf(owner, convType, convId);
    const held = this.held.get(key);
    const old = held ?? this.read(owner, convType, convId);
    const unreadNum = (old?.unreadNum ?? 0) + (unread ? 1 : 0);
    const draft = old?.draft ?? null;
    if (old === undefined) {
      this.st.insert.run(owner, convType, convId, unreadNum, message.serverTime, message.id);
    } else if (!this.commits.isOpen) {
      this.st.update.run(unreadNum, message.serverTime, message.id, owner, convType, convId);
    }
    const row: HeldRow = {
      owner, convType, convId, unreadNum, activeTime: message.serverTime, lastMessageId: message.id, draft, dirty: old !== undefined,
    };
    const conversation: StoredConversation = {
      owner,
      convType,
      convId,
      unreadNum,
      activeTime: message.serverTime,
      lastMessage: message,
      // The draft stays (a send does not clear it): the conversation event shows it as the list does.
      ...(draft !== null ? { draft } : {}),
    };
    return { key, row, change: { conversation, created: old === undefined } };
  }

  /** Holds the rows of a send whose statements all succeeded, until the COMMIT (nothing is held outside the shared transaction). */
  apply(touches: readonly PreparedTouch[]): void {
    if (!this.commits.isOpen || touches.length === 0) return;
    if (this.held.size === 0) this.commits.atCommit(() => this.write());
    for (const t of touches) this.held.set(t.key, t.row);
  }

  /** True when both rows of the pair are held: moving them is then memory only (no statement, nothing that can fail). */
  holdsPair(convType: number, a: string, b: string): boolean {
    return this.held.has(keyOf(a, convType, b)) && this.held.has(keyOf(b, convType, a));
  }

  /** Drops the held rows (the transaction that moved them was rolled back). */
  forget(): void {
    this.held.clear();
  }

  private read(owner: string, convType: number, convId: string): Pick<HeldRow, 'unreadNum' | 'draft'> | undefined {
    const r = this.st.unreadAndDraft.get(owner, convType, convId);
    return r === undefined ? undefined : { unreadNum: r.unread_num, draft: r.draft };
  }

  /** Writes the rows moved since they were read or last written; they stay held (for a read of the open transaction). */
  writeMoved(): void {
    for (const r of this.held.values()) {
      if (!r.dirty) continue;
      this.st.update.run(r.unreadNum, r.activeTime, r.lastMessageId, r.owner, r.convType, r.convId);
      r.dirty = false;
    }
  }

  /** Writes the moved rows just before the COMMIT and lets them go; a failure fails the COMMIT (group-commit.ts). */
  private write(): void {
    try {
      this.writeMoved();
    } finally {
      this.held.clear();
    }
  }
}
