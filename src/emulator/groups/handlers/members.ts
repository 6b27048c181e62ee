/**
 * TIMGroupGetMemberInfoList (42) and TIMGroupModifyMemberInfo (43).
 *
 * Member lists are for members; they page by join order (`next_seq` is the
 * join order of the last member returned; 0 = no more). An AVChatRoom lists
 * its owner, its admins and its first 30 ordinary members only.
 *
 * Member changes: every flag is checked before anything is written. Role
 * changes reach every member as SetAdmin (4) / CancelAdmin (5) tips; mute,
 * name card and custom changes as one MemberInfoChange (7) tip; the message
 * flag is private (no tip; the member's group conversation shows it as
 * `conv_recv_opt`, with an EVENT 6 Update).
 */
import { stringifyJson } from '../../../json/lossless.js';
import { expectArgCount, stringArg } from '../../handlers/args.js';
import { failure, ok, nowSeconds, type CallInput, type CallResult, type EmulatorContext } from '../../handlers/context.js';
import { parseObjectParam } from '../../handlers/json-param.js';
import { ConvEvent, convEvent } from '../../handlers/notify.js';
import { ConvType } from '../../storage/store.js';
import { renderContext, storeTips, type After } from '../deliver.js';
import { GroupCode, Limits, MemberModifyFlag as F, RecvOpt, Role, RoleFlag, TipType } from '../model.js';
import { customInfo, optObject, optString, optU64, optUint, stringArray } from '../params.js';
import { memberInfo } from '../render.js';
import { MEMBER_LIST_SCOPE, denial, outranks, ruleKind, type Denial } from '../rules.js';
import type { Member, MemberPatch } from '../store.js';
import { caller, checkField, findGroup, isResult, okThen, refuse } from './common.js';

const ROLE_BITS: Readonly<Record<number, number>> = { [Role.Owner]: RoleFlag.Owner, [Role.Admin]: RoleFlag.Admin, [Role.Member]: RoleFlag.Member };

export function getMemberInfoList(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const p = parseObjectParam(stringArg(call.args, 0, 'json_group_getmeminfos_param'), 'json_group_getmeminfos_param');
  const g = findGroup(ctx, optString(p, 'group_get_members_info_list_param_group_id'));
  if (isResult(g)) return g;
  const no = denial('listMembers', g.groupType, ctx.store.groups.member(g.groupId, caller(call))?.role);
  if (no) return refuse(no);
  const option = optObject(p, 'group_get_members_info_list_param_option') ?? {};
  const roleFlag = optUint(option, 'group_member_get_info_option_role_flag') ?? 0;
  const mask = roleFlag === 0 ? RoleFlag.Owner | RoleFlag.Admin | RoleFlag.Member : roleFlag;
  const after = optU64(p, 'group_get_members_info_list_param_next_seq') ?? 0;
  const ids = stringArray(p, 'group_get_members_info_list_param_identifier_array');
  const limit = Limits.memberPage;

  let page: Member[];
  let next = 0;
  if (ids.length > 0) {
    page = [...new Set(ids)].map((id) => ctx.store.groups.member(g.groupId, id))
      .filter((m): m is Member => m !== undefined && ((ROLE_BITS[m.role] ?? 0) & mask) !== 0);
  } else {
    let candidates: Member[];
    if (MEMBER_LIST_SCOPE[ruleKind(g.groupType)] === 'all') {
      candidates = ctx.store.groups.memberPage(g.groupId, after, mask, limit + 1);
    } else {
      let ordinary = 0;
      candidates = ctx.store.groups.members(g.groupId)
        .filter((m) => m.role !== Role.Member || ++ordinary <= Limits.avChatRoomListedMembers)
        .filter((m) => m.joinSeq > after && ((ROLE_BITS[m.role] ?? 0) & mask) !== 0)
        .slice(0, limit + 1);
    }
    page = candidates.slice(0, limit);
    if (candidates.length > limit) next = page[page.length - 1]!.joinSeq;
  }
  const rc = renderContext(ctx);
  return ok(stringifyJson({
    group_get_member_info_list_result_info_array: page.map((m) => memberInfo(m, rc)),
    group_get_member_info_list_result_next_seq: next,
  }));
}

/** A role to set: v8 200/300, or the 2019 enum shown by the spec's example (0 normal, 1 admin). */
function roleToSet(v: number | undefined): number | undefined {
  if (v === Role.Member || v === 0) return Role.Member;
  if (v === Role.Admin || v === 1) return Role.Admin;
  return undefined;
}

const KNOWN_FLAGS = F.MsgFlag | F.MemberRole | F.ShutupTime | F.NameCard | F.Custom;
const deny = (desc: string): Denial => ({ code: GroupCode.PERMISSION_DENY, desc });

