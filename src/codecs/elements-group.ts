/**
 * The elements only the server produces (B5.5 group tips, B5.8 group
 * reports). They are recognised by their keys (see `Element`); they are
 * always encoded with the v8 numbers 5 and 8. Every key is optional (B.0).
 *
 * The embedded GroupMemberInfo objects (B12) are decoded with the group
 * member codec (group-member.ts): `opMemberInfo` and `changedMemberInfos`
 * are `GroupMemberInfo` models (absent keys get that codec's defaults, and
 * encoding writes v8's key set, custom info as v8's array).
 */
import * as t from 'io-ts';
import { GroupReportType, GroupTipType } from './enums.js';
import { EmbeddedGroupMemberInfo } from './group-member.js';
import { defined, mapped } from './mapped.js';
import { Int, U64 } from './primitives.js';
import { UserProfile } from './profile.js';

/** GroupTipMemberMarkChangeInfo (B5.5c, v8), unmodelled. */
const RawRecord = t.UnknownRecord as unknown as t.Type<Readonly<Record<string, unknown>>, Readonly<Record<string, unknown>>, unknown>;

/**
 * GroupTipGroupChangeInfo (B5.5a). `flag` is TIMGroupTipGroupChangeFlag as a
 * number: its numbering differs between 2019 (Name = 10) and v8 (Name = 1),
 * so it is not mapped to names.
 */
export const GroupChangeInfo = mapped(
  'GroupChangeInfo',
  t.partial({
    group_tips_group_change_info_flag: Int,
    group_tips_group_change_info_value: t.string,
    group_tips_group_change_info_key: t.string,
    group_tips_group_change_info_bool_value: t.boolean,
    group_tips_group_change_info_int_value: Int,
    group_tips_group_change_info_uint64_value: U64,
  }),
  (r) => defined({
    flag: r.group_tips_group_change_info_flag,
    value: r.group_tips_group_change_info_value,
    key: r.group_tips_group_change_info_key,
    boolValue: r.group_tips_group_change_info_bool_value,
    intValue: r.group_tips_group_change_info_int_value,
    uint64Value: r.group_tips_group_change_info_uint64_value,
  }),
  (a) => defined({
    group_tips_group_change_info_flag: a.flag,
    group_tips_group_change_info_value: a.value,
    group_tips_group_change_info_key: a.key,
    group_tips_group_change_info_bool_value: a.boolValue,
    group_tips_group_change_info_int_value: a.intValue,
    group_tips_group_change_info_uint64_value: a.uint64Value,
  }),
);
export type GroupChangeInfo = t.TypeOf<typeof GroupChangeInfo>;

/** GroupTipMemberChangeInfo (B5.5b): a member and their mute duration (seconds). */
export const MemberChangeInfo = mapped(
  'MemberChangeInfo',
  t.partial({ group_tips_member_change_info_identifier: t.string, group_tips_member_change_info_shutupTime: Int }),
  (r) => defined({ userId: r.group_tips_member_change_info_identifier, shutUpTime: r.group_tips_member_change_info_shutupTime }),
  (a) => defined({ group_tips_member_change_info_identifier: a.userId, group_tips_member_change_info_shutupTime: a.shutUpTime }),
);
export type MemberChangeInfo = t.TypeOf<typeof MemberChangeInfo>;

const groupTipsRaw = t.intersection([
  t.type({ elem_type: Int }),
  t.partial({
    group_tips_elem_tip_type: GroupTipType,
    group_tips_elem_join_type: Int,
    group_tips_elem_op_user: t.string,
    group_tips_elem_group_name: t.string,
    group_tips_elem_group_id: t.string,
    group_tips_elem_time: Int,
    group_tips_elem_user_array: t.readonlyArray(t.string),
    group_tips_elem_group_change_info_array: t.readonlyArray(GroupChangeInfo),
    group_tips_elem_member_change_info_array: t.readonlyArray(MemberChangeInfo),
    group_tips_elem_op_user_info: UserProfile,
    group_tips_elem_op_group_memberinfo: EmbeddedGroupMemberInfo,
    group_tips_elem_changed_user_info_array: t.readonlyArray(UserProfile),
    group_tips_elem_changed_group_memberinfo_array: t.readonlyArray(EmbeddedGroupMemberInfo),
    group_tips_elem_member_num: Int,
    group_tips_elem_platform: t.string,
    group_tips_elem_member_mark_info_array: t.readonlyArray(RawRecord),
    group_tips_elem_pinned_message_list: t.unknown,
  }),
]);

