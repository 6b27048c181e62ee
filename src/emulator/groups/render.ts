/**
 * JSON the emulator sends for groups, v8 key spellings (reference § B12–B26,
 * B5.5, B5.8), keys in alphabetical order like the SDK's output.
 */
import { PendencyHandled, PendencyType, Role } from './model.js';
import type { Pendency } from './pendency-store.js';
import type { CustomEntry, Group, Member } from './store.js';

/** What rendering needs beyond the stored rows. */
export interface RenderContext {
  /** UTC seconds. */
  readonly now: number;
  readonly isOnline: (userId: string) => boolean;
}

export function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

const customArray = (prefix: string, entries: readonly CustomEntry[]): unknown[] =>
  entries.map((e) => ({ [`${prefix}_custom_string_info_key`]: e.key, [`${prefix}_custom_string_info_value`]: e.value }));

/** GroupMemberInfo (B12, v8 default key set). Muted until a time in the past shows 0. */
export function memberInfo(m: Member, rc: RenderContext): Record<string, unknown> {
  return {
    group_member_info_custom_info: customArray('group_member_info', m.customInfo),
    group_member_info_face_url: '',
    group_member_info_friend_remark: '',
    group_member_info_group_id: m.groupId,
    group_member_info_identifier: m.userId,
    group_member_info_is_online: rc.isOnline(m.userId),
    group_member_info_join_time: m.joinTime,
    group_member_info_member_role: m.role,
    group_member_info_msg_flag: m.msgFlag,
    group_member_info_msg_seq: 0,
    group_member_info_name_card: m.nameCard,
    group_member_info_nick_name: '',
    group_member_info_online_devices: [],
    group_member_info_shutup_time: m.shutupUntil > rc.now ? m.shutupUntil : 0,
  };
}

/** The operator's GroupMemberInfo in tips and reports; a non-member shows role 0. */
export function operatorInfo(groupId: string, userId: string, m: Member | undefined, rc: RenderContext): Record<string, unknown> {
  return memberInfo(m ?? {
    groupId, userId, role: Role.None, joinSeq: 0, joinTime: 0, msgFlag: 0, nameCard: '', shutupUntil: 0, customInfo: [],
  }, rc);
}

/** UserProfile (B5.10, v8 default key set); the emulator keeps no profiles. */
export function userProfile(userId: string): Record<string, unknown> {
  return {
    user_profile_add_permission: 1,
    user_profile_birthday: 0,
    user_profile_custom_string_array: [],
    user_profile_face_url: '',
    user_profile_gender: 0,
    user_profile_identifier: userId,
    user_profile_language: 0,
    user_profile_level: 0,
    user_profile_location: '',
    user_profile_nick_name: '',
    user_profile_role: 0,
    user_profile_self_signature: '',
  };
}

/** GroupDetailInfo (B18, v8 `group_detail_info_*` spelling). */
export function detailInfo(g: Group, memberNum: number, onlineNum: number): Record<string, unknown> {
  return {
    group_detail_info_add_option: g.addOption,
    group_detail_info_approve_option: g.approveOption,
    group_detail_info_create_time: g.createTime,
    group_detail_info_custom_info: customArray('group_info', g.customInfo),
    group_detail_info_face_url: g.faceUrl,
    group_detail_info_group_id: g.groupId,
    group_detail_info_group_name: g.name,
    group_detail_info_group_type: g.groupType,
    group_detail_info_info_seq: g.infoSeq,
    group_detail_info_introduction: g.introduction,
    group_detail_info_is_shutup_all: g.shutupAll,
    group_detail_info_is_support_topic: false,
    group_detail_info_last_info_time: g.lastInfoTime,
    group_detail_info_last_msg_time: g.lastMsgTime,
    group_detail_info_max_member_num: g.maxMemberNum,
    group_detail_info_member_num: memberNum,
    group_detail_info_next_msg_seq: g.lastMsgSeq,
    group_detail_info_notification: g.notification,
    group_detail_info_online_member_num: onlineNum,
    group_detail_info_owner_identifier: g.owner,
    group_detail_info_searchable: g.searchable,
    group_detail_info_visible: g.visible,
  };
}

