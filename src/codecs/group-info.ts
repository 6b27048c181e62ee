/**
 * Group profiles: CreateGroupParam / Result (B13), GroupSelfInfo (B16),
 * GroupBaseInfo (B17), GroupDetailInfo (B18), GetGroupInfoResult (B19) and
 * GroupModifyInfoParam (B20). v8 key spellings on output; the 2019 ones
 * (`group_detial_info_*`, `…owener…`, `…lastest_seq`) are read too.
 */
import * as t from 'io-ts';
import { ModifyFlag, customInfo, withLegacyKeys } from './group-common.js';
import { GroupAddOption, GroupMemberRole, GroupType, ReceiveMessageOption } from './group-enums.js';
import { InitialMember } from './group-member.js';
import { defined, mapped } from './mapped.js';
import { Int, Seconds, U64 } from './primitives.js';

const GroupCustomInfo = customInfo('group_info');

/** CreateGroupParam (B13). Only `name` is required; the server assigns an id when none is given. */
export const CreateGroupParam = mapped(
  'CreateGroupParam',
  t.intersection([
    t.type({ create_group_param_group_name: t.string }),
    t.partial({
      create_group_param_group_id: t.string,
      create_group_param_group_type: GroupType,
      create_group_param_group_member_array: t.readonlyArray(InitialMember),
      create_group_param_notification: t.string,
      create_group_param_introduction: t.string,
      create_group_param_face_url: t.string,
      create_group_param_add_option: GroupAddOption,
      create_group_param_approve_option: GroupAddOption,
      create_group_param_max_member_num: Int,
      create_group_param_custom_info: GroupCustomInfo,
    }),
  ]),
  (r) => defined({
    name: r.create_group_param_group_name,
    groupId: r.create_group_param_group_id,
    type: r.create_group_param_group_type,
    members: r.create_group_param_group_member_array,
    notification: r.create_group_param_notification,
    introduction: r.create_group_param_introduction,
    faceUrl: r.create_group_param_face_url,
    addOption: r.create_group_param_add_option,
    approveOption: r.create_group_param_approve_option,
    maxMemberCount: r.create_group_param_max_member_num,
    customInfo: r.create_group_param_custom_info,
  }),
  (a) => defined({
    create_group_param_group_name: a.name,
    create_group_param_group_id: a.groupId,
    create_group_param_group_type: a.type,
    create_group_param_group_member_array: a.members,
    create_group_param_notification: a.notification,
    create_group_param_introduction: a.introduction,
    create_group_param_face_url: a.faceUrl,
    create_group_param_add_option: a.addOption,
    create_group_param_approve_option: a.approveOption,
    create_group_param_max_member_num: a.maxMemberCount,
    create_group_param_custom_info: a.customInfo,
  }),
);
export type CreateGroupParam = t.TypeOf<typeof CreateGroupParam>;

/** CreateGroupResult (B13a). */
export const CreateGroupResult = mapped(
  'CreateGroupResult',
  t.type({ create_group_result_groupid: t.string }),
  (r) => ({ groupId: r.create_group_result_groupid }),
  (a) => ({ create_group_result_groupid: a.groupId }),
);
export type CreateGroupResult = t.TypeOf<typeof CreateGroupResult>;

/** GroupSelfInfo (B16): the user's own membership. */
export const GroupSelfInfo = mapped(
  'GroupSelfInfo',
  t.partial({
    group_self_info_join_time: Seconds,
    group_self_info_role: GroupMemberRole,
    group_self_info_unread_num: Int,
    group_self_info_msg_flag: ReceiveMessageOption,
  }),
  (r) => ({
    joinTime: r.group_self_info_join_time ?? 0,
    role: r.group_self_info_role ?? 'none',
    unreadCount: r.group_self_info_unread_num ?? 0,
    receiveOption: r.group_self_info_msg_flag ?? 'receive',
  }),
  (a) => ({
    group_self_info_join_time: a.joinTime,
    group_self_info_role: a.role,
    group_self_info_unread_num: a.unreadCount,
    group_self_info_msg_flag: a.receiveOption,
  }),
);
export type GroupSelfInfo = t.TypeOf<typeof GroupSelfInfo>;

