/**
 * Reads and writes of groups and their members (better-sqlite3, synchronous:
 * committed when a method returns). Pendencies and group messages have their
 * own stores, reachable from here.
 */
import type Database from 'better-sqlite3';
import { GroupMessageStore } from './message-store.js';
import { Role } from './model.js';
import { PendencyStore } from './pendency-store.js';
import { applyGroupSchema } from './schema.js';

export interface CustomEntry {
  readonly key: string;
  readonly value: string;
}

export interface Group {
  readonly groupId: string;
  readonly groupType: number;
  readonly name: string;
  readonly notification: string;
  readonly introduction: string;
  readonly faceUrl: string;
  readonly owner: string;
  readonly addOption: number;
  readonly approveOption: number;
  readonly maxMemberNum: number;
  readonly visible: number;
  readonly searchable: number;
  readonly shutupAll: boolean;
  readonly customInfo: readonly CustomEntry[];
  readonly createTime: number;
  readonly infoSeq: number;
  readonly lastInfoTime: number;
  readonly lastMsgSeq: number;
  readonly lastMsgTime: number;
  /** This life of the id: the highest messages.id when it began (its messages have higher ids). */
  readonly life: number;
}

/** The messages of a group id one user sees: ids in (`after`, `upTo`] (one life, up to a departure). */
export interface LifeView {
  readonly after: number;
  readonly upTo: number;
}

export interface Member {
  readonly groupId: string;
  readonly userId: string;
  readonly role: number;
  readonly joinSeq: number;
  readonly joinTime: number;
  readonly msgFlag: number;
  readonly nameCard: string;
  readonly shutupUntil: number;
  readonly customInfo: readonly CustomEntry[];
}

/** What a profile change may set (TIMGroupModifyGroupInfo). */
export type GroupPatch = Mutable<Partial<Pick<Group,
  'name' | 'notification' | 'introduction' | 'faceUrl' | 'owner' | 'addOption' | 'approveOption' | 'maxMemberNum'
  | 'visible' | 'searchable' | 'shutupAll' | 'customInfo'>>>;

/** What a member change may set (TIMGroupModifyMemberInfo). */
export type MemberPatch = Mutable<Partial<Pick<Member, 'role' | 'msgFlag' | 'nameCard' | 'shutupUntil' | 'customInfo'>>>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type NewGroup = Omit<Group, 'infoSeq' | 'lastInfoTime' | 'lastMsgSeq' | 'lastMsgTime' | 'life'>;

interface GroupRow {
  group_id: string; group_type: number; name: string; notification: string; introduction: string; face_url: string;
  owner: string; add_option: number; approve_option: number; max_member_num: number; visible: number; searchable: number;
  shutup_all: number; custom_info: string; create_time: number; info_seq: number; last_info_time: number;
  last_msg_seq: number; last_msg_time: number; life: number;
}

interface MemberRow {
  group_id: string; user_id: string; role: number; join_seq: number; join_time: number; msg_flag: number;
  name_card: string; shutup_until: number; custom_info: string;
}

const toGroup = (r: GroupRow): Group => ({
  groupId: r.group_id, groupType: r.group_type, name: r.name, notification: r.notification, introduction: r.introduction,
  faceUrl: r.face_url, owner: r.owner, addOption: r.add_option, approveOption: r.approve_option,
  maxMemberNum: r.max_member_num, visible: r.visible, searchable: r.searchable, shutupAll: r.shutup_all !== 0,
  customInfo: JSON.parse(r.custom_info) as CustomEntry[], createTime: r.create_time, infoSeq: r.info_seq,
  lastInfoTime: r.last_info_time, lastMsgSeq: r.last_msg_seq, lastMsgTime: r.last_msg_time, life: r.life,
});

const toMember = (r: MemberRow): Member => ({
  groupId: r.group_id, userId: r.user_id, role: r.role, joinSeq: r.join_seq, joinTime: r.join_time, msgFlag: r.msg_flag,
  nameCard: r.name_card, shutupUntil: r.shutup_until, customInfo: JSON.parse(r.custom_info) as CustomEntry[],
});

