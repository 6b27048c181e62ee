/**
 * TIMGroupGetJoinedGroupList (39), TIMGroupGetGroupInfoList (40),
 * TIMGroupModifyGroupInfo (41).
 *
 * A profile change is one transaction; the fields that have a
 * TIMGroupTipGroupChangeFlag reach every member as one GroupInfoChange tip
 * (6). Ownership transfer (flag bit 31, alone) is a GroupInfoChange with the
 * Owner change flag (5).
 */
import { stringifyJson } from '../../../json/lossless.js';
import { ArgError, expectArgCount, stringArg } from '../../handlers/args.js';
import { failure, ok, nowSeconds, type CallInput, type CallResult, type EmulatorContext } from '../../handlers/context.js';
import { parseClientJson, parseObjectParam, type JsonObject } from '../../handlers/json-param.js';
import { storeTips } from '../deliver.js';
import { AddOption, ChangeFlag, GroupCode, Limits, ModifyInfoFlag as F, TipType } from '../model.js';
import { customInfo, optBool, optInt, optString, optUint } from '../params.js';
import { baseInfo, detailInfo, sortKeys } from '../render.js';
import { denial } from '../rules.js';
import type { Group, GroupPatch } from '../store.js';
import { caller, checkField, findGroup, isResult, okThen, refuse } from './common.js';

function detail(ctx: EmulatorContext, g: Group): Record<string, unknown> {
  const ids = ctx.store.groups.memberIds(g.groupId);
  const online = ids.filter((u) => ctx.sessions.connectionOf(u)?.session !== undefined).length;
  return detailInfo(g, ids.length, online);
}

/** GroupBaseInfo with the GroupDetailInfo keys beside it, as v8 returns them (reference B.29). */
export function getJoinedGroupList(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 0);
  const list = ctx.store.groups.joinedGroups(caller(call)).map((j) => sortKeys({ ...baseInfo(j.group, j), ...detail(ctx, j.group) }));
  return ok(stringifyJson(list));
}

export function getGroupInfoList(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const text = stringArg(call.args, 0, 'json_group_getinfo_param');
  const ids = parseClientJson(text, 'json_group_getinfo_param');
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string')) {
    throw new ArgError('json_group_getinfo_param must be a non-empty JSON array of group id strings');
  }
  if (ids.length > Limits.infoIds) return failure(GroupCode.INFO_LIMIT, `at most ${Limits.infoIds} groups per call`);
  const results = (ids as string[]).map((id) => {
    const g = id.length > 0 ? ctx.store.groups.group(id) : undefined;
    if (g === undefined) {
      return { get_groups_info_result_code: GroupCode.NOT_FOUND, get_groups_info_result_desc: `group "${id}" does not exist` };
    }
    return { get_groups_info_result_code: 0, get_groups_info_result_desc: '', get_groups_info_result_info: detail(ctx, g) };
  });
  return ok(stringifyJson(results));
}

const KNOWN_FLAGS = Object.values(F).reduce((a, b) => (a | b) >>> 0, 0);

type Change = Record<string, unknown>;
const change = (flag: number, value: string, extra: Change = {}): Change =>
  ({ group_tips_group_change_info_flag: flag, group_tips_group_change_info_value: value, ...extra });

