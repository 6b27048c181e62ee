/**
 * The group enums (reference § A.12–A.27) as string literals in the model,
 * numbers (v8 values) in JSON. Where 2019 payloads differ, decoding also
 * accepts their form and encoding always writes v8's.
 */
import * as t from 'io-ts';
import { enumCodec } from './primitives.js';

const GroupTypeNumber = enumCodec('GroupType', {
  0: 'public', 1: 'private', 2: 'chat-room', 3: 'b-chat-room', 4: 'av-chat-room', 5: 'community',
});
export type GroupType = t.TypeOf<typeof GroupTypeNumber>;

/** 2019 outputs name the type: `group_base_info_group_type: "Public"` (A.12). */
const GROUP_TYPE_NAMES: Readonly<Record<string, GroupType>> = {
  Public: 'public', Private: 'private', ChatRoom: 'chat-room', BChatRoom: 'b-chat-room', AVChatRoom: 'av-chat-room', Community: 'community',
};

/** TIMGroupType (A.12): a number (v8, and every input) or the 2019 output's name. */
export const GroupType = new t.Type<GroupType, number, unknown>(
  'GroupType',
  GroupTypeNumber.is,
  (u, c) => (typeof u === 'string' && u in GROUP_TYPE_NAMES ? t.success(GROUP_TYPE_NAMES[u]!) : GroupTypeNumber.validate(u, c)),
  GroupTypeNumber.encode,
);

/** TIMGroupAddOption (A.13): how join requests (add option) or invitations (approve option) are handled. */
export const GroupAddOption = enumCodec('GroupAddOption', { 0: 'forbid', 1: 'auth', 2: 'any', 3: 'unknown' });
export type GroupAddOption = t.TypeOf<typeof GroupAddOption>;

const RoleV8 = enumCodec('GroupMemberRole', { 0: 'none', 200: 'member', 300: 'admin', 400: 'owner' });
export type GroupMemberRole = t.TypeOf<typeof RoleV8>;

/** 4.6–5.0.6 numbering (None 0, Normal 1, Admin 2, Owner 3), tolerated on output (A.14). */
const LEGACY_OUTPUT_ROLES: Readonly<Record<number, GroupMemberRole>> = { 1: 'member', 2: 'admin', 3: 'owner' };

/** TIMGroupMemberRole as the SDK reports it: v8 0/200/300/400, legacy 1/2/3 tolerated. */
export const GroupMemberRole = new t.Type<GroupMemberRole, number, unknown>(
  'GroupMemberRole',
  RoleV8.is,
  (u, c) => (typeof u === 'number' && u in LEGACY_OUTPUT_ROLES ? t.success(LEGACY_OUTPUT_ROLES[u]!) : RoleV8.validate(u, c)),
  RoleV8.encode,
);

/**
 * A role written by the caller (initial members, TIMGroupModifyMemberInfo).
 * Encodes v8's 200/300/400; decodes those and the 2019 enum the spec's
 * example sends (0 normal, 1 admin, 2 super admin = owner).
 */
export const GroupMemberRoleInput = new t.Type<GroupMemberRole, number, unknown>(
  'GroupMemberRoleInput',
  RoleV8.is,
  (u, c) => {
    const legacy: Readonly<Record<number, GroupMemberRole>> = { 0: 'member', 1: 'admin', 2: 'owner' };
    return typeof u === 'number' && u in legacy ? t.success(legacy[u]!) : RoleV8.validate(u, c);
  },
  RoleV8.encode,
);

/** TIMReceiveMessageOpt (A.15): a member's receive option for group messages. */
export const ReceiveMessageOption = enumCodec('ReceiveMessageOption', {
  0: 'receive', 1: 'not-receive', 2: 'not-notify', 3: 'not-notify-except-at',
});
export type ReceiveMessageOption = t.TypeOf<typeof ReceiveMessageOption>;

/** HandleGroupMemberResult (A.24): per-user result of an invitation or removal. */
export const MemberOperationResult = enumCodec('HandleGroupMemberResult', { 0: 'failed', 1: 'ok', 2: 'already-member', 3: 'invited' });
export type MemberOperationResult = t.TypeOf<typeof MemberOperationResult>;

/** TIMGroupPendencyType (A.25). */
export const PendencyType = enumCodec('GroupPendencyType', { 0: 'join-request', 1: 'invitation', 2: 'invitation-for-admin' });
export type PendencyType = t.TypeOf<typeof PendencyType>;

/** TIMGroupPendencyHandle (A.26), as seen by the one who lists it. */
export const PendencyHandled = enumCodec('GroupPendencyHandle', { 0: 'not-handled', 1: 'handled-by-other', 2: 'handled-by-me' });
export type PendencyHandled = t.TypeOf<typeof PendencyHandled>;

/** TIMGroupPendencyHandleResult (A.27). */
export const PendencyHandleResult = enumCodec('GroupPendencyHandleResult', { 0: 'refused', 1: 'accepted' });
export type PendencyHandleResult = t.TypeOf<typeof PendencyHandleResult>;

/** TIMGroupJoinType (A.28): how a newcomer came in (join tips). */
export const GroupJoinType = enumCodec('GroupJoinType', { 0: 'none', 1: 'apply', 2: 'invite' });
export type GroupJoinType = t.TypeOf<typeof GroupJoinType>;

/** TIMGroupMemberRoleFlag (A.23) bits of a member-list filter; no roles = all. */
const ROLE_FILTER_BITS: { readonly [R in Exclude<GroupMemberRole, 'none'>]: number } = { owner: 1, admin: 2, member: 4 };

/** A member-list role filter: the roles to list (none given = all), as the A.23 bit mask. */
export const RoleFilter = new t.Type<readonly Exclude<GroupMemberRole, 'none'>[], number, unknown>(
  'GroupMemberRoleFlag',
  (u): u is readonly Exclude<GroupMemberRole, 'none'>[] => Array.isArray(u) && u.every((r) => typeof r === 'string' && r in ROLE_FILTER_BITS),
  (u, c) => {
    if (typeof u !== 'number' || !Number.isInteger(u) || u < 0 || u > 7) return t.failure(u, c, 'expected a TIMGroupMemberRoleFlag mask 0..7');
    return t.success((Object.entries(ROLE_FILTER_BITS) as [Exclude<GroupMemberRole, 'none'>, number][]).filter(([, b]) => u & b).map(([r]) => r));
  },
  (roles) => roles.reduce((mask, r) => mask | ROLE_FILTER_BITS[r], 0),
);