/** GroupBaseInfo (B17) with GroupSelfInfo (B16), as one entry of TIMGroupGetJoinedGroupList. */
export function baseInfo(g: Group, self: { role: number; joinTime: number; msgFlag: number; unread: number }): Record<string, unknown> {
  return {
    group_base_info_face_url: g.faceUrl,
    group_base_info_group_id: g.groupId,
    group_base_info_group_name: g.name,
    group_base_info_group_type: g.groupType,
    group_base_info_info_seq: g.infoSeq,
    group_base_info_is_shutup_all: g.shutupAll,
    group_base_info_latest_seq: g.lastMsgSeq,
    group_base_info_msg_flag: self.msgFlag,
    group_base_info_readed_seq: 0,
    group_base_info_self_info: {
      group_self_info_join_time: self.joinTime,
      group_self_info_msg_flag: self.msgFlag,
      group_self_info_role: self.role,
      group_self_info_unread_num: self.unread,
    },
  };
}

/** GroupPendency (B25) as `viewer` sees it (handled: by the viewer = 2, by another = 1). */
export function pendencyInfo(p: Pendency, viewer: string): Record<string, unknown> {
  const handled = p.handledBy === '' ? PendencyHandled.NotHandled
    : p.handledBy === viewer ? PendencyHandled.OperatorHandled : PendencyHandled.OtherHandled;
  return {
    group_pendency_add_time: p.addTime,
    group_pendency_apply_invite_msg: p.applyMsg,
    group_pendency_approval_msg: p.approvalMsg,
    group_pendency_authentication: '',
    group_pendency_form_identifier: p.fromId,
    group_pendency_form_user_defined_data: p.fromUserData,
    group_pendency_from_face_url: '',
    group_pendency_from_nick_name: '',
    group_pendency_group_id: p.groupId,
    group_pendency_handle_result: p.handleResult,
    group_pendency_handled: handled,
    group_pendency_key: String(p.id),
    group_pendency_pendency_type: p.type,
    group_pendency_self_identifier: viewer,
    group_pendency_to_identifier: p.type === PendencyType.JoinRequest ? (p.handledBy || viewer) : p.toId,
    group_pendency_to_user_defined_data: '',
  };
}

/** What a GroupTips element says (B5.5); empty arrays are left out, like v8. */
export interface TipsContent {
  readonly tipType: number;
  readonly groupId: string;
  readonly opUser: string;
  readonly opMember: Record<string, unknown>;
  readonly joinType?: number;
  readonly users?: readonly string[];
  readonly changedMembers?: readonly Record<string, unknown>[];
  readonly groupChanges?: readonly Record<string, unknown>[];
  readonly memberChanges?: readonly { identifier: string; shutupTime: number }[];
  readonly memberNum: number;
}

export function tipsElement(t: TipsContent): Record<string, unknown> {
  const e: Record<string, unknown> = {
    elem_type: 5,
    group_tips_elem_group_id: t.groupId,
    group_tips_elem_join_type: t.joinType ?? 0,
    group_tips_elem_member_num: t.memberNum,
    group_tips_elem_op_group_memberinfo: t.opMember,
    group_tips_elem_op_user: t.opUser,
    group_tips_elem_op_user_info: userProfile(t.opUser),
    group_tips_elem_pinned_message_list: {},
    group_tips_elem_platform: '',
    group_tips_elem_tip_type: t.tipType,
  };
  if (t.users?.length) {
    e['group_tips_elem_user_array'] = t.users;
    e['group_tips_elem_changed_user_info_array'] = t.users.map(userProfile);
  }
  if (t.changedMembers?.length) e['group_tips_elem_changed_group_memberinfo_array'] = t.changedMembers;
  if (t.groupChanges?.length) e['group_tips_elem_group_change_info_array'] = t.groupChanges.map(sortKeys);
  if (t.memberChanges?.length) {
    e['group_tips_elem_member_change_info_array'] = t.memberChanges.map((c) => ({
      group_tips_member_change_info_identifier: c.identifier,
      group_tips_member_change_info_shutupTime: c.shutupTime,
    }));
  }
  return sortKeys(e);
}

/** What a GroupReport element says (B5.8). */
export interface ReportContent {
  readonly reportType: number;
  readonly groupId: string;
  readonly opUser: string;
  readonly opMember: Record<string, unknown>;
  readonly msg?: string;
  readonly userData?: string;
  readonly shutUpTime?: number;
}

export function reportElement(r: ReportContent): Record<string, unknown> {
  const e: Record<string, unknown> = {
    elem_type: 8,
    group_report_elem_group_id: r.groupId,
    group_report_elem_msg: r.msg ?? '',
    group_report_elem_op_group_memberinfo: r.opMember,
    group_report_elem_op_user: r.opUser,
    group_report_elem_op_user_info: userProfile(r.opUser),
    group_report_elem_platform: '',
    group_report_elem_report_type: r.reportType,
    group_report_elem_user_data: r.userData ?? '',
  };
  if (r.shutUpTime) e['group_report_elem_shut_up_time'] = r.shutUpTime;
  return sortKeys(e);
}