/** The patch and the tip changes of the non-owner flags, or the failure. */
function profileChange(p: JsonObject, flag: number, g: Group, memberCount: number): { patch: GroupPatch; changes: Change[] } | CallResult {
  const patch: GroupPatch = {};
  const changes: Change[] = [];
  const text = (bit: number, key: string, field: 'name' | 'notification' | 'introduction' | 'faceUrl', tip: number): CallResult | undefined => {
    if (!(flag & bit)) return undefined;
    const v = optString(p, key) ?? '';
    const bad = checkField(field, v);
    if (bad) return refuse(bad);
    patch[field] = v;
    changes.push(change(tip, v));
    return undefined;
  };
  const failed = text(F.Name, 'group_modify_info_param_group_name', 'name', ChangeFlag.Name)
    ?? text(F.Notification, 'group_modify_info_param_notification', 'notification', ChangeFlag.Notification)
    ?? text(F.Introduction, 'group_modify_info_param_introduction', 'introduction', ChangeFlag.Introduction)
    ?? text(F.FaceUrl, 'group_modify_info_param_face_url', 'faceUrl', ChangeFlag.FaceUrl);
  if (failed) return failed;
  for (const [bit, key, field, tip] of [
    [F.AddOption, 'group_modify_info_param_add_option', 'addOption', ChangeFlag.GroupAddOpt],
    [F.ApproveOption, 'group_modify_info_param_approve_option', 'approveOption', ChangeFlag.GroupApproveOpt],
  ] as const) {
    if (!(flag & bit)) continue;
    const v = optUint(p, key) ?? AddOption.Any;
    if (v > AddOption.Any) return failure(GroupCode.INVALID_PARAMETERS, `${key} must be 0, 1 or 2`);
    patch[field] = v;
    changes.push(change(tip, String(v), { group_tips_group_change_info_int_value: v }));
  }
  if (flag & F.MaxMemberNum) {
    const v = optUint(p, 'group_modify_info_param_max_member_num') ?? 0;
    if (v > 0 && v < memberCount) return failure(GroupCode.INVALID_PARAMETERS, `max_member_num ${v} is below the ${memberCount} members`);
    patch.maxMemberNum = v;
  }
  if (flag & F.Visible) patch.visible = optUint(p, 'group_modify_info_param_visible') ?? 0;
  if (flag & F.Searchable) patch.searchable = optUint(p, 'group_modify_info_param_searchable') ?? 0;
  if (flag & F.ShutupAll) {
    const v = optBool(p, 'group_modify_info_param_is_shutup_all') ?? false;
    patch.shutupAll = v;
    changes.push(change(ChangeFlag.ShutupAll, v ? '1' : '0', { group_tips_group_change_info_bool_value: v }));
  }
  if (flag & F.Custom) {
    const entries = customInfo(p, 'group_modify_info_param_custom_info', 'group_info') ?? [];
    const merged = new Map(g.customInfo.map((e) => [e.key, e.value]));
    for (const e of entries) merged.set(e.key, e.value);
    patch.customInfo = [...merged].map(([key, value]) => ({ key, value }));
    for (const e of entries) changes.push(change(ChangeFlag.Custom, e.value, { group_tips_group_change_info_key: e.key }));
  }
  return { patch, changes };
}

export function modifyGroupInfo(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const p = parseObjectParam(stringArg(call.args, 0, 'json_group_modifyinfo_param'), 'json_group_modifyinfo_param');
  const g = findGroup(ctx, optString(p, 'group_modify_info_param_group_id'));
  if (isResult(g)) return g;
  const raw = optInt(p, 'group_modify_info_param_modify_flag');
  // Owner is 0x01 << 31: jsoncpp writes it as -2147483648, others as 2147483648. Both mean bit 31.
  const flag = raw === undefined ? 0 : raw >>> 0;
  if (flag === 0) return failure(GroupCode.INVALID_PARAMETERS, 'group_modify_info_param_modify_flag selects nothing');
  if ((flag & ~KNOWN_FLAGS) >>> 0 !== 0) {
    return failure(GroupCode.INVALID_PARAMETERS, `modify flag bits 0x${((flag & ~KNOWN_FLAGS) >>> 0).toString(16)} are not supported`);
  }
  const me = caller(call);
  const role = ctx.store.groups.member(g.groupId, me)?.role;
  const now = nowSeconds(ctx);

  if (flag & F.Owner) {
    if (flag !== F.Owner) return failure(GroupCode.INVALID_PARAMETERS, 'the owner flag must be the only flag');
    const no = denial('transferOwner', g.groupType, role);
    if (no) return refuse(no);
    const newOwner = optString(p, 'group_modify_info_param_owner') ?? '';
    if (ctx.store.groups.member(g.groupId, newOwner) === undefined) {
      return failure(GroupCode.INVALID_PARAMETERS, `the new owner "${newOwner}" is not a member of the group`);
    }
    if (newOwner === me) return ok('');
    ctx.store.groups.transferOwner(g.groupId, me, newOwner, now);
    return okThen('', [storeTips(ctx, {
      tipType: TipType.GroupInfoChange, groupId: g.groupId, opUser: me, groupChanges: [change(ChangeFlag.Owner, newOwner)],
    }, ctx.store.groups.memberIds(g.groupId))]);
  }

  const no = denial('modifyInfo', g.groupType, role);
  if (no) return refuse(no);
  const r = profileChange(p, flag, g, ctx.store.groups.memberCount(g.groupId));
  if (isResult(r)) return r;
  ctx.store.groups.updateGroup(g.groupId, r.patch, now);
  if (r.changes.length === 0) return ok('');
  return okThen('', [storeTips(ctx, {
    tipType: TipType.GroupInfoChange, groupId: g.groupId, opUser: me, groupChanges: r.changes,
  }, ctx.store.groups.memberIds(g.groupId))]);
}
