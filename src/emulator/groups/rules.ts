/**
 * The permission rules of the spec ("权限说明" of each group function,
 * restated in ../../../../shared/notes/group-rules.md), as data: one row per
 * operation, one column per group type. The handlers ask `denial()` and never
 * test group types themselves.
 */
import { AddOption, GroupCode, GroupType, Role } from './model.js';

/** The group types the rules tell apart. BChatRoom behaves like AVChatRoom. */
export type RuleKind = 'Private' | 'Public' | 'ChatRoom' | 'AVChatRoom';

export function ruleKind(groupType: number): RuleKind {
  switch (groupType) {
    case GroupType.Private: return 'Private';
    case GroupType.ChatRoom: return 'ChatRoom';
    case GroupType.AVChatRoom:
    case GroupType.BChatRoom: return 'AVChatRoom';
    default: return 'Public';
  }
}

/** Who may do something: a role threshold, or nobody. Outsiders (not members) never may. */
export type Who = 'nobody' | 'owner' | 'owner-admin' | 'member' | 'member-not-owner';

export type Operation =
  | 'dissolve' | 'quit' | 'invite' | 'kick' | 'transferOwner' | 'modifyInfo' | 'changeRole' | 'mute'
  | 'editOthersCard' | 'listMembers' | 'sendMessage' | 'handleJoinRequest' | 'readHistory' | 'revokeOthers';

/** Who may do each operation, per group type. */
export const WHO_MAY: { readonly [O in Operation]: { readonly [K in RuleKind]: Who } } = {
  //                Private             Public                ChatRoom              AVChatRoom
  dissolve:        { Private: 'nobody', Public: 'owner', ChatRoom: 'owner', AVChatRoom: 'owner' },
  quit:            { Private: 'member', Public: 'member-not-owner', ChatRoom: 'member-not-owner', AVChatRoom: 'member-not-owner' },
  invite:          { Private: 'member', Public: 'member', ChatRoom: 'member', AVChatRoom: 'nobody' },
  kick:            { Private: 'owner', Public: 'owner-admin', ChatRoom: 'owner-admin', AVChatRoom: 'nobody' },
  transferOwner:   { Private: 'owner', Public: 'owner', ChatRoom: 'owner', AVChatRoom: 'nobody' },
  modifyInfo:      { Private: 'member', Public: 'owner-admin', ChatRoom: 'owner-admin', AVChatRoom: 'owner-admin' },
  changeRole:      { Private: 'owner-admin', Public: 'owner-admin', ChatRoom: 'owner-admin', AVChatRoom: 'nobody' },
  mute:            { Private: 'owner-admin', Public: 'owner-admin', ChatRoom: 'owner-admin', AVChatRoom: 'owner-admin' },
  editOthersCard:  { Private: 'owner-admin', Public: 'owner-admin', ChatRoom: 'owner-admin', AVChatRoom: 'owner-admin' },
  listMembers:     { Private: 'member', Public: 'member', ChatRoom: 'member', AVChatRoom: 'member' },
  sendMessage:     { Private: 'member', Public: 'member', ChatRoom: 'member', AVChatRoom: 'member' },
  handleJoinRequest: { Private: 'owner-admin', Public: 'owner-admin', ChatRoom: 'owner-admin', AVChatRoom: 'owner-admin' },
  // The message functions on a group conversation (handlers/group-access.ts, groups/access.ts):
  // reading its history (TIMMsgGetMsgList, TIMMsgFindByMsgLocatorList, a new TIMConvCreate) …
  readHistory:     { Private: 'member', Public: 'member', ChatRoom: 'member', AVChatRoom: 'member' },
  // … and revoking another member's message (v8 ≥ 7.4: every group type; the actor must outrank the sender).
  revokeOthers:    { Private: 'owner-admin', Public: 'owner-admin', ChatRoom: 'owner-admin', AVChatRoom: 'owner-admin' },
};

/** How an outsider gets in by asking (TIMGroupJoin). */
export type JoinMode = 'denied' | 'add-option' | 'any';
export const JOIN_MODE: { readonly [K in RuleKind]: JoinMode } = {
  Private: 'denied', Public: 'add-option', ChatRoom: 'add-option', AVChatRoom: 'any',
};

