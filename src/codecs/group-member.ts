/**
 * GroupMemberInfo (B12) and the member-side parameters and results:
 * invite / delete (B14, B15), member lists (B21, B22) and member changes (B23).
 */
import * as t from 'io-ts';
import { GroupMemberRole, GroupMemberRoleInput, MemberOperationResult, ReceiveMessageOption, RoleFilter } from './group-enums.js';
import { ModifyFlag, customInfo, withLegacyKeys } from './group-common.js';
import { defined, mapped } from './mapped.js';
import { Int, Seconds, U64 } from './primitives.js';

const MemberCustomInfo = customInfo('group_member_info');

/**
 * A member of a group (B12), as member lists, tips and reports show it.
 * `mutedUntil` is `group_member_info_shutup_time` (UTC seconds; 0 = not muted).
 */
export const GroupMemberInfo = mapped(
  'GroupMemberInfo',
  t.intersection([
    t.type({ group_member_info_identifier: t.string }),
    t.partial({
      group_member_info_group_id: t.string,
      group_member_info_join_time: Seconds,
      group_member_info_member_role: GroupMemberRole,
      group_member_info_msg_flag: ReceiveMessageOption,
      group_member_info_msg_seq: U64,
      group_member_info_shutup_time: Seconds,
      group_member_info_name_card: t.string,
      group_member_info_nick_name: t.string,
      group_member_info_friend_remark: t.string,
      group_member_info_face_url: t.string,
      group_member_info_custom_info: MemberCustomInfo,
      group_member_info_is_online: t.boolean,
      group_member_info_online_devices: t.readonlyArray(t.unknown),
    }),
  ]),
  (r) => defined({
    userId: r.group_member_info_identifier,
    groupId: r.group_member_info_group_id,
    joinTime: r.group_member_info_join_time ?? 0,
    role: r.group_member_info_member_role ?? 'none',
    receiveOption: r.group_member_info_msg_flag ?? 'receive',
    msgSeq: r.group_member_info_msg_seq ?? 0n,
    mutedUntil: r.group_member_info_shutup_time ?? 0,
    nameCard: r.group_member_info_name_card ?? '',
    nickName: r.group_member_info_nick_name,
    friendRemark: r.group_member_info_friend_remark,
    faceUrl: r.group_member_info_face_url,
    customInfo: r.group_member_info_custom_info ?? {},
    isOnline: r.group_member_info_is_online,
    onlineDevices: r.group_member_info_online_devices,
  }),
  (a) => defined({
    group_member_info_identifier: a.userId,
    group_member_info_group_id: a.groupId,
    group_member_info_join_time: a.joinTime,
    group_member_info_member_role: a.role,
    group_member_info_msg_flag: a.receiveOption,
    group_member_info_msg_seq: a.msgSeq,
    group_member_info_shutup_time: a.mutedUntil,
    group_member_info_name_card: a.nameCard,
    group_member_info_nick_name: a.nickName,
    group_member_info_friend_remark: a.friendRemark,
    group_member_info_face_url: a.faceUrl,
    group_member_info_custom_info: a.customInfo,
    group_member_info_is_online: a.isOnline,
    group_member_info_online_devices: a.onlineDevices,
  }),
);
export type GroupMemberInfo = t.TypeOf<typeof GroupMemberInfo>;

/**
 * GroupMemberInfo as tips and reports embed it (B5.5 `…_op_group_memberinfo`,
 * `…_changed_group_memberinfo_array`, B5.8): the same codec, except that an
 * object naming nobody (no `group_member_info_identifier`) decodes with
 * `userId` "" instead of failing the whole message.
 */
export const EmbeddedGroupMemberInfo = new t.Type<GroupMemberInfo, t.OutputOf<typeof GroupMemberInfo>, unknown>(
  'GroupMemberInfo',
  GroupMemberInfo.is,
  (u, c) => GroupMemberInfo.validate(
    typeof u === 'object' && u !== null && !Array.isArray(u) && !('group_member_info_identifier' in u)
      ? { ...u, group_member_info_identifier: '' }
      : u,
    c,
  ),
  GroupMemberInfo.encode,
);

/** A member named when creating a group (B13 `create_group_param_group_member_array`): its id and, optionally, its role. */
export const InitialMember = mapped(
  'InitialMember',
  t.intersection([
    t.type({ group_member_info_identifier: t.string }),
    t.partial({ group_member_info_member_role: GroupMemberRoleInput }),
  ]),
  (r) => defined({ userId: r.group_member_info_identifier, role: r.group_member_info_member_role }),
  (a) => defined({ group_member_info_identifier: a.userId, group_member_info_member_role: a.role }),
);
export type InitialMember = t.TypeOf<typeof InitialMember>;

