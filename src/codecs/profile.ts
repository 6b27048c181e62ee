import * as t from 'io-ts';
import { defined, mapped } from './mapped.js';
import { Int } from './primitives.js';

const CustomString = mapped(
  'UserProfileCustomString',
  t.type({ user_profile_custom_string_info_key: t.string, user_profile_custom_string_info_value: t.string }),
  (r) => ({ key: r.user_profile_custom_string_info_key, value: r.user_profile_custom_string_info_value }),
  (a) => ({ user_profile_custom_string_info_key: a.key, user_profile_custom_string_info_value: a.value }),
);

/**
 * UserProfile (B5.10): who did something (group tips / reports) or who sent
 * a message. Every key optional. The friend remark is read under both
 * spellings (2019 `user_profile_remark`, v8 `user_profile_friend_remark`)
 * and written under the one it was read from (v8's when new).
 */
export const UserProfile = mapped(
  'UserProfile',
  t.partial({
    user_profile_identifier: t.string,
    user_profile_nick_name: t.string,
    user_profile_face_url: t.string,
    user_profile_self_signature: t.string,
    user_profile_friend_remark: t.string,
    user_profile_remark: t.string,
    user_profile_gender: Int,
    user_profile_add_permission: Int,
    user_profile_location: t.string,
    user_profile_language: Int,
    user_profile_birthday: Int,
    user_profile_level: Int,
    user_profile_role: Int,
    user_profile_custom_string_array: t.readonlyArray(CustomString),
  }),
  (r) => defined({
    userId: r.user_profile_identifier,
    nickName: r.user_profile_nick_name,
    faceUrl: r.user_profile_face_url,
    selfSignature: r.user_profile_self_signature,
    friendRemark: r.user_profile_friend_remark,
    /** 2019 spelling, kept apart so that it is written back under its own key. */
    remark: r.user_profile_remark,
    /** TIMGenderType: 0 unknown, 1 male, 2 female. */
    gender: r.user_profile_gender,
    /** TIMProfileAddPermission: 0 unknown, 1 allow any, 2 need confirm, 3 deny any. */
    addPermission: r.user_profile_add_permission,
    location: r.user_profile_location,
    language: r.user_profile_language,
    birthday: r.user_profile_birthday,
    level: r.user_profile_level,
    role: r.user_profile_role,
    customStrings: r.user_profile_custom_string_array,
  }),
  (a) => defined({
    user_profile_identifier: a.userId,
    user_profile_nick_name: a.nickName,
    user_profile_face_url: a.faceUrl,
    user_profile_self_signature: a.selfSignature,
    user_profile_friend_remark: a.friendRemark,
    user_profile_remark: a.remark,
    user_profile_gender: a.gender,
    user_profile_add_permission: a.addPermission,
    user_profile_location: a.location,
    user_profile_language: a.language,
    user_profile_birthday: a.birthday,
    user_profile_level: a.level,
    user_profile_role: a.role,
    user_profile_custom_string_array: a.customStrings,
  }),
);
export type UserProfile = t.TypeOf<typeof UserProfile>;
