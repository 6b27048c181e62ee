/**
 * Message history as one user sees it: which stored messages belong to a
 * conversation, which of them the user still sees (not deleted by them, not
 * cleared, not another user's imported message, not online-only), paging,
 * locating, read and clear marks, deleting, revoking, local messages.
 *
 * A conversation's messages (its "scope"):
 *   C2C (1)   the messages between the owner and the peer, both directions
 *   group (2) the messages whose receiver is the group id, of the one life
 *             of the id the owner belongs to (a former member: up to its
 *             departure; `GroupView`)
 *   other     none (system messages are per recipient: the group module's)
 * History order is (server_time, id).
 */
import type Database from 'better-sqlite3';
import { SYSTEM_SENDER } from '../groups/model.js';
import { MESSAGE_COLUMNS, toMessage, type MessageRow, type StoredMessage } from './rows.js';

/** One user's view of one conversation. */
export interface Scope {
  readonly owner: string;
  readonly convType: number;
  readonly convId: string;
}

export interface Marks {
  /** Highest message id the owner has read (0 = none). */
  readonly readUpTo: number;
  /** UTC seconds of the read report that last moved `readUpTo`. */
  readonly readTime: number;
  /** Messages with an id up to this one are deleted for the owner. */
  readonly clearedUpTo: number;
}

/** How a message is named by the client: its seq and rand, and its sender when known. */
export interface MessageKey {
  readonly seq: number;
  readonly rand: number;
  readonly sender?: string;
}

/** A message stored for one user only (TIMMsgImportMsgList, TIMMsgSaveMsg). */
export type LocalMessage = Omit<StoredMessage, 'id' | 'localOwner' | 'revokedBy' | 'revokedAt'> & { readonly localOwner: string };

/**
 * The message ids of a group id one user sees, (`after`, `upTo`]: one life of
 * the group (groups/schema.ts), up to the user's departure from it; undefined
 * when the user was in none (nothing).
 */
export type GroupView = (owner: string, groupId: string) => { readonly after: number; readonly upTo: number } | undefined;

const SCOPE: Readonly<Record<number, string>> = {
  1: 'm.conv_type = 1 AND ((m.sender = @owner AND m.receiver = @convId) OR (m.sender = @convId AND m.receiver = @owner))',
  2: 'm.conv_type = 2 AND m.receiver = @convId AND m.id > @lifeAfter AND m.id <= @lifeUpTo',
};
const NOTHING = '0';
/** The group view of a user in no life of the id (and unused outside group scopes). */
const NO_LIFE = { after: 0, upTo: 0 } as const;

/** Not another user's local message, not online-only. */
const MINE = '(m.local_owner IS NULL OR m.local_owner = @owner) AND m.is_online = 0';
/** …and not deleted by the owner. */
const VISIBLE = `${MINE} AND m.id > @cleared AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.owner = @owner AND h.message_id = m.id)`;

/** Group tips: the server's messages in a group conversation (the group module's sender `@TIM#SYSTEM`). */
const TIPS = `(m.conv_type = 2 AND m.sender = '${SYSTEM_SENDER}')`;
/** The operator a tip names. */
const TIP_OPERATOR = "json_extract(m.elems, '$[0].group_tips_elem_op_user')";

const COLUMNS = MESSAGE_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ');

type Params = Scope & { cleared: number; lifeAfter: number; lifeUpTo: number };

export class HistoryStore {
  private readonly cache = new Map<string, Database.Statement>();
  private readonly st;