export function modifyMemberInfo(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const p = parseObjectParam(stringArg(call.args, 0, 'json_group_modifymeminfo_param'), 'json_group_modifymeminfo_param');
  const g = findGroup(ctx, optString(p, 'group_modify_member_info_group_id'));
  if (isResult(g)) return g;
  const flag = optUint(p, 'group_modify_member_info_modify_flag') ?? 0;
  if (flag === 0 || (flag & ~KNOWN_FLAGS) !== 0) {
    return failure(GroupCode.INVALID_PARAMETERS, `group_modify_member_info_modify_flag ${flag} is not a combination of 1, 2, 4, 8, 16`);
  }
  const me = caller(call);
  const mine = ctx.store.groups.member(g.groupId, me);
  if (mine === undefined) return refuse(deny('not a member of the group'));
  const targetId = optString(p, 'group_modify_member_info_identifier') ?? '';
  const target = ctx.store.groups.member(g.groupId, targetId);
  if (target === undefined) return failure(GroupCode.INVALID_PARAMETERS, `"${targetId}" is not a member of the group`);
  const self = targetId === me;
  const onOthers = (op: 'changeRole' | 'mute' | 'editOthersCard'): Denial | undefined =>
    denial(op, g.groupType, mine.role)
    ?? (self ? deny(`${op} cannot be done on oneself`) : undefined)
    ?? (outranks(mine.role, target.role) ? undefined : deny(`${op}: "${targetId}" does not rank below you`));

  const patch: MemberPatch = {};
  const now = nowSeconds(ctx);
  let shutupSeconds: number | undefined;
  if (flag & F.MsgFlag) {
    if (!self) return refuse(deny('the message flag is set by each member for oneself'));
    const v = optUint(p, 'group_modify_member_info_msg_flag') ?? RecvOpt.Receive;
    if (v > RecvOpt.NotNotifyExceptAt) return failure(GroupCode.INVALID_PARAMETERS, 'msg_flag must be 0..3');
    patch.msgFlag = v;
  }
  if (flag & F.MemberRole) {
    const no = onOthers('changeRole');
    if (no) return refuse(no);
    const role = roleToSet(optUint(p, 'group_modify_member_info_member_role'));
    if (role === undefined) return failure(GroupCode.INVALID_PARAMETERS, 'member_role must be 200 (member) or 300 (admin); transfer ownership with TIMGroupModifyGroupInfo');
    patch.role = role;
  }
  if (flag & F.ShutupTime) {
    const no = onOthers('mute');
    if (no) return refuse(no);
    shutupSeconds = optUint(p, 'group_modify_member_info_shutup_time') ?? 0;
    patch.shutupUntil = shutupSeconds > 0 ? now + shutupSeconds : 0;
  }
  if (flag & (F.NameCard | F.Custom)) {
    const no = self ? undefined : onOthers('editOthersCard');
    if (no) return refuse(no);
    if (flag & F.NameCard) {
      const card = optString(p, 'group_modify_member_info_name_card') ?? '';
      const bad = checkField('nameCard', card);
      if (bad) return refuse(bad);
      patch.nameCard = card;
    }
    if (flag & F.Custom) patch.customInfo = customInfo(p, 'group_modify_member_info_custom_info', 'group_member_info') ?? [];
  }

  const updated = ctx.store.groups.updateMember(g.groupId, targetId, patch);
  const everyone = ctx.store.groups.memberIds(g.groupId);
  const afters: After[] = [];
  if (patch.role !== undefined && patch.role !== target.role) {
    afters.push(storeTips(ctx, {
      tipType: patch.role === Role.Admin ? TipType.SetAdmin : TipType.CancelAdmin, groupId: g.groupId, opUser: me, users: [targetId],
    }, everyone));
  }
  if (flag & (F.ShutupTime | F.NameCard | F.Custom)) {
    afters.push(storeTips(ctx, {
      tipType: TipType.MemberInfoChange, groupId: g.groupId, opUser: me,
      changedMembers: [memberInfo(updated, renderContext(ctx))],
      memberChanges: shutupSeconds === undefined ? [] : [{ identifier: targetId, shutupTime: shutupSeconds }],
    }, everyone));
  }
  if (patch.msgFlag !== undefined && patch.msgFlag !== target.msgFlag) {
    // The conversation shows the receive option (conv_recv_opt): its owner hears of the change, as v8 reports it.
    const conversation = ctx.store.convs.get(me, ConvType.Group, g.groupId);
    if (conversation !== undefined) afters.push(() => convEvent(ctx, ConvEvent.Update, conversation));
  }
  return okThen('', afters);
}
