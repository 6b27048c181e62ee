/**
 * Pendencies: group actions waiting for approval (a join request for the
 * owner and admins, an invitation for the invitee). Handled ones stay
 * listable with their result; `add_time` (UTC ms) is strictly increasing, so
 * it is a paging cursor without ties.
 */
import type Database from 'better-sqlite3';
import { PendencyType } from './model.js';

export interface Pendency {
  readonly id: number;
  readonly groupId: string;
  readonly type: number;
  readonly fromId: string;
  readonly toId: string;
  readonly addTime: number;
  readonly applyMsg: string;
  readonly fromUserData: string;
  readonly handledBy: string;
  readonly handleResult: number;
  readonly approvalMsg: string;
}

interface PendencyRow {
  id: number; group_id: string; pendency_type: number; from_id: string; to_id: string; add_time: number;
  apply_msg: string; from_user_data: string; handled_by: string; handle_result: number; approval_msg: string;
}

const toPendency = (r: PendencyRow): Pendency => ({
  id: r.id, groupId: r.group_id, type: r.pendency_type, fromId: r.from_id, toId: r.to_id, addTime: r.add_time,
  applyMsg: r.apply_msg, fromUserData: r.from_user_data, handledBy: r.handled_by, handleResult: r.handle_result,
  approvalMsg: r.approval_msg,
});

/** The pendencies `?` (the viewer) must approve: join requests of groups it administers, invitations to it. */
const VISIBLE = `(
  (p.pendency_type = ${PendencyType.JoinRequest} AND EXISTS (
     SELECT 1 FROM group_members m WHERE m.group_id = p.group_id AND m.user_id = @viewer AND m.role >= 300))
  OR (p.pendency_type = ${PendencyType.Invitation} AND p.to_id = @viewer))`;

export interface PendencyKey {
  readonly groupId: string;
  readonly type: number;
  readonly fromId: string;
  readonly toId: string;
  /** 0 = any. */
  readonly addTime: number;
}

export class PendencyStore {
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.st = {
      maxAddTime: db.prepare('SELECT COALESCE(MAX(add_time), 0) FROM group_pendencies').pluck(),
      insert: db.prepare(
        `INSERT INTO group_pendencies (group_id, pendency_type, from_id, to_id, add_time, apply_msg, from_user_data,
           handled_by, handle_result, approval_msg)
         VALUES (@groupId, @type, @fromId, @toId, @addTime, @applyMsg, @fromUserData, '', 0, '')`,
      ),
      byId: db.prepare<[number], PendencyRow>('SELECT * FROM group_pendencies WHERE id = ?'),
      open: db.prepare<[string, number, string, string], PendencyRow>(
        `SELECT * FROM group_pendencies WHERE group_id = ? AND pendency_type = ? AND from_id = ? AND to_id = ?
           AND handled_by = '' ORDER BY add_time DESC LIMIT 1`,
      ),
      find: db.prepare<{ groupId: string; type: number; fromId: string; toId: string; addTime: number }, PendencyRow>(
        `SELECT * FROM group_pendencies WHERE group_id = @groupId AND pendency_type = @type AND from_id = @fromId
           AND (@type = ${PendencyType.JoinRequest} OR to_id = @toId) AND (@addTime = 0 OR add_time = @addTime)
         ORDER BY handled_by <> '', add_time DESC LIMIT 1`,
      ),
      refresh: db.prepare('UPDATE group_pendencies SET add_time = ?, apply_msg = ?, from_user_data = ? WHERE id = ?'),
      handle: db.prepare(
        "UPDATE group_pendencies SET handled_by = ?, handle_result = ?, approval_msg = ? WHERE id = ? AND handled_by = ''",
      ),
      page: db.prepare<{ viewer: string; before: number; limit: number }, PendencyRow>(
        `SELECT * FROM group_pendencies p WHERE ${VISIBLE} AND (@before = 0 OR p.add_time < @before)
         ORDER BY p.add_time DESC LIMIT @limit`,
      ),
      unread: db.prepare<{ viewer: string; readTime: number }>(
        `SELECT COUNT(*) FROM group_pendencies p WHERE ${VISIBLE} AND p.handled_by = '' AND p.add_time > @readTime`,
      ).pluck(),
      readTime: db.prepare('SELECT read_time FROM group_pendency_reads WHERE user_id = ?').pluck(),
      setReadTime: db.prepare(
        `INSERT INTO group_pendency_reads (user_id, read_time) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET read_time = MAX(read_time, excluded.read_time)`,
      ),
      deleteOfGroup: db.prepare('DELETE FROM group_pendencies WHERE group_id = ?'),
    };
  }

  /** A strictly increasing millisecond time, at least `nowMs`. */
  private nextAddTime(nowMs: number): number {
    return Math.max(nowMs, (this.st.maxAddTime.get() as number) + 1);
  }

  /**
   * Records a pendency, or refreshes (time, message) the open one with the
   * same group, type, sender and receiver: asking twice leaves one request.
   */
  add(p: Omit<Pendency, 'id' | 'addTime' | 'handledBy' | 'handleResult' | 'approvalMsg'>, nowMs: number): Pendency {
    return this.db.transaction((): Pendency => {
      const addTime = this.nextAddTime(nowMs);
      const open = this.st.open.get(p.groupId, p.type, p.fromId, p.toId);
      if (open !== undefined) {
        this.st.refresh.run(addTime, p.applyMsg, p.fromUserData, open.id);
        return toPendency(this.st.byId.get(open.id)!);
      }
      const info = this.st.insert.run({ ...p, addTime });
      return toPendency(this.st.byId.get(Number(info.lastInsertRowid))!);
    }).immediate();
  }

  byId(id: number): Pendency | undefined {
    const r = this.st.byId.get(id);
    return r === undefined ? undefined : toPendency(r);
  }

  /** The pendency a handle request names (the open one first, else the latest handled one). */
  find(key: PendencyKey): Pendency | undefined {
    const r = this.st.find.get({ ...key });
    return r === undefined ? undefined : toPendency(r);
  }

  /** Marks it handled by `by`; false when it was handled already (by anyone). */
  handle(id: number, by: string, accepted: boolean, message: string): boolean {
    return this.st.handle.run(by, accepted ? 1 : 0, message, id).changes > 0;
  }

  /** The viewer's pendencies, newest first, added before `before` (0 = from the newest). */
  page(viewer: string, before: number, limit: number): Pendency[] {
    return this.st.page.all({ viewer, before, limit }).map(toPendency);
  }

  /** Open pendencies of the viewer added after its read time. */
  unreadCount(viewer: string): number {
    return this.st.unread.get({ viewer, readTime: this.readTime(viewer) }) as number;
  }

  readTime(viewer: string): number {
    return (this.st.readTime.get(viewer) as number | undefined) ?? 0;
  }

  /** Everything added up to `timeMs` is read (the time never moves back). */
  markRead(viewer: string, timeMs: number): void {
    this.st.setReadTime.run(viewer, timeMs);
  }

  deleteOfGroup(groupId: string): void {
    this.st.deleteOfGroup.run(groupId);
  }
}