const GROUP_COLUMNS: Readonly<Record<keyof GroupPatch, string>> = {
  name: 'name', notification: 'notification', introduction: 'introduction', faceUrl: 'face_url', owner: 'owner',
  addOption: 'add_option', approveOption: 'approve_option', maxMemberNum: 'max_member_num', visible: 'visible',
  searchable: 'searchable', shutupAll: 'shutup_all', customInfo: 'custom_info',
};

const MEMBER_COLUMNS: Readonly<Record<keyof MemberPatch, string>> = {
  role: 'role', msgFlag: 'msg_flag', nameCard: 'name_card', shutupUntil: 'shutup_until', customInfo: 'custom_info',
};

/** SQLite values of a patch (booleans as 0/1, arrays as JSON). */
function sqlValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v)) return JSON.stringify(v);
  return v;
}

export class GroupStore {
  readonly pendencies: PendencyStore;
  readonly messages: GroupMessageStore;
  private readonly st;

  constructor(private readonly db: Database.Database) {
    applyGroupSchema(db);
    this.pendencies = new PendencyStore(db);
    this.messages = new GroupMessageStore(db);
    this.st = {
      group: db.prepare<[string], GroupRow>('SELECT * FROM groups WHERE group_id = ?'),
      insertGroup: db.prepare(
        `INSERT INTO groups (group_id, group_type, name, notification, introduction, face_url, owner, add_option,
           approve_option, max_member_num, visible, searchable, shutup_all, custom_info, create_time, info_seq,
           last_info_time, last_msg_seq, last_msg_time, life)
         VALUES (@groupId, @groupType, @name, @notification, @introduction, @faceUrl, @owner, @addOption,
           @approveOption, @maxMemberNum, @visible, @searchable, @shutupAll, @customInfo, @createTime, 0,
           @createTime, 0, 0, (SELECT COALESCE(MAX(id), 0) FROM messages))`,
      ),
      deleteGroup: db.prepare('DELETE FROM groups WHERE group_id = ?'),
      member: db.prepare<[string, string], MemberRow>('SELECT * FROM group_members WHERE group_id = ? AND user_id = ?'),
      members: db.prepare<[string], MemberRow>('SELECT * FROM group_members WHERE group_id = ? ORDER BY join_seq'),
      memberCount: db.prepare('SELECT COUNT(*) FROM group_members WHERE group_id = ?').pluck(),
      memberPage: db.prepare<[string, number, number, number, number, number], MemberRow>(
        `SELECT * FROM group_members WHERE group_id = ? AND join_seq > ?
           AND ((? & 1 AND role = 400) OR (? & 2 AND role = 300) OR (? & 4 AND role = 200))
         ORDER BY join_seq LIMIT ?`,
      ),
      insertMember: db.prepare(
        `INSERT INTO group_members (group_id, user_id, role, join_seq, join_time, msg_flag, name_card, shutup_until, custom_info)
         VALUES (?, ?, ?, (SELECT COALESCE(MAX(join_seq), 0) + 1 FROM group_members WHERE group_id = ?), ?, 0, '', 0, '[]')`,
      ),
      deleteMember: db.prepare('DELETE FROM group_members WHERE group_id = ? AND user_id = ?'),
      // A member who leaves keeps the messages of this life up to now in its conversation, nothing after.
      markLeft: db.prepare(
        `INSERT OR REPLACE INTO group_departures (group_id, user_id, life, up_to)
         VALUES (@groupId, @userId, (SELECT life FROM groups WHERE group_id = @groupId),
           (SELECT COALESCE(MAX(id), 0) FROM messages WHERE conv_type = 2 AND receiver = @groupId))`,
      ),
      departedLife: db.prepare('SELECT life FROM group_departures WHERE group_id = ? AND user_id = ?').pluck(),
      clearLeft: db.prepare('DELETE FROM group_departures WHERE group_id = ? AND user_id = ?'),
      // What a user kept of another life of the id: its conversation's last message and unread count, and the
      // messages of the id its client has not acknowledged yet.
      resetConversation: db.prepare(
        'UPDATE conversations SET unread_num = 0, last_message_id = NULL WHERE owner = ? AND conv_type = 2 AND conv_id = ?',
      ),
      dropInbox: db.prepare(
        `DELETE FROM group_inbox WHERE user_id = @userId AND message_id <= @life AND EXISTS (
           SELECT 1 FROM messages m WHERE m.id = group_inbox.message_id AND m.conv_type = 2 AND m.receiver = @groupId)`,
      ),
      view: db.prepare<[string, string, string, string], LifeView>(
        `SELECT g.life AS after, ${Number.MAX_SAFE_INTEGER} AS upTo FROM group_members m JOIN groups g ON g.group_id = m.group_id
           WHERE m.group_id = ? AND m.user_id = ?
         UNION ALL
         SELECT d.life, d.up_to FROM group_departures d WHERE d.group_id = ? AND d.user_id = ?`,
      ),
      // A newcomer has read everything the group said before it joined (unread counts start at the join).
      markJoined: db.prepare(
        `INSERT INTO conversation_marks (owner, conv_type, conv_id, read_up_to)
         VALUES (?, 2, ?, (SELECT COALESCE(MAX(id), 0) FROM messages WHERE conv_type = 2 AND receiver = ?))
         ON CONFLICT (owner, conv_type, conv_id) DO UPDATE SET read_up_to = MAX(read_up_to, excluded.read_up_to)`,
      ),
      joined: db.prepare<[string], GroupRow & { m_role: number; m_join_time: number; m_msg_flag: number; m_unread: number | null }>(
        `SELECT g.*, m.role AS m_role, m.join_time AS m_join_time, m.msg_flag AS m_msg_flag,
                (SELECT c.unread_num FROM conversations c WHERE c.owner = m.user_id AND c.conv_type = 2 AND c.conv_id = g.group_id) AS m_unread
         FROM group_members m JOIN groups g ON g.group_id = m.group_id
         WHERE m.user_id = ? ORDER BY m.join_time DESC, g.group_id`,
      ),
    };
  }