  constructor(private readonly db: Database.Database, private readonly groupView: GroupView) {
    this.st = {
      marks: db.prepare<[string, number, string], { read_up_to: number; read_time: number; cleared_up_to: number }>(
        'SELECT read_up_to, read_time, cleared_up_to FROM conversation_marks WHERE owner = ? AND conv_type = ? AND conv_id = ?',
      ),
      setRead: db.prepare(
        `INSERT INTO conversation_marks (owner, conv_type, conv_id, read_up_to, read_time) VALUES (@owner, @convType, @convId, @upTo, @time)
         ON CONFLICT (owner, conv_type, conv_id) DO UPDATE SET read_up_to = excluded.read_up_to, read_time = excluded.read_time
         WHERE excluded.read_up_to > read_up_to`,
      ),
      setCleared: db.prepare(
        `INSERT INTO conversation_marks (owner, conv_type, conv_id, cleared_up_to) VALUES (@owner, @convType, @convId, @upTo)
         ON CONFLICT (owner, conv_type, conv_id) DO UPDATE SET cleared_up_to = MAX(cleared_up_to, excluded.cleared_up_to)`,
      ),
      hide: db.prepare('INSERT OR IGNORE INTO hidden_messages (owner, message_id) VALUES (?, ?)'),
      revoke: db.prepare('UPDATE messages SET status = 6, revoked_by = ?, revoked_at = ? WHERE id = ?'),
      byId: db.prepare<[number], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`),
      insertLocal: db.prepare(
        `INSERT INTO messages (conv_type, sender, receiver, seq, rand, server_time, client_time, priority, is_online, elems, status, local_owner)
         VALUES (@convType, @sender, @receiver, @seq, @rand, @serverTime, @clientTime, @priority, 0, @elems, @status, @localOwner)`,
      ),
    };
  }

  marks(s: Scope): Marks {
    const r = this.st.marks.get(s.owner, s.convType, s.convId);
    return { readUpTo: r?.read_up_to ?? 0, readTime: r?.read_time ?? 0, clearedUpTo: r?.cleared_up_to ?? 0 };
  }

  /** Moves the owner's read mark forward to `upTo` (never back); returns true when it moved. */
  markRead(s: Scope, upTo: number, time: number): boolean {
    return this.st.setRead.run({ ...s, upTo, time }).changes > 0;
  }

  /** Deletes every message of the scope up to `upTo` for the owner. */
  clear(s: Scope, upTo: number): void {
    this.st.setCleared.run({ ...s, upTo });
  }

  /** Deletes one message for `owner`. */
  hide(owner: string, messageId: number): void {
    this.st.hide.run(owner, messageId);
  }

  revoke(messageId: number, by: string, at: number): void {
    this.st.revoke.run(by, at, messageId);
  }

  byId(id: number): StoredMessage | undefined {
    const r = this.st.byId.get(id);
    return r === undefined ? undefined : toMessage(r);
  }

  insertLocal(m: LocalMessage): StoredMessage {
    const info = this.st.insertLocal.run({ ...m, status: m.status ?? 5 });
    return { ...m, id: Number(info.lastInsertRowid), isOnline: false };
  }

  /**
   * Up to `count` visible messages after (`newer`) or before the anchor
   * position, excluding it. Older pages are newest first, newer pages oldest
   * first, so the last message of a page is the anchor of the next one.
   * Without an anchor: the newest messages (older) or the oldest (newer).
   */
  page(s: Scope, anchor: { serverTime: number; id: number } | undefined, newer: boolean, count: number): StoredMessage[] {
    const cmp = anchor === undefined ? '' : `AND (m.server_time, m.id) ${newer ? '>' : '<'} (@t, @anchorId)`;
    const dir = newer ? 'ASC' : 'DESC';
    const sql = `SELECT ${COLUMNS} FROM messages m WHERE ${this.scope(s)} AND ${VISIBLE} ${cmp}
                 ORDER BY m.server_time ${dir}, m.id ${dir} LIMIT @count`;
    return this.all(sql, { ...this.params(s), t: anchor?.serverTime ?? 0, anchorId: anchor?.id ?? 0, count });
  }

  /**
   * The message of the scope with this seq and rand (and sender, when
   * given). `visibleOnly` = false also finds messages the owner deleted
   * (an anchor may be one).
   */
  locate(s: Scope, key: MessageKey, visibleOnly = true): StoredMessage | undefined {
    const sender = key.sender === undefined ? '' : 'AND m.sender = @sender';
    const sql = `SELECT ${COLUMNS} FROM messages m WHERE ${this.scope(s)} AND ${visibleOnly ? VISIBLE : MINE}
                 AND m.seq = @seq AND m.rand = @rand ${sender} ORDER BY m.id DESC LIMIT 1`;
    return this.all(sql, { ...this.params(s), seq: key.seq, rand: key.rand, sender: key.sender ?? '' })[0];
  }

  /** The newest visible message. */
  last(s: Scope): StoredMessage | undefined {
    return this.page(s, undefined, false, 1)[0];
  }

  /** Highest id of the scope the owner may see (deleted ones included); 0 when none. */
  maxId(s: Scope): number {
    const sql = `SELECT COALESCE(MAX(m.id), 0) AS n FROM messages m WHERE ${this.scope(s)} AND ${MINE}`;
    return (this.statement(sql).get(this.params(s)) as { n: number }).n;
  }

  /**
   * The unread count: visible messages from others after `readUpTo`, not
   * revoked, not local. Group tips (sender `@TIM#SYSTEM`) count except for
   * their operator (`group_tips_elem_op_user`), as when they are delivered;
   * `tipsOnly` leaves ordinary messages out (a group member whose receive
   * option is "not receive" gets none).
   */
  unread(s: Scope, readUpTo: number, tipsOnly = false): number {
    const sql = `SELECT COUNT(*) AS n FROM messages m WHERE ${this.scope(s)} AND ${VISIBLE}
                 AND m.sender <> @owner AND m.local_owner IS NULL AND m.status <> 6 AND m.id > @readUpTo
                 AND NOT (${TIPS} AND ${TIP_OPERATOR} IS @owner) ${tipsOnly ? `AND ${TIPS}` : ''}`;
    return (this.statement(sql).get({ ...this.params(s), readUpTo }) as { n: number }).n;
  }

  private scope(s: Scope): string {
    return SCOPE[s.convType] ?? NOTHING;
  }

  private params(s: Scope): Params {
    const life = (s.convType === 2 ? this.groupView(s.owner, s.convId) : undefined) ?? NO_LIFE;
    return {
      owner: s.owner, convType: s.convType, convId: s.convId, cleared: this.marks(s).clearedUpTo, lifeAfter: life.after,
      lifeUpTo: life.upTo,
    };
  }

  private all(sql: string, params: Record<string, unknown>): StoredMessage[] {
    return (this.statement(sql).all(params) as MessageRow[]).map(toMessage);
  }

  private statement(sql: string): Database.Statement {
    let st = this.cache.get(sql);
    if (st === undefined) {
      st = this.db.prepare(sql);
      this.cache.set(sql, st);
    }
    return st;
  }
}