const detailRaw = t.intersection([
  t.type({ group_detail_info_group_id: t.string }),
  t.partial({
    group_detail_info_group_type: GroupType,
    group_detail_info_is_support_topic: t.boolean,
    group_detail_info_group_name: t.string,
    group_detail_info_notification: t.string,
    group_detail_info_introduction: t.string,
    group_detail_info_face_url: t.string,
    group_detail_info_create_time: Seconds,
    group_detail_info_info_seq: Int,
    group_detail_info_last_info_time: Seconds,
    group_detail_info_next_msg_seq: U64,
    group_detail_info_last_msg_time: Seconds,
    group_detail_info_member_num: Int,
    group_detail_info_max_member_num: Int,
    group_detail_info_add_option: GroupAddOption,
    group_detail_info_approve_option: GroupAddOption,
    group_detail_info_online_member_num: Int,
    group_detail_info_visible: t.union([Int, t.boolean]),
    group_detail_info_searchable: t.union([Int, t.boolean]),
    group_detail_info_is_shutup_all: t.boolean,
    group_detail_info_owner_identifier: t.string,
    group_detail_info_custom_info: GroupCustomInfo,
  }),
]);

const legacyDetailKey = (k: string): string =>
  k.replace(/^group_detial_info_/, 'group_detail_info_').replace(/_owener_identifier$/, '_owner_identifier');

/**
 * GroupDetailInfo (B18): the whole profile of a group. `lastSeq` is the seq
 * of its latest message (`next_msg_seq`; 0n = none). `visible` /
 * `searchable` are kept as sent (the header says uint, v8's example bool).
 */
export const GroupDetailInfo = withLegacyKeys(mapped(
  'GroupDetailInfo',
  detailRaw,
  (r) => defined({
    groupId: r.group_detail_info_group_id,
    type: r.group_detail_info_group_type ?? 'public',
    name: r.group_detail_info_group_name ?? '',
    notification: r.group_detail_info_notification ?? '',
    introduction: r.group_detail_info_introduction ?? '',
    faceUrl: r.group_detail_info_face_url ?? '',
    createTime: r.group_detail_info_create_time ?? 0,
    infoSeq: r.group_detail_info_info_seq ?? 0,
    lastInfoTime: r.group_detail_info_last_info_time ?? 0,
    lastSeq: r.group_detail_info_next_msg_seq ?? 0n,
    lastMessageTime: r.group_detail_info_last_msg_time ?? 0,
    memberCount: r.group_detail_info_member_num ?? 0,
    maxMemberCount: r.group_detail_info_max_member_num ?? 0,
    addOption: r.group_detail_info_add_option ?? 'any',
    approveOption: r.group_detail_info_approve_option,
    onlineMemberCount: r.group_detail_info_online_member_num ?? 0,
    visible: r.group_detail_info_visible,
    searchable: r.group_detail_info_searchable,
    isAllMuted: r.group_detail_info_is_shutup_all ?? false,
    owner: r.group_detail_info_owner_identifier ?? '',
    customInfo: r.group_detail_info_custom_info ?? {},
    isSupportTopic: r.group_detail_info_is_support_topic,
  }),
  (a) => defined({
    group_detail_info_group_id: a.groupId,
    group_detail_info_group_type: a.type,
    group_detail_info_is_support_topic: a.isSupportTopic,
    group_detail_info_group_name: a.name,
    group_detail_info_notification: a.notification,
    group_detail_info_introduction: a.introduction,
    group_detail_info_face_url: a.faceUrl,
    group_detail_info_create_time: a.createTime,
    group_detail_info_info_seq: a.infoSeq,
    group_detail_info_last_info_time: a.lastInfoTime,
    group_detail_info_next_msg_seq: a.lastSeq,
    group_detail_info_last_msg_time: a.lastMessageTime,
    group_detail_info_member_num: a.memberCount,
    group_detail_info_max_member_num: a.maxMemberCount,
    group_detail_info_add_option: a.addOption,
    group_detail_info_approve_option: a.approveOption,
    group_detail_info_online_member_num: a.onlineMemberCount,
    group_detail_info_visible: a.visible,
    group_detail_info_searchable: a.searchable,
    group_detail_info_is_shutup_all: a.isAllMuted,
    group_detail_info_owner_identifier: a.owner,
    group_detail_info_custom_info: a.customInfo,
  }),
), legacyDetailKey);
export type GroupDetailInfo = t.TypeOf<typeof GroupDetailInfo>;