  group(groupId: string): Group | undefined {
    const r = this.st.group.get(groupId);
    return r === undefined ? undefined : toGroup(r);
  }

  /** Creates the group with its owner (if any) and initial members, in one transaction. */
  createGroup(g: NewGroup, members: readonly { userId: string; role: number }[], now: number): Group {
    return this.db.transaction((): Group => {
      this.st.insertGroup.run({ ...g, shutupAll: g.shutupAll ? 1 : 0, customInfo: JSON.stringify(g.customInfo) });
      for (const m of members) this.insertMember(g.groupId, m.userId, m.role, now);
      return this.group(g.groupId)!;
    }).immediate();
  }

  /**
   * Ends the group's life: removes the group, its members (who keep its
   * messages so far) and its pendencies; messages and conversations stay.
   */
  deleteGroup(groupId: string): void {
    this.db.transaction(() => {
      for (const userId of this.memberIds(groupId)) this.st.markLeft.run({ groupId, userId });
      this.st.deleteGroup.run(groupId);
      this.pendencies.deleteOfGroup(groupId);
    }).immediate();
  }

  /** Applies a profile change; `info_seq` + 1 and `last_info_time` = now. */
  updateGroup(groupId: string, patch: GroupPatch, now: number): Group {
    const keys = Object.keys(patch) as (keyof GroupPatch)[];
    const sets = keys.map((k) => `${GROUP_COLUMNS[k]} = @${k}`);
    const values: Record<string, unknown> = { groupId, now };
    for (const k of keys) values[k] = sqlValue(patch[k]);
    this.db.prepare(
      `UPDATE groups SET ${[...sets, 'info_seq = info_seq + 1', 'last_info_time = @now'].join(', ')} WHERE group_id = @groupId`,
    ).run(values);
    return this.group(groupId)!;
  }

  member(groupId: string, userId: string): Member | undefined {
    const r = this.st.member.get(groupId, userId);
    return r === undefined ? undefined : toMember(r);
  }

  /** Every member, in join order. */
  members(groupId: string): Member[] {
    return this.st.members.all(groupId).map(toMember);
  }

