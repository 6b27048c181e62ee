/**
 * TIMGroupCreate (33) and TIMGroupDelete (34).
 *
 * Create: the caller becomes the owner; initial members are pulled in
 * directly (not in AV chat rooms). Reports: Create (6) to the creator,
 * Invite (7) to each initial member. Delete (dissolve, owner only, never a
 * Private group): Delete (5) to every other member.
 *
 * Each creation starts a new life of the id (../schema.ts): nothing of an
 * earlier life shows in it. A member that kept a conversation of an earlier
 * life finds it emptied (EVENT 6 Update); dissolving ends the life.
 */
import { randomBytes } from 'node:crypto';
import { stringifyJson } from '../../../json/lossless.js';
import { expectArgCount, stringArg } from '../../handlers/args.js';
import { failure, nowSeconds, type CallInput, type CallResult, type EmulatorContext } from '../../handlers/context.js';
import { isJsonObject, parseObjectParam } from '../../handlers/json-param.js';
import { ConvEvent, convEvent } from '../../handlers/notify.js';
import { HOW_TO_IMPORT, isKnownAccount } from '../../accounts.js';
import { renderContext, storeReport, type After } from '../deliver.js';
import { AddOption, DEFAULT_MAX_MEMBERS, GroupCode, GroupType, ReportType, Role, SERVER_ID_PREFIX } from '../model.js';
import { customInfo, optArray, optBool, optString, optUint } from '../params.js';
import { operatorInfo } from '../render.js';
import { denial, ruleKind } from '../rules.js';
import { caller, checkCustomGroupId, checkField, findGroup, isResult, okThen, refuse } from './common.js';

const CONV_GROUP = 2;

const SUPPORTED_TYPES: ReadonlySet<number> = new Set([
  GroupType.Public, GroupType.Private, GroupType.ChatRoom, GroupType.BChatRoom, GroupType.AVChatRoom,
]);

/** An initial member's role: v8 300 (or the 2019 enum's 1) is admin; 200, 0 or none is a member. */
function initialRole(v: unknown): number | undefined {
  if (v === undefined || v === 0 || v === Role.Member) return Role.Member;
  if (v === 1 || v === Role.Admin) return Role.Admin;
  return undefined;
}

function newGroupId(ctx: EmulatorContext): string {
  for (;;) {
    const id = SERVER_ID_PREFIX + randomBytes(6).toString('base64url').toUpperCase().replace(/[^A-Z0-9]/g, 'X');
    if (ctx.store.groups.group(id) === undefined) return id;
  }
}

