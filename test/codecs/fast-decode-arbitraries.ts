/**
 * fast-check arbitraries of raw (C JSON) messages, elements and ConvInfo,
 * valid per the codecs, every optional key present or not, and a mutation
 * that breaks or retypes one key.
 */
import fc from 'fast-check';

type Raw = Record<string, unknown>;

const str = fc.string({ maxLength: 12 });
const int = fc.oneof(fc.integer(), fc.integer({ min: -3, max: 3 }));
const nat = fc.oneof(fc.nat(), fc.constantFrom(0, 1_763_700_000));
const u64 = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.nat(),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
  fc.constantFrom(2n ** 64n - 1n, 2n ** 53n + 1n, 0),
);
const bool = fc.boolean();

/** A record whose keys other than `required` may each be absent. */
function raw(fields: Record<string, fc.Arbitrary<unknown>>, required: readonly string[] = []): fc.Arbitrary<Raw> {
  return fc.record(fields, { requiredKeys: required as string[] }) as fc.Arbitrary<Raw>;
}

const prefixed = (prefix: string, fields: Record<string, fc.Arbitrary<unknown>>): Record<string, fc.Arbitrary<unknown>> =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${prefix}${k}`, v]));

const profile = raw(prefixed('user_profile_', {
  identifier: str, nick_name: str, face_url: str, self_signature: str, friend_remark: str, remark: str, gender: int,
  add_permission: int, location: str, language: int, birthday: int, level: int, role: int,
  custom_string_array: fc.array(fc.record({ user_profile_custom_string_info_key: str, user_profile_custom_string_info_value: str }), { maxLength: 2 }),
}));

const memberInfo = raw(prefixed('group_member_info_', {
  identifier: str, join_time: nat, member_role: fc.constantFrom(0, 200, 300, 400, 1, 2, 3), msg_flag: fc.integer({ min: 0, max: 3 }), msg_seq: u64,
  shutup_time: nat, name_card: str,
  custom_info: fc.array(fc.record({ group_member_info_custom_string_info_key: str, group_member_info_custom_string_info_value: str }), { maxLength: 2 }),
}), ['group_member_info_identifier']);

const groupTips = fc.tuple(fc.constantFrom(5, 6, 9), raw(prefixed('group_tips_elem_', {
  tip_type: fc.integer({ min: 0, max: 11 }), join_type: int, op_user: str, group_name: str, group_id: str, time: nat,
  user_array: fc.array(str, { maxLength: 3 }),
  group_change_info_array: fc.array(raw(prefixed('group_tips_group_change_info_', {
    flag: int, value: str, key: str, bool_value: bool, int_value: int, uint64_value: u64,
  })), { maxLength: 2 }),
  member_change_info_array: fc.array(raw({ group_tips_member_change_info_identifier: str, group_tips_member_change_info_shutupTime: int }), { maxLength: 2 }),
  op_user_info: profile, op_group_memberinfo: memberInfo, changed_user_info_array: fc.array(profile, { maxLength: 2 }),
  changed_group_memberinfo_array: fc.array(memberInfo, { maxLength: 2 }), member_num: nat, platform: str,
  member_mark_info_array: fc.array(fc.dictionary(str, str, { maxKeys: 2 }), { maxLength: 2 }), pinned_message_list: fc.jsonValue({ maxDepth: 1 }),
}), ['group_tips_elem_tip_type'])).map(([elem_type, r]) => ({ elem_type, ...r }));

const groupReport = fc.tuple(fc.constantFrom(8, 9, 6), raw(prefixed('group_report_elem_', {
  report_type: fc.integer({ min: 0, max: 24 }), group_id: str, group_name: str, op_user: str, msg: str, user_data: str,
  op_user_info: profile, op_group_memberinfo: memberInfo, platform: str, shut_up_time: nat, group_message_receive_option: int,
}), ['group_report_elem_report_type'])).map(([elem_type, r]) => ({ elem_type, ...r }));

const withType = (elemType: number, fields: Record<string, fc.Arbitrary<unknown>>, required: readonly string[] = []) =>
  raw(fields, required).map((r) => ({ elem_type: elemType, ...r }));

const variant = (v: string) => ({
  [`image_elem_${v}_id`]: str, [`image_elem_${v}_pic_height`]: nat, [`image_elem_${v}_pic_width`]: nat,
  [`image_elem_${v}_pic_size`]: nat, [`image_elem_${v}_url`]: str,
});

/** One raw element of each kind of A.6 (and unknown numbers, and group tips/reports under the numbers old runtimes use). */
export const rawElement: fc.Arbitrary<Raw> = fc.oneof(
  withType(0, { text_elem_content: str }, ['text_elem_content']),
  withType(1, {
    image_elem_orig_path: str, image_elem_level: fc.integer({ min: 0, max: 2 }), image_elem_format: int, image_elem_task_id: int,
    ...variant('orig'), ...variant('thumb'), ...variant('large'),
  }),
  withType(2, prefixed('sound_elem_', {
    file_path: str, file_size: nat, file_time: nat, file_id: str, business_id: int, download_flag: int, url: str, task_id: int,
  })),
  withType(3, prefixed('custom_elem_', { data: str, desc: str, ext: str, sound: str })),
  withType(4, prefixed('file_elem_', {
    file_path: str, file_name: str, file_size: nat, file_id: str, business_id: int, download_flag: int, url: str, task_id: int,
  })),
  groupTips,
  withType(6, { face_elem_index: int, face_elem_buf: str }, ['face_elem_index']),
  withType(7, {
    // Coordinates: a whole double beyond 2^53 would parse as a bigint, which t.number refuses (both decoders alike).
    location_elem_longitude: fc.double({ min: -1e15, max: 1e15, noNaN: true }), location_elem_latitude: fc.oneof(fc.integer(), fc.double({ min: -90, max: 90, noNaN: true })),
    location_elem_desc: str,
  }, ['location_elem_longitude', 'location_elem_latitude']),
  groupReport,
  withType(9, prefixed('video_elem_', {
    video_type: str, video_size: nat, video_duration: nat, video_path: str, video_id: str, video_url: str, video_download_flag: int,
    business_id: int, image_type: str, image_size: nat, image_width: nat, image_height: nat, image_path: str, image_id: str,
    image_url: str, image_download_flag: int, task_id: int,
  })),
  fc.tuple(fc.integer({ min: 10, max: 40 }), fc.dictionary(str, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }))
    .map(([elemType, extra]) => ({ ...extra, elem_type: elemType })),
);

/** A raw Message (B4): the required keys, any subset of the optional ones, elements of every kind. */
export const rawMessage: fc.Arbitrary<Raw> = raw({
  message_elem_array: fc.array(rawElement, { maxLength: 3 }),
  message_conv_id: str,
  message_conv_type: fc.constantFrom(1, 2, 3),
  message_priority: fc.integer({ min: 0, max: 3 }),
  message_client_time: nat,
  message_is_online_msg: bool,
  message_custom_int: int,
  message_custom_str: str,
  message_sender: str,
  message_server_time: nat,
  message_status: fc.integer({ min: 1, max: 7 }),
  message_is_from_self: bool,
  message_is_read: bool,
  message_is_peer_read: bool,
  message_rand: u64,
  message_seq: u64,
  message_unique_id: u64,
  message_msg_id: str,
  message_revoker_user_id: str,
  message_revoke_reason: str,
  message_platform: int,
}, ['message_elem_array', 'message_conv_id', 'message_conv_type']);

const rawDraft = raw({
  draft_msg: raw({ message_elem_array: fc.array(rawElement, { maxLength: 2 }), message_sender: str, message_client_time: nat }, ['message_elem_array']),
  draft_user_define: str,
  draft_edit_time: nat,
}, ['draft_msg']);

/** A raw ConvInfo (B3), last message and draft included or not, v8's group type (number or 2019 name) and receive option. */
export const rawConversation: fc.Arbitrary<Raw> = raw({
  conv_id: str,
  conv_type: fc.constantFrom(1, 2, 3),
  conv_unread_num: nat,
  conv_active_time: u64,
  conv_is_has_lastmsg: bool,
  conv_last_msg: rawMessage,
  conv_is_has_draft: bool,
  conv_draft: rawDraft,
  conv_is_pinned: bool,
  conv_show_name: str,
  conv_face_url: str,
  conv_group_type: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('Public', 'Private', 'ChatRoom', 'AVChatRoom')),
  conv_recv_opt: fc.integer({ min: 0, max: 3 }),
  conv_owner: str,
}, ['conv_id', 'conv_type']);

/** Values that break or retype a key: wrong types, out-of-range and 64-bit extremes, null, nested junk. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, -1, -0, 1.5, 2 ** 53, 2n ** 64n, -(2n ** 63n), '', '18446744073709551616', '12', 'x', [], {}, [{}], 0, 1, 8, 99, 400),
  fc.jsonValue({ maxDepth: 2 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);

/** Replaces (or deletes) one key of the value, or of a nested object/element, with junk. */
export function mutated(arb: fc.Arbitrary<Raw>): fc.Arbitrary<unknown> {
  return fc.tuple(arb, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), junk, fc.boolean()).map(([value, path, replacement, remove]) => {
    const copy = structuredClone(value);
    let node: unknown = copy;
    for (let depth = 0; depth < path.length; depth++) {
      if (typeof node !== 'object' || node === null) break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = keys[path[depth]! % keys.length]!;
      const child = (node as Raw)[key];
      if (depth === path.length - 1 || typeof child !== 'object' || child === null) {
        if (remove) delete (node as Raw)[key];
        else (node as Raw)[key] = replacement;
        break;
      }
      node = child;
    }
    return copy;
  });
}