const baseRaw = t.intersection([
  t.type({ group_base_info_group_id: t.string }),
  t.partial({
    group_base_info_group_name: t.string,
    group_base_info_group_type: GroupType,
    group_base_info_face_url: t.string,
    group_base_info_info_seq: Int,
    group_base_info_latest_seq: U64,
    group_base_info_readed_seq: U64,
    group_base_info_msg_flag: ReceiveMessageOption,
    group_base_info_is_shutup_all: t.boolean,
    group_base_info_self_info: GroupSelfInfo,
  }),
]);

/**
 * GroupBaseInfo (B17), one entry of TIMGroupGetJoinedGroupList, with the
 * user's own membership. v8 puts the GroupDetailInfo keys in the same
 * object (B.29): they decode into `detail`.
 */
const GroupBaseInfoOnly = withLegacyKeys(mapped(
  'GroupBaseInfo',
  baseRaw,
  (r) => defined({
    groupId: r.group_base_info_group_id,
    name: r.group_base_info_group_name ?? '',
    type: r.group_base_info_group_type ?? 'public',
    faceUrl: r.group_base_info_face_url ?? '',
    infoSeq: r.group_base_info_info_seq ?? 0,
    latestSeq: r.group_base_info_latest_seq ?? 0n,
    readSeq: r.group_base_info_readed_seq ?? 0n,
    receiveOption: r.group_base_info_msg_flag ?? 'receive',
    isAllMuted: r.group_base_info_is_shutup_all ?? false,
    self: r.group_base_info_self_info,
  }),
  (a) => defined({
    group_base_info_group_id: a.groupId,
    group_base_info_group_name: a.name,
    group_base_info_group_type: a.type,
    group_base_info_face_url: a.faceUrl,
    group_base_info_info_seq: a.infoSeq,
    group_base_info_latest_seq: a.latestSeq,
    group_base_info_readed_seq: a.readSeq,
    group_base_info_msg_flag: a.receiveOption,
    group_base_info_is_shutup_all: a.isAllMuted,
    group_base_info_self_info: a.self,
  }),
), (k) => k.replace(/^group_base_info_lastest_seq$/, 'group_base_info_latest_seq'));

type BaseInfo = t.TypeOf<typeof GroupBaseInfoOnly>;
export type GroupBaseInfo = BaseInfo & { readonly detail?: GroupDetailInfo };

export const GroupBaseInfo = new t.Type<GroupBaseInfo, unknown, unknown>(
  'GroupBaseInfo',
  (u): u is GroupBaseInfo => GroupBaseInfoOnly.is(u),
  (u, c) => {
    const base = GroupBaseInfoOnly.validate(u, c);
    if (base._tag === 'Left') return base;
    const o = u as Record<string, unknown>;
    if (!('group_detail_info_group_id' in o) && !('group_detial_info_group_id' in o)) return base;
    const detail = GroupDetailInfo.validate(u, c);
    return detail._tag === 'Left' ? detail : t.success({ ...base.right, detail: detail.right });
  },
  ({ detail, ...base }) => ({ ...(detail === undefined ? {} : GroupDetailInfo.encode(detail)), ...GroupBaseInfoOnly.encode(base) }),
);

export const GroupBaseInfoList = t.readonlyArray(GroupBaseInfo);

/**
 * GetGroupInfoResult (B19): a per-id code; the profile when it is 0.
 * (`TIMGroupGetGroupInfoList` answers in the order of the ids asked for.)
 */
export const GetGroupInfoResult = mapped(
  'GetGroupInfoResult',
  t.partial({
    get_groups_info_result_code: Int,
    get_groups_info_result_desc: t.string,
    get_groups_info_result_info: GroupDetailInfo,
  }),
  (r) => defined({ code: r.get_groups_info_result_code ?? 0, desc: r.get_groups_info_result_desc ?? '', info: r.get_groups_info_result_info }),
  (a) => defined({ get_groups_info_result_code: a.code, get_groups_info_result_desc: a.desc, get_groups_info_result_info: a.info }),
);
export type GetGroupInfoResult = t.TypeOf<typeof GetGroupInfoResult>;