function memberListParam<P extends string>(name: string, prefix: P) {
  const raw = t.intersection([
    t.type({ [`${prefix}_group_id`]: t.string, [`${prefix}_identifier_array`]: t.readonlyArray(t.string) } as {
      [K in `${P}_group_id` | `${P}_identifier_array`]: K extends `${P}_group_id` ? t.StringC : t.ReadonlyArrayC<t.StringC> }),
    t.partial({ [`${prefix}_user_data`]: t.string } as { [K in `${P}_user_data`]: t.StringC }),
  ]);
  return { name, raw, prefix };
}

const invite = memberListParam('GroupInviteMemberParam', 'group_invite_member_param');
const remove = memberListParam('GroupDeleteMemberParam', 'group_delete_member_param');

/** GroupInviteMemberParam (B14): who to invite, with optional user data. */
export const GroupInviteMemberParam = mapped(
  invite.name,
  invite.raw,
  (r) => defined({
    groupId: r.group_invite_member_param_group_id,
    userIds: r.group_invite_member_param_identifier_array,
    userData: r.group_invite_member_param_user_data,
  }),
  (a) => defined({
    group_invite_member_param_group_id: a.groupId,
    group_invite_member_param_identifier_array: a.userIds,
    group_invite_member_param_user_data: a.userData,
  }),
);
export type GroupInviteMemberParam = t.TypeOf<typeof GroupInviteMemberParam>;

/** GroupDeleteMemberParam (B15): who to remove, the reason (user data) and v8's re-join ban (seconds). */
export const GroupDeleteMemberParam = mapped(
  remove.name,
  t.intersection([remove.raw, t.partial({ group_delete_member_param_duration: Int })]),
  (r) => defined({
    groupId: r.group_delete_member_param_group_id,
    userIds: r.group_delete_member_param_identifier_array,
    userData: r.group_delete_member_param_user_data,
    banSeconds: r.group_delete_member_param_duration,
  }),
  (a) => defined({
    group_delete_member_param_group_id: a.groupId,
    group_delete_member_param_identifier_array: a.userIds,
    group_delete_member_param_user_data: a.userData,
    group_delete_member_param_duration: a.banSeconds,
  }),
);
export type GroupDeleteMemberParam = t.TypeOf<typeof GroupDeleteMemberParam>;

function memberResult<P extends 'group_invite_member_result' | 'group_delete_member_result'>(name: string, prefix: P) {
  const id = `${prefix}_identifier` as const;
  const result = `${prefix}_result` as const;
  return mapped(
    name,
    t.type({ [id]: t.string, [result]: MemberOperationResult } as { [K in typeof id | typeof result]: K extends typeof id ? t.StringC : typeof MemberOperationResult }),
    (r) => ({ userId: r[id] as string, result: r[result] as MemberOperationResult }),
    (a) => ({ [id]: a.userId, [result]: a.result }) as { [K in typeof id | typeof result]: K extends typeof id ? string : MemberOperationResult },
  );
}

/** GroupInviteMemberResult (B14): one invitee and what happened (ok, invited, already a member, failed). */
export const GroupInviteMemberResult = memberResult('GroupInviteMemberResult', 'group_invite_member_result');
export type GroupInviteMemberResult = t.TypeOf<typeof GroupInviteMemberResult>;

/** GroupDeleteMemberResult (B15): one user and whether it was removed. */
export const GroupDeleteMemberResult = memberResult('GroupDeleteMemberResult', 'group_delete_member_result');
export type GroupDeleteMemberResult = t.TypeOf<typeof GroupDeleteMemberResult>;

/** GroupMemberGetInfoOption (B2d): the role filter (the info flag and custom array are deprecated in v8). */
const MemberGetInfoOption = t.partial({
  group_member_get_info_option_info_flag: U64,
  group_member_get_info_option_role_flag: RoleFilter,
  group_member_get_info_option_custom_array: t.readonlyArray(t.string),
});

/**
 * GroupGetMemberInfoListParam (B21). `userIds` picks members; otherwise a
 * page after `nextSeq` (0n = the first), filtered by `roles` (none = all).
 */