/** GroupTipsElem (elem_type 5): a change in a group, sent by the server to its members. */
export const GroupTipsElement = mapped(
  'GroupTipsElement',
  groupTipsRaw,
  (r) => defined({
    type: 'groupTips' as const,
    tipType: r.group_tips_elem_tip_type,
    /** TIMGroupJoinType (v8): 0 none, 1 apply, 2 invite. */
    joinType: r.group_tips_elem_join_type,
    opUser: r.group_tips_elem_op_user,
    groupName: r.group_tips_elem_group_name,
    groupId: r.group_tips_elem_group_id,
    time: r.group_tips_elem_time,
    users: r.group_tips_elem_user_array,
    groupChanges: r.group_tips_elem_group_change_info_array,
    memberChanges: r.group_tips_elem_member_change_info_array,
    opUserInfo: r.group_tips_elem_op_user_info,
    opMemberInfo: r.group_tips_elem_op_group_memberinfo,
    changedUserInfos: r.group_tips_elem_changed_user_info_array,
    changedMemberInfos: r.group_tips_elem_changed_group_memberinfo_array,
    memberCount: r.group_tips_elem_member_num,
    platform: r.group_tips_elem_platform,
    memberMarkChanges: r.group_tips_elem_member_mark_info_array,
    pinnedMessages: r.group_tips_elem_pinned_message_list,
  }),
  (a) => defined({
    elem_type: 5,
    group_tips_elem_tip_type: a.tipType,
    group_tips_elem_join_type: a.joinType,
    group_tips_elem_op_user: a.opUser,
    group_tips_elem_group_name: a.groupName,
    group_tips_elem_group_id: a.groupId,
    group_tips_elem_time: a.time,
    group_tips_elem_user_array: a.users,
    group_tips_elem_group_change_info_array: a.groupChanges,
    group_tips_elem_member_change_info_array: a.memberChanges,
    group_tips_elem_op_user_info: a.opUserInfo,
    group_tips_elem_op_group_memberinfo: a.opMemberInfo,
    group_tips_elem_changed_user_info_array: a.changedUserInfos,
    group_tips_elem_changed_group_memberinfo_array: a.changedMemberInfos,
    group_tips_elem_member_num: a.memberCount,
    group_tips_elem_platform: a.platform,
    group_tips_elem_member_mark_info_array: a.memberMarkChanges,
    group_tips_elem_pinned_message_list: a.pinnedMessages,
  }),
);
export type GroupTipsElement = t.TypeOf<typeof GroupTipsElement>;

/** GroupReportElem (elem_type 8): a system notice about a group, to one user. */
export const GroupReportElement = mapped(
  'GroupReportElement',
  t.intersection([
    t.type({ elem_type: Int }),
    t.partial({
      group_report_elem_report_type: GroupReportType,
      group_report_elem_group_id: t.string,
      group_report_elem_group_name: t.string,
      group_report_elem_op_user: t.string,
      group_report_elem_msg: t.string,
      group_report_elem_user_data: t.string,
      group_report_elem_op_user_info: UserProfile,
      group_report_elem_op_group_memberinfo: EmbeddedGroupMemberInfo,
      group_report_elem_platform: t.string,
      group_report_elem_shut_up_time: Int,
      group_report_elem_group_message_receive_option: Int,
    }),
  ]),
  (r) => defined({
    type: 'groupReport' as const,
    reportType: r.group_report_elem_report_type,
    groupId: r.group_report_elem_group_id,
    groupName: r.group_report_elem_group_name,
    opUser: r.group_report_elem_op_user,
    /** The operation's reason text. */
    message: r.group_report_elem_msg,
    userData: r.group_report_elem_user_data,
    opUserInfo: r.group_report_elem_op_user_info,
    opMemberInfo: r.group_report_elem_op_group_memberinfo,
    platform: r.group_report_elem_platform,
    shutUpTime: r.group_report_elem_shut_up_time,
    receiveOption: r.group_report_elem_group_message_receive_option,
  }),
  (a) => defined({
    elem_type: 8,
    group_report_elem_report_type: a.reportType,
    group_report_elem_group_id: a.groupId,
    group_report_elem_group_name: a.groupName,
    group_report_elem_op_user: a.opUser,
    group_report_elem_msg: a.message,
    group_report_elem_user_data: a.userData,
    group_report_elem_op_user_info: a.opUserInfo,
    group_report_elem_op_group_memberinfo: a.opMemberInfo,
    group_report_elem_platform: a.platform,
    group_report_elem_shut_up_time: a.shutUpTime,
    group_report_elem_group_message_receive_option: a.receiveOption,
  }),
);
export type GroupReportElement = t.TypeOf<typeof GroupReportElement>;

/**
 * The group element an element's own keys make it, whatever its number: the
 * first `group_tips_elem_` or `group_report_elem_` key decides; `undefined`
 * when it has neither (see `Element` for the numbers this applies to).
 */
export function groupElementByKeys(
  raw: Readonly<Record<string, unknown>>,
): typeof GroupTipsElement | typeof GroupReportElement | undefined {
  for (const key in raw) {
    if (key.startsWith('group_tips_elem_')) return GroupTipsElement;
    if (key.startsWith('group_report_elem_')) return GroupReportElement;
  }
  return undefined;
}