export function createGroup(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const p = parseObjectParam(stringArg(call.args, 0, 'json_group_create_param'), 'json_group_create_param');
  const me = caller(call);
  const name = optString(p, 'create_group_param_group_name') ?? '';
  const notification = optString(p, 'create_group_param_notification') ?? '';
  const introduction = optString(p, 'create_group_param_introduction') ?? '';
  const faceUrl = optString(p, 'create_group_param_face_url') ?? '';
  const bad = checkField('name', name) ?? checkField('notification', notification)
    ?? checkField('introduction', introduction) ?? checkField('faceUrl', faceUrl);
  if (bad) return refuse(bad);

  const groupType = optUint(p, 'create_group_param_group_type') ?? GroupType.Public;
  if (!SUPPORTED_TYPES.has(groupType)) {
    return failure(GroupCode.INVALID_PARAMETERS, `group type ${groupType} is not supported by the tim-rx emulator`);
  }
  const addOption = optUint(p, 'create_group_param_add_option') ?? AddOption.Any;
  const approveOption = optUint(p, 'create_group_param_approve_option') ?? AddOption.Any;
  if (addOption > AddOption.Any || approveOption > AddOption.Any) {
    return failure(GroupCode.INVALID_PARAMETERS, 'add option must be 0 (forbid), 1 (auth) or 2 (any)');
  }
  const maxMemberNum = optUint(p, 'create_group_param_max_member_num') || (DEFAULT_MAX_MEMBERS[groupType] ?? 0);
  optBool(p, 'create_group_param_is_support_topic');

  let groupId = optString(p, 'create_group_param_group_id') ?? '';
  if (groupId.length > 0) {
    const badId = checkCustomGroupId(groupId);
    if (badId) return refuse(badId);
    if (ctx.store.groups.group(groupId) !== undefined) return failure(GroupCode.ID_IN_USE, `group id "${groupId}" is in use`);
  } else {
    groupId = newGroupId(ctx);
  }

  const initial = new Map<string, number>();
  const list = optArray(p, 'create_group_param_group_member_array') ?? [];
  for (const [i, m] of list.entries()) {
    const id = isJsonObject(m) ? m['group_member_info_identifier'] : undefined;
    if (typeof id !== 'string' || id.length === 0) {
      return failure(GroupCode.INVALID_PARAMETERS, `create_group_param_group_member_array[${i}] needs a group_member_info_identifier`);
    }
    const role = initialRole((m as Record<string, unknown>)['group_member_info_member_role']);
    if (role === undefined) return failure(GroupCode.INVALID_PARAMETERS, `initial member "${id}": the role may be member or admin only`);
    if (!isKnownAccount(ctx.store, ctx.rules.unknownAccounts, id)) return failure(GroupCode.ACCOUNT_NOT_FOUND, `initial member "${id}" ${HOW_TO_IMPORT}`);
    if (id !== me) initial.set(id, role);
  }
  if (initial.size > 0 && ruleKind(groupType) === 'AVChatRoom') {
    return failure(GroupCode.INVALID_PARAMETERS, 'an AVChatRoom cannot have initial members: they join by themselves');
  }
  if (maxMemberNum > 0 && initial.size + 1 > maxMemberNum) {
    return failure(GroupCode.FULL, `${initial.size + 1} members exceed max_member_num ${maxMemberNum}`);
  }

  const now = nowSeconds(ctx);
  const members = [{ userId: me, role: Role.Owner }, ...[...initial].map(([userId, role]) => ({ userId, role }))];
  ctx.store.groups.createGroup({
    groupId, groupType, name, notification, introduction, faceUrl, owner: me, addOption, approveOption, maxMemberNum,
    visible: 0, searchable: 0, shutupAll: false, customInfo: customInfo(p, 'create_group_param_custom_info', 'group_info') ?? [], createTime: now,
  }, members, now);
  ctx.log.debug(`${call.conn.tag}: created ${ruleKind(groupType)} group "${groupId}" with ${initial.size + 1} member(s)`);
  // A new life has no messages yet: a member's conversation of the id is one of an earlier life, emptied on joining.
  const emptied = members.flatMap((m) => ctx.store.convs.get(m.userId, CONV_GROUP, groupId) ?? []);

  const afters: After[] = [
    storeReport(ctx, { reportType: ReportType.Create, groupId, opUser: me }, [me]),
    storeReport(ctx, { reportType: ReportType.Invite, groupId, opUser: me }, [...initial.keys()]),
    () => emptied.forEach((c) => convEvent(ctx, ConvEvent.Update, c)),
  ];
  return okThen(stringifyJson({ create_group_result_groupid: groupId }), afters);
}

export function deleteGroup(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const g = findGroup(ctx, stringArg(call.args, 0, 'group_id'));
  if (isResult(g)) return g;
  const me = caller(call);
  const mine = ctx.store.groups.member(g.groupId, me);
  const no = denial('dissolve', g.groupType, mine?.role);
  if (no) return refuse(no);
  const others = ctx.store.groups.memberIds(g.groupId).filter((u) => u !== me);
  const opMember = operatorInfo(g.groupId, me, mine, renderContext(ctx));
  ctx.store.groups.deleteGroup(g.groupId);
  ctx.log.debug(`${call.conn.tag}: dissolved group "${g.groupId}"`);
  return okThen('', [storeReport(ctx, { reportType: ReportType.Delete, groupId: g.groupId, opUser: me, opMember }, others)]);
}