export const GroupGetMemberInfoListParam = mapped(
  'GroupGetMemberInfoListParam',
  t.intersection([
    t.type({ group_get_members_info_list_param_group_id: t.string }),
    t.partial({
      group_get_members_info_list_param_identifier_array: t.readonlyArray(t.string),
      group_get_members_info_list_param_option: MemberGetInfoOption,
      group_get_members_info_list_param_next_seq: U64,
    }),
  ]),
  (r) => defined({
    groupId: r.group_get_members_info_list_param_group_id,
    userIds: r.group_get_members_info_list_param_identifier_array,
    roles: r.group_get_members_info_list_param_option?.group_member_get_info_option_role_flag,
    nextSeq: r.group_get_members_info_list_param_next_seq,
  }),
  (a) => defined({
    group_get_members_info_list_param_group_id: a.groupId,
    group_get_members_info_list_param_identifier_array: a.userIds,
    group_get_members_info_list_param_option: a.roles === undefined ? undefined : { group_member_get_info_option_role_flag: a.roles },
    group_get_members_info_list_param_next_seq: a.nextSeq,
  }),
);
export type GroupGetMemberInfoListParam = t.TypeOf<typeof GroupGetMemberInfoListParam>;

/** GroupGetMemberInfoListResult (B22): one page and the cursor of the next (0n = no more). Reads 2019's `memeber`. */
export const GroupGetMemberInfoListResult = withLegacyKeys(mapped(
  'GroupGetMemberInfoListResult',
  t.partial({
    group_get_member_info_list_result_info_array: t.readonlyArray(GroupMemberInfo),
    group_get_member_info_list_result_next_seq: U64,
  }),
  (r) => ({ members: r.group_get_member_info_list_result_info_array ?? [], nextSeq: r.group_get_member_info_list_result_next_seq ?? 0n }),
  (a) => ({ group_get_member_info_list_result_info_array: a.members, group_get_member_info_list_result_next_seq: a.nextSeq }),
), (k) => k.replace('group_get_memeber_info_list_result_', 'group_get_member_info_list_result_'));
export type GroupGetMemberInfoListResult = t.TypeOf<typeof GroupGetMemberInfoListResult>;

/** TIMGroupMemberModifyInfoFlag (A.20) bit per field of GroupModifyMemberInfoParam. */
const MEMBER_FLAGS = { receiveOption: 0x1, role: 0x2, muteSeconds: 0x4, nameCard: 0x8, customInfo: 0x10 } as const;

/**
 * GroupModifyMemberInfoParam (B23): the fields given are changed; the
 * modify flag is their bits OR-ed. `muteSeconds` 0 lifts a mute.
 */
export const GroupModifyMemberInfoParam = mapped(
  'GroupModifyMemberInfoParam',
  t.intersection([
    t.type({ group_modify_member_info_group_id: t.string, group_modify_member_info_identifier: t.string, group_modify_member_info_modify_flag: ModifyFlag }),
    t.partial({
      group_modify_member_info_msg_flag: ReceiveMessageOption,
      group_modify_member_info_member_role: GroupMemberRoleInput,
      group_modify_member_info_shutup_time: Seconds,
      group_modify_member_info_name_card: t.string,
      group_modify_member_info_custom_info: MemberCustomInfo,
    }),
  ]),
  (r) => {
    const on = (bit: number) => (r.group_modify_member_info_modify_flag & bit) !== 0;
    return defined({
      groupId: r.group_modify_member_info_group_id,
      userId: r.group_modify_member_info_identifier,
      receiveOption: on(MEMBER_FLAGS.receiveOption) ? r.group_modify_member_info_msg_flag ?? 'receive' : undefined,
      role: on(MEMBER_FLAGS.role) ? r.group_modify_member_info_member_role : undefined,
      muteSeconds: on(MEMBER_FLAGS.muteSeconds) ? r.group_modify_member_info_shutup_time ?? 0 : undefined,
      nameCard: on(MEMBER_FLAGS.nameCard) ? r.group_modify_member_info_name_card ?? '' : undefined,
      customInfo: on(MEMBER_FLAGS.customInfo) ? r.group_modify_member_info_custom_info ?? {} : undefined,
    });
  },
  (a) => defined({
    group_modify_member_info_group_id: a.groupId,
    group_modify_member_info_identifier: a.userId,
    group_modify_member_info_modify_flag: (Object.keys(MEMBER_FLAGS) as (keyof typeof MEMBER_FLAGS)[])
      .reduce((flag, k) => (a[k] === undefined ? flag : flag | MEMBER_FLAGS[k]), 0),
    group_modify_member_info_msg_flag: a.receiveOption,
    group_modify_member_info_member_role: a.role,
    group_modify_member_info_shutup_time: a.muteSeconds,
    group_modify_member_info_name_card: a.nameCard,
    group_modify_member_info_custom_info: a.customInfo,
  }),
);
export type GroupModifyMemberInfoParam = t.TypeOf<typeof GroupModifyMemberInfoParam>;
