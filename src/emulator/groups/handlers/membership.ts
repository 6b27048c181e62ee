/**
 * TIMGroupJoin (35), TIMGroupQuit (36), TIMGroupInviteMember (37),
 * TIMGroupDeleteMember (38): who gets in and out, by the rules of rules.ts.
 *
 * Tips (group conversation + EVENT 5): a join (tip 1, join type apply or
 * invite) to every member, the newcomers included; a quit (2) and a kick (3)
 * to the members who remain. Reports (system conversation): a join request
 * (1) to the owner and admins, an invitation waiting for consent (12) to the
 * invitee, an invitation done (7) to each invitee, a kick (4) to each kicked user.
 */
import { stringifyJson } from '../../../json/lossless.js';
import { expectArgCount, nullableStringArg, stringArg } from '../../handlers/args.js';
import { failure, nowSeconds, type CallInput, type CallResult, type EmulatorContext } from '../../handlers/context.js';
import { parseObjectParam } from '../../handlers/json-param.js';
import { isKnownAccount } from '../../accounts.js';
import { renderContext, storeReport, storeTips, type After } from '../deliver.js';
import { GroupCode, JoinType, MemberResult, PendencyType, ReportType, Role, TipType } from '../model.js';
import { optString, optUint, stringArray } from '../params.js';
import { operatorInfo } from '../render.js';
import { INVITE_MODE, denial, joinOutcome, outranks, ruleKind } from '../rules.js';
import type { Group } from '../store.js';
import { caller, findGroup, isResult, okThen, refuse } from './common.js';

/** The owner and admins of a group: who approves join requests. */
export function approvers(ctx: EmulatorContext, groupId: string): string[] {
  return ctx.store.groups.members(groupId).filter((m) => m.role >= Role.Admin).map((m) => m.userId);
}

function isFull(ctx: EmulatorContext, g: Group, adding = 1): boolean {
  return g.maxMemberNum > 0 && ctx.store.groups.memberCount(g.groupId) + adding > g.maxMemberNum;
}

/** Adds `userIds` as members and returns the join tips for everyone in the group now. */
export function admit(ctx: EmulatorContext, g: Group, userIds: readonly string[], opUser: string, joinType: number): After {
  ctx.store.groups.addMembers(g.groupId, userIds.map((userId) => ({ userId, role: Role.Member })), nowSeconds(ctx));
  return storeTips(ctx, { tipType: TipType.Invite, groupId: g.groupId, opUser, joinType, users: userIds },
    ctx.store.groups.memberIds(g.groupId));
}

export function joinGroup(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 2);
  const g = findGroup(ctx, stringArg(call.args, 0, 'group_id'));
  if (isResult(g)) return g;
  const hello = nullableStringArg(call.args, 1, 'hello_msg') ?? '';
  const me = caller(call);
  if (ctx.store.groups.member(g.groupId, me) !== undefined) {
    return failure(GroupCode.ALREADY_MEMBER, `already a member of "${g.groupId}"`);
  }
  const outcome = joinOutcome(g.groupType, g.addOption);
  if ('code' in outcome) return refuse(outcome);
  if (isFull(ctx, g)) return failure(GroupCode.FULL, `group "${g.groupId}" is full (${g.maxMemberNum})`);
  if (outcome.kind === 'join') return okThen('', [admit(ctx, g, [me], me, JoinType.Apply)]);
  ctx.store.groups.pendencies.add({
    groupId: g.groupId, type: PendencyType.JoinRequest, fromId: me, toId: '', applyMsg: hello, fromUserData: '',
  }, ctx.rules.now());
  return okThen('', [
    storeReport(ctx, { reportType: ReportType.AddRequest, groupId: g.groupId, opUser: me, msg: hello }, approvers(ctx, g.groupId)),
  ]);
}

export function quitGroup(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const g = findGroup(ctx, stringArg(call.args, 0, 'group_id'));
  if (isResult(g)) return g;
  const me = caller(call);
  const mine = ctx.store.groups.member(g.groupId, me);
  const no = denial('quit', g.groupType, mine?.role);
  if (no) return refuse(no);
  const opMember = operatorInfo(g.groupId, me, mine, renderContext(ctx));
  ctx.store.groups.removeMembers(g.groupId, [me]);
  const remaining = ctx.store.groups.memberIds(g.groupId);
  if (remaining.length === 0) {
    ctx.store.groups.deleteGroup(g.groupId);
    return okThen('', []);
  }
  return okThen('', [storeTips(ctx, { tipType: TipType.Quit, groupId: g.groupId, opUser: me, opMember, users: [me] }, remaining)]);
}