/** TIMGroupModifyInfoFlag (A.19) bit per field of GroupModifyInfoParam. */
const INFO_FLAGS = {
  name: 0x1, notification: 0x2, introduction: 0x4, faceUrl: 0x8, addOption: 0x10, maxMemberCount: 0x20, visible: 0x40,
  searchable: 0x80, isAllMuted: 0x100, customInfo: 0x200, approveOption: 0x1000, owner: 0x80000000,
} as const;

/**
 * GroupModifyInfoParam (B20): the fields given are changed, the modify flag
 * is their bits OR-ed. `owner` transfers the group (bit 31, which the SDK
 * wants alone; it is written as -2147483648 like the spec's example).
 */
export const GroupModifyInfoParam = mapped(
  'GroupModifyInfoParam',
  t.intersection([
    t.type({ group_modify_info_param_group_id: t.string, group_modify_info_param_modify_flag: ModifyFlag }),
    t.partial({
      group_modify_info_param_group_name: t.string,
      group_modify_info_param_notification: t.string,
      group_modify_info_param_introduction: t.string,
      group_modify_info_param_face_url: t.string,
      group_modify_info_param_add_option: GroupAddOption,
      group_modify_info_param_approve_option: GroupAddOption,
      group_modify_info_param_max_member_num: Int,
      group_modify_info_param_visible: Int,
      group_modify_info_param_searchable: Int,
      group_modify_info_param_is_shutup_all: t.boolean,
      group_modify_info_param_owner: t.string,
      group_modify_info_param_custom_info: GroupCustomInfo,
    }),
  ]),
  (r) => {
    const on = (bit: number) => ((r.group_modify_info_param_modify_flag & bit) >>> 0) !== 0;
    return defined({
      groupId: r.group_modify_info_param_group_id,
      name: on(INFO_FLAGS.name) ? r.group_modify_info_param_group_name ?? '' : undefined,
      notification: on(INFO_FLAGS.notification) ? r.group_modify_info_param_notification ?? '' : undefined,
      introduction: on(INFO_FLAGS.introduction) ? r.group_modify_info_param_introduction ?? '' : undefined,
      faceUrl: on(INFO_FLAGS.faceUrl) ? r.group_modify_info_param_face_url ?? '' : undefined,
      addOption: on(INFO_FLAGS.addOption) ? r.group_modify_info_param_add_option : undefined,
      approveOption: on(INFO_FLAGS.approveOption) ? r.group_modify_info_param_approve_option : undefined,
      maxMemberCount: on(INFO_FLAGS.maxMemberCount) ? r.group_modify_info_param_max_member_num : undefined,
      visible: on(INFO_FLAGS.visible) ? r.group_modify_info_param_visible : undefined,
      searchable: on(INFO_FLAGS.searchable) ? r.group_modify_info_param_searchable : undefined,
      isAllMuted: on(INFO_FLAGS.isAllMuted) ? r.group_modify_info_param_is_shutup_all ?? false : undefined,
      owner: on(INFO_FLAGS.owner) ? r.group_modify_info_param_owner : undefined,
      customInfo: on(INFO_FLAGS.customInfo) ? r.group_modify_info_param_custom_info : undefined,
    });
  },
  (a) => defined({
    group_modify_info_param_group_id: a.groupId,
    group_modify_info_param_modify_flag: (Object.keys(INFO_FLAGS) as (keyof typeof INFO_FLAGS)[])
      .reduce((flag, k) => (a[k as keyof typeof a] === undefined ? flag : (flag | INFO_FLAGS[k]) >>> 0), 0),
    group_modify_info_param_group_name: a.name,
    group_modify_info_param_notification: a.notification,
    group_modify_info_param_introduction: a.introduction,
    group_modify_info_param_face_url: a.faceUrl,
    group_modify_info_param_add_option: a.addOption,
    group_modify_info_param_approve_option: a.approveOption,
    group_modify_info_param_max_member_num: a.maxMemberCount,
    group_modify_info_param_visible: a.visible,
    group_modify_info_param_searchable: a.searchable,
    group_modify_info_param_is_shutup_all: a.isAllMuted,
    group_modify_info_param_owner: a.owner,
    group_modify_info_param_custom_info: a.customInfo,
  }),
);
export type GroupModifyInfoParam = t.TypeOf<typeof GroupModifyInfoParam>;
