/**
 * The group rules of the message functions (TIMMsgGetMsgList,
 * TIMMsgFindByMsgLocatorList, TIMMsgRevoke, TIMMsgReportReaded, TIMMsgDelete,
 * import / save, TIMConvCreate / SetDraft on conv_type 2): `GROUP_ACCESS`,
 * the `GroupAccess` of ../handlers/group-access.ts that those handlers call.
 *
 * - Reading the history and revoking: current members only (`readHistory`
 *   of rules.ts: 10007; an unknown or dissolved group: 10010).
 * - Acting on one's own copy (read report, delete, import, save, draft,
 *   creating the conversation): the same, or whoever still has the
 *   conversation (a former member, a dissolved group).
 * - Revoking another member's message (v8 ≥ 7.4, every group type: "管理员或者
 *   群主也可以撤回其他群成员的消息"): the owner and admins (`revokeOthers`),
 *   ranking above the sender as for every act on another member (owner >
 *   admin > member; a sender who left ranks lowest). Tips (sender
 *   `@TIM#SYSTEM`) are not ordinary messages and cannot be revoked. Refusals: 10032.
 * - Revoke notices (EVENT 3, EVENT 6) go to the current members.
 * - A member whose receive option is "not receive" gets no group messages,
 *   so they do not count as unread for it (tips still do).
 */
import type { AccessDenial, GroupAccess, GroupAccessKind } from '../handlers/group-access.js';
import type { EmulatorContext } from '../handlers/context.js';
import { GroupCode, RecvOpt, Role, SYSTEM_SENDER } from './model.js';
import { denial, outranks } from './rules.js';

const CONV_GROUP = 2;

function check(ctx: EmulatorContext, userId: string, groupId: string, kind: GroupAccessKind): AccessDenial | undefined {
  if (kind === 'own' && ctx.store.convs.get(userId, CONV_GROUP, groupId) !== undefined) return undefined;
  const g = ctx.store.groups.group(groupId);
  if (g === undefined) return { code: GroupCode.NOT_FOUND, desc: `group "${groupId}" does not exist` };
  const no = denial('readHistory', g.groupType, ctx.store.groups.member(groupId, userId)?.role);
  return no === undefined ? undefined : { code: no.code, desc: `the messages of "${groupId}" are for its members: ${no.desc}` };
}

function revokeDenial(ctx: EmulatorContext, userId: string, groupId: string, sender: string): AccessDenial | undefined {
  if (sender === userId) return undefined;
  if (sender === SYSTEM_SENDER) return { code: GroupCode.REVOKE_DENY, desc: 'group tips cannot be revoked' };
  const g = ctx.store.groups.group(groupId);
  if (g === undefined) return { code: GroupCode.NOT_FOUND, desc: `group "${groupId}" does not exist` };
  const mine = ctx.store.groups.member(groupId, userId)?.role;
  const no = denial('revokeOthers', g.groupType, mine);
  if (no !== undefined) return { code: GroupCode.REVOKE_DENY, desc: `revoking ${sender}'s message: ${no.desc}` };
  const theirs = ctx.store.groups.member(groupId, sender)?.role ?? Role.None;
  if (!outranks(mine!, theirs)) {
    return { code: GroupCode.REVOKE_DENY, desc: `revoking ${sender}'s message needs a higher rank than theirs` };
  }
  return undefined;
}

export const GROUP_ACCESS: GroupAccess = {
  check,
  members: (ctx, groupId) => ctx.store.groups.memberIds(groupId),
  revokeDenial,
  countsMessages: (ctx, userId, groupId) => ctx.store.groups.member(groupId, userId)?.msgFlag !== RecvOpt.NotReceive,
};