  memberIds(groupId: string): string[] {
    return this.st.members.all(groupId).map((r) => r.user_id);
  }

  memberCount(groupId: string): number {
    return this.st.memberCount.get(groupId) as number;
  }

  /** Members after join order `afterSeq` whose role matches `roleMask` (A.23 bits; 0 = all). */
  memberPage(groupId: string, afterSeq: number, roleMask: number, limit: number): Member[] {
    const mask = roleMask === 0 ? 7 : roleMask;
    return this.st.memberPage.all(groupId, afterSeq, mask, mask, mask, limit).map(toMember);
  }

  /** Adds members (join order follows the array). */
  addMembers(groupId: string, members: readonly { userId: string; role: number }[], now: number): void {
    this.db.transaction(() => {
      for (const m of members) this.insertMember(groupId, m.userId, m.role, now);
    }).immediate();
  }

  /**
   * A newcomer of this life. Whatever it kept of another life of the id (it
   * was a member of an older one) is set aside: its conversation starts
   * empty and that life's unacknowledged messages are no longer sent to it.
   * A member coming back to the same life keeps its conversation.
   */
  private insertMember(groupId: string, userId: string, role: number, now: number): void {
    const life = this.group(groupId)!.life;
    const left = this.st.departedLife.get(groupId, userId) as number | undefined;
    this.st.insertMember.run(groupId, userId, role, groupId, now);
    this.st.clearLeft.run(groupId, userId);
    this.st.markJoined.run(userId, groupId, groupId);
    if (left !== life) {
      this.st.resetConversation.run(userId, groupId);
      this.st.dropInbox.run({ userId, groupId, life });
    }
  }

  /**
   * Which messages of the id `userId`'s conversation shows: those of the
   * current life for a member, of the life it left (up to its departure) for
   * a former member; undefined for anyone else (nothing).
   */
  view(userId: string, groupId: string): LifeView | undefined {
    return this.st.view.get(groupId, userId, groupId, userId);
  }

  /** Removes members; a Private group whose owner leaves has no owner any more. */
  removeMembers(groupId: string, userIds: readonly string[]): void {
    this.db.transaction(() => {
      const g = this.group(groupId);
      for (const u of userIds) {
        if (this.st.deleteMember.run(groupId, u).changes > 0) this.st.markLeft.run({ groupId, userId: u });
      }
      if (g !== undefined && userIds.includes(g.owner)) this.db.prepare("UPDATE groups SET owner = '' WHERE group_id = ?").run(groupId);
    }).immediate();
  }

  updateMember(groupId: string, userId: string, patch: MemberPatch): Member {
    const keys = Object.keys(patch) as (keyof MemberPatch)[];
    if (keys.length > 0) {
      const values: Record<string, unknown> = { groupId, userId };
      for (const k of keys) values[k] = sqlValue(patch[k]);
      this.db.prepare(
        `UPDATE group_members SET ${keys.map((k) => `${MEMBER_COLUMNS[k]} = @${k}`).join(', ')}
         WHERE group_id = @groupId AND user_id = @userId`,
      ).run(values);
    }
    return this.member(groupId, userId)!;
  }

  /** Ownership to `newOwner` (a member); the old owner becomes an ordinary member. One transaction. */
  transferOwner(groupId: string, oldOwner: string, newOwner: string, now: number): Group {
    return this.db.transaction((): Group => {
      if (oldOwner !== '') this.updateMember(groupId, oldOwner, { role: Role.Member });
      this.updateMember(groupId, newOwner, { role: Role.Owner });
      return this.updateGroup(groupId, { owner: newOwner }, now);
    }).immediate();
  }

  /** The groups `userId` is a member of, most recently joined first, with the user's own member data. */
  joinedGroups(userId: string): { group: Group; role: number; joinTime: number; msgFlag: number; unread: number }[] {
    return this.st.joined.all(userId).map((r) => ({
      group: toGroup(r), role: r.m_role, joinTime: r.m_join_time, msgFlag: r.m_msg_flag, unread: r.m_unread ?? 0,
    }));
  }
}
