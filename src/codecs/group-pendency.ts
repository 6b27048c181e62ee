/**
 * Pendencies: GroupPendencyOption (B24), GroupPendency (B25),
 * GroupPendencyResult (B26), GroupHandlePendencyParam (B27). A pendency is
 * kept whole (every key it came with) so that it can be handed back to
 * TIMGroupHandlePendency as the spec asks.
 */
import * as t from 'io-ts';
import { PendencyHandleResult, PendencyHandled, PendencyType } from './group-enums.js';
import { defined, mapped } from './mapped.js';
import { Int, U64 } from './primitives.js';

/** GroupPendencyOption (B24): the page after `startTime` (0n = the first); `maxCount` is a hint. */
export const GroupPendencyOption = mapped(
  'GroupPendencyOption',
  t.partial({ group_pendency_option_start_time: U64, group_pendency_option_max_limited: Int }),
  (r) => defined({ startTime: r.group_pendency_option_start_time ?? 0n, maxCount: r.group_pendency_option_max_limited }),
  (a) => defined({ group_pendency_option_start_time: a.startTime, group_pendency_option_max_limited: a.maxCount }),
);
export type GroupPendencyOption = t.TypeOf<typeof GroupPendencyOption>;

/**
 * GroupPendency (B25): a join request (the applicant in `fromUserId`) or an
 * invitation (the inviter in `fromUserId`, the invitee in `toUserId`).
 * `addTime` is as the server sends it (the seed's looks like milliseconds).
 */
export const GroupPendency = mapped(
  'GroupPendency',
  t.intersection([
    t.type({ group_pendency_group_id: t.string }),
    t.partial({
      group_pendency_form_identifier: t.string,
      group_pendency_from_nick_name: t.string,
      group_pendency_from_face_url: t.string,
      group_pendency_to_identifier: t.string,
      group_pendency_add_time: U64,
      group_pendency_pendency_type: PendencyType,
      group_pendency_handled: PendencyHandled,
      group_pendency_handle_result: PendencyHandleResult,
      group_pendency_apply_invite_msg: t.string,
      group_pendency_form_user_defined_data: t.string,
      group_pendency_approval_msg: t.string,
      group_pendency_to_user_defined_data: t.string,
      group_pendency_key: t.string,
      group_pendency_authentication: t.string,
      group_pendency_self_identifier: t.string,
    }),
  ]),
  (r) => defined({
    groupId: r.group_pendency_group_id,
    fromUserId: r.group_pendency_form_identifier ?? '',
    fromNickName: r.group_pendency_from_nick_name,
    fromFaceUrl: r.group_pendency_from_face_url,
    toUserId: r.group_pendency_to_identifier ?? '',
    addTime: r.group_pendency_add_time ?? 0n,
    type: r.group_pendency_pendency_type ?? 'join-request',
    handled: r.group_pendency_handled ?? 'not-handled',
    handleResult: r.group_pendency_handle_result ?? 'refused',
    applyMessage: r.group_pendency_apply_invite_msg ?? '',
    fromUserData: r.group_pendency_form_user_defined_data ?? '',
    approvalMessage: r.group_pendency_approval_msg ?? '',
    toUserData: r.group_pendency_to_user_defined_data ?? '',
    key: r.group_pendency_key,
    authentication: r.group_pendency_authentication,
    selfUserId: r.group_pendency_self_identifier,
  }),
  (a) => defined({
    group_pendency_group_id: a.groupId,
    group_pendency_form_identifier: a.fromUserId,
    group_pendency_from_nick_name: a.fromNickName,
    group_pendency_from_face_url: a.fromFaceUrl,
    group_pendency_to_identifier: a.toUserId,
    group_pendency_add_time: a.addTime,
    group_pendency_pendency_type: a.type,
    group_pendency_handled: a.handled,
    group_pendency_handle_result: a.handleResult,
    group_pendency_apply_invite_msg: a.applyMessage,
    group_pendency_form_user_defined_data: a.fromUserData,
    group_pendency_approval_msg: a.approvalMessage,
    group_pendency_to_user_defined_data: a.toUserData,
    group_pendency_key: a.key,
    group_pendency_authentication: a.authentication,
    group_pendency_self_identifier: a.selfUserId,
  }),
);
export type GroupPendency = t.TypeOf<typeof GroupPendency>;

/** GroupPendencyResult (B26): one page, the next start time (0n = no more), the read time and the unread count. */
export const GroupPendencyResult = mapped(
  'GroupPendencyResult',
  t.partial({
    group_pendency_result_next_start_time: U64,
    group_pendency_result_read_time_seq: U64,
    group_pendency_result_unread_num: Int,
    group_pendency_result_pendency_array: t.readonlyArray(GroupPendency),
  }),
  (r) => ({
    nextStartTime: r.group_pendency_result_next_start_time ?? 0n,
    readTime: r.group_pendency_result_read_time_seq ?? 0n,
    unreadCount: r.group_pendency_result_unread_num ?? 0,
    pendencies: r.group_pendency_result_pendency_array ?? [],
  }),
  (a) => ({
    group_pendency_result_next_start_time: a.nextStartTime,
    group_pendency_result_read_time_seq: a.readTime,
    group_pendency_result_unread_num: a.unreadCount,
    group_pendency_result_pendency_array: a.pendencies,
  }),
);
export type GroupPendencyResult = t.TypeOf<typeof GroupPendencyResult>;

/** GroupHandlePendencyParam (B27): accept or refuse one pendency, with a message. */
export const GroupHandlePendencyParam = mapped(
  'GroupHandlePendencyParam',
  t.intersection([
    t.type({ group_handle_pendency_param_pendency: GroupPendency }),
    t.partial({ group_handle_pendency_param_is_accept: t.boolean, group_handle_pendency_param_handle_msg: t.string }),
  ]),
  (r) => defined({
    pendency: r.group_handle_pendency_param_pendency,
    accept: r.group_handle_pendency_param_is_accept ?? false,
    message: r.group_handle_pendency_param_handle_msg,
  }),
  (a) => defined({
    group_handle_pendency_param_pendency: a.pendency,
    group_handle_pendency_param_is_accept: a.accept,
    group_handle_pendency_param_handle_msg: a.message,
  }),
);
export type GroupHandlePendencyParam = t.TypeOf<typeof GroupHandlePendencyParam>;