/** What an invitation does (TIMGroupInviteMember), for the kinds where WHO_MAY.invite allows it. */
export type InviteMode = 'direct' | 'invitee-consent';
export const INVITE_MODE: { readonly [K in RuleKind]: InviteMode } = {
  Private: 'direct', Public: 'invitee-consent', ChatRoom: 'invitee-consent', AVChatRoom: 'direct',
};

/** Which members TIMGroupGetMemberInfoList shows. */
export const MEMBER_LIST_SCOPE: { readonly [K in RuleKind]: 'all' | 'owner-admins-and-some' } = {
  Private: 'all', Public: 'all', ChatRoom: 'all', AVChatRoom: 'owner-admins-and-some',
};

/** The code of a broken rule: 10007, but the owner who may not quit gets 10009. */
const DENIED_CODE: { readonly [O in Operation]: number } = {
  dissolve: GroupCode.PERMISSION_DENY,
  quit: GroupCode.OWNER_CANNOT_QUIT,
  invite: GroupCode.PERMISSION_DENY,
  kick: GroupCode.PERMISSION_DENY,
  transferOwner: GroupCode.PERMISSION_DENY,
  modifyInfo: GroupCode.PERMISSION_DENY,
  changeRole: GroupCode.PERMISSION_DENY,
  mute: GroupCode.PERMISSION_DENY,
  editOthersCard: GroupCode.PERMISSION_DENY,
  listMembers: GroupCode.PERMISSION_DENY,
  sendMessage: GroupCode.PERMISSION_DENY,
  handleJoinRequest: GroupCode.PERMISSION_DENY,
  readHistory: GroupCode.PERMISSION_DENY,
  revokeOthers: GroupCode.REVOKE_DENY,
};

function allows(who: Who, role: number): boolean {
  switch (who) {
    case 'nobody': return false;
    case 'owner': return role === Role.Owner;
    case 'owner-admin': return role === Role.Owner || role === Role.Admin;
    case 'member': return true;
    case 'member-not-owner': return role !== Role.Owner;
  }
}

export interface Denial {
  readonly code: number;
  readonly desc: string;
}

const ROLE_NAMES: Readonly<Record<number, string>> = { [Role.Owner]: 'the owner', [Role.Admin]: 'an admin', [Role.Member]: 'a member' };

/**
 * Why `role` (undefined = not a member) may not do `op` in a group of
 * `groupType`, or undefined when it may.
 */
export function denial(op: Operation, groupType: number, role: number | undefined): Denial | undefined {
  const kind = ruleKind(groupType);
  if (role === undefined) return { code: GroupCode.PERMISSION_DENY, desc: `${op}: not a member of the group` };
  const who = WHO_MAY[op][kind];
  if (allows(who, role)) return undefined;
  // Only the owner is ever refused a quit (member-not-owner), hence 10009 there.
  const code = DENIED_CODE[op];
  const desc = who === 'nobody'
    ? `${op} is not allowed in a ${kind} group`
    : `${op} in a ${kind} group is for ${who.replace('-not-', ' but not the ').replace('-', ' and ')}; you are ${ROLE_NAMES[role] ?? 'no member'}`;
  return { code, desc };
}

/**
 * Acting on another member (kick, mute, change role, edit card): the actor must
 * rank above the target (owner > admin > member), as the cloud does; the spec
 * is silent on admin-versus-admin.
 */
export function outranks(actor: number, target: number): boolean {
  return actor > target;
}

/** What TIMGroupJoin does for an outsider: join now, leave a pendency, or refuse. */
export function joinOutcome(groupType: number, addOption: number): { kind: 'join' | 'pendency' } | Denial {
  const kind = ruleKind(groupType);
  switch (JOIN_MODE[kind]) {
    case 'denied':
      return { code: GroupCode.JOIN_PRIVATE_DENY, desc: 'a Private group cannot be joined by asking; a member must invite you' };
    case 'any':
      return { kind: 'join' };
    case 'add-option':
      if (addOption === AddOption.Any) return { kind: 'join' };
      if (addOption === AddOption.Auth) return { kind: 'pendency' };
      return { code: GroupCode.PERMISSION_DENY, desc: 'the group forbids join requests (add option Forbid)' };
  }
}