interface MemberListParam {
  readonly groupId: string | undefined;
  readonly userIds: readonly string[];
  readonly userData: string;
}

function memberListParam(call: CallInput, name: string, prefix: string): MemberListParam {
  expectArgCount(call.args, 1);
  const p = parseObjectParam(stringArg(call.args, 0, name), name);
  optUint(p, `${prefix}_duration`);
  return {
    groupId: optString(p, `${prefix}_group_id`),
    userIds: [...new Set(stringArray(p, `${prefix}_identifier_array`))],
    userData: optString(p, `${prefix}_user_data`) ?? '',
  };
}

const results = (prefix: string, rs: readonly [string, number][]): string =>
  stringifyJson(rs.map(([id, r]) => ({ [`${prefix}_identifier`]: id, [`${prefix}_result`]: r })));

export function inviteMembers(ctx: EmulatorContext, call: CallInput): CallResult {
  const p = memberListParam(call, 'json_group_invite_param', 'group_invite_member_param');
  const g = findGroup(ctx, p.groupId);
  if (isResult(g)) return g;
  if (p.userIds.length === 0) return failure(GroupCode.INVITE_NO_MEMBER, 'nobody to invite');
  const me = caller(call);
  const no = denial('invite', g.groupType, ctx.store.groups.member(g.groupId, me)?.role);
  if (no) return refuse(no);
  const direct = INVITE_MODE[ruleKind(g.groupType)] === 'direct';
  const out: [string, number][] = [];
  const admitted: string[] = [];
  const afters: After[] = [];
  for (const id of p.userIds) {
    if (!isKnownAccount(ctx.store, ctx.rules.unknownAccounts, id)) out.push([id, MemberResult.Failed]);
    else if (ctx.store.groups.member(g.groupId, id) !== undefined) out.push([id, MemberResult.AlreadyMember]);
    else if (isFull(ctx, g, admitted.length + 1)) out.push([id, MemberResult.Failed]);
    else if (direct) {
      admitted.push(id);
      out.push([id, MemberResult.Ok]);
    } else {
      ctx.store.groups.pendencies.add({
        groupId: g.groupId, type: PendencyType.Invitation, fromId: me, toId: id, applyMsg: p.userData, fromUserData: p.userData,
      }, ctx.rules.now());
      afters.push(storeReport(ctx, {
        reportType: ReportType.InviteReqToInvitee, groupId: g.groupId, opUser: me, msg: p.userData, userData: p.userData,
      }, [id]));
      out.push([id, MemberResult.Invited]);
    }
  }
  if (admitted.length > 0) {
    afters.push(admit(ctx, g, admitted, me, JoinType.Invite));
    afters.push(storeReport(ctx, { reportType: ReportType.Invite, groupId: g.groupId, opUser: me, userData: p.userData }, admitted));
  }
  return okThen(results('group_invite_member_result', out), afters);
}

export function deleteMembers(ctx: EmulatorContext, call: CallInput): CallResult {
  const p = memberListParam(call, 'json_group_delete_param', 'group_delete_member_param');
  const g = findGroup(ctx, p.groupId);
  if (isResult(g)) return g;
  if (p.userIds.length === 0) return failure(GroupCode.INVALID_PARAMETERS, 'nobody to remove');
  const me = caller(call);
  const mine = ctx.store.groups.member(g.groupId, me);
  const no = denial('kick', g.groupType, mine?.role);
  if (no) return refuse(no);
  const out: [string, number][] = [];
  const kicked: string[] = [];
  for (const id of p.userIds) {
    const target = ctx.store.groups.member(g.groupId, id);
    const may = target !== undefined && id !== me && outranks(mine!.role, target.role);
    out.push([id, may ? MemberResult.Ok : MemberResult.Failed]);
    if (may) kicked.push(id);
  }
  const afters: After[] = [];
  if (kicked.length > 0) {
    ctx.store.groups.removeMembers(g.groupId, kicked);
    afters.push(storeTips(ctx, { tipType: TipType.Kick, groupId: g.groupId, opUser: me, users: kicked },
      ctx.store.groups.memberIds(g.groupId)));
    afters.push(storeReport(ctx, {
      reportType: ReportType.BeKicked, groupId: g.groupId, opUser: me, msg: p.userData, userData: p.userData,
    }, kicked));
  }
  return okThen(results('group_delete_member_result', out), afters);
}
