/**
 * TIMGroupGetPendencyList (44), TIMGroupReportPendencyReaded (45),
 * TIMGroupHandlePendency (46).
 *
 * Only the approver lists a pendency: the owner and admins for join
 * requests, the invitee for invitations. Pages go newest first by add time
 * (UTC ms, unique); `next_start_time` is the add time of the last item
 * returned (0 = no more) and the next page holds those added before it.
 * A pendency is handled once (10024 afterwards); handled ones stay listed.
 */
import { stringifyJson } from '../../../json/lossless.js';
import { ArgError, expectArgCount, intArg, stringArg } from '../../handlers/args.js';
import { failure, ok, type CallInput, type CallResult, type EmulatorContext } from '../../handlers/context.js';
import { parseObjectParam } from '../../handlers/json-param.js';
import { storeReport, type After } from '../deliver.js';
import { GroupCode, JoinType, Limits, PendencyType, ReportType } from '../model.js';
import type { Pendency } from '../pendency-store.js';
import { optBool, optObject, optString, optU64, optUint } from '../params.js';
import { pendencyInfo } from '../render.js';
import { denial } from '../rules.js';
import { caller, findGroup, isResult, okThen, refuse } from './common.js';
import { admit } from './membership.js';

export function getPendencyList(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const p = parseObjectParam(stringArg(call.args, 0, 'json_group_getpendence_list_param'), 'json_group_getpendence_list_param');
  const start = optU64(p, 'group_pendency_option_start_time') ?? 0;
  const hint = optUint(p, 'group_pendency_option_max_limited') ?? 0;
  const limit = hint > 0 ? Math.min(hint, Limits.pendencyPageMax) : Limits.pendencyPage;
  const me = caller(call);
  const store = ctx.store.groups.pendencies;
  const found = store.page(me, start, limit + 1);
  const page = found.slice(0, limit);
  return ok(stringifyJson({
    group_pendency_result_next_start_time: found.length > limit ? page[page.length - 1]!.addTime : 0,
    group_pendency_result_pendency_array: page.map((x) => pendencyInfo(x, me)),
    group_pendency_result_read_time_seq: store.readTime(me),
    group_pendency_result_unread_num: store.unreadCount(me),
  }));
}

/** Seconds (the spec's unit) below 10^11, otherwise milliseconds (the unit of add times). */
function toMillis(timestamp: number): number {
  return timestamp < 1e11 ? timestamp * 1000 + 999 : timestamp;
}

export function reportPendencyReaded(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const timestamp = intArg(call.args, 0, 'time_stamp');
  ctx.store.groups.pendencies.markRead(caller(call), toMillis(timestamp));
  return ok('');
}

/** The pendency a handle request names: by `group_pendency_key`, else by its group, type, users and add time. */
function named(ctx: EmulatorContext, pend: Record<string, unknown>): Pendency | undefined {
  const store = ctx.store.groups.pendencies;
  const key = optString(pend, 'group_pendency_key');
  if (key !== undefined && /^\d+$/.test(key)) return store.byId(Number(key));
  return store.find({
    groupId: optString(pend, 'group_pendency_group_id') ?? '',
    type: optUint(pend, 'group_pendency_pendency_type') ?? PendencyType.JoinRequest,
    fromId: optString(pend, 'group_pendency_form_identifier') ?? '',
    toId: optString(pend, 'group_pendency_to_identifier') ?? '',
    addTime: optU64(pend, 'group_pendency_add_time') ?? 0,
  });
}

export function handlePendency(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const p = parseObjectParam(stringArg(call.args, 0, 'json_group_handle_pendency_param'), 'json_group_handle_pendency_param');
  const accept = optBool(p, 'group_handle_pendency_param_is_accept') ?? false;
  const message = optString(p, 'group_handle_pendency_param_handle_msg') ?? '';
  const pend = optObject(p, 'group_handle_pendency_param_pendency');
  if (pend === undefined) throw new ArgError('group_handle_pendency_param_pendency is required');
  const g = findGroup(ctx, optString(pend, 'group_pendency_group_id'));
  if (isResult(g)) return g;
  const pendency = named(ctx, pend);
  if (pendency === undefined || pendency.groupId !== g.groupId) {
    return failure(GroupCode.INVALID_PARAMETERS, 'no such pendency: pass one as TIMGroupGetPendencyList returned it');
  }
  const me = caller(call);
  const isJoin = pendency.type === PendencyType.JoinRequest;
  const no = isJoin
    ? denial('handleJoinRequest', g.groupType, ctx.store.groups.member(g.groupId, me)?.role)
    : (pendency.toId === me ? undefined : { code: GroupCode.PERMISSION_DENY, desc: 'only the invitee answers an invitation' });
  if (no) return refuse(no);
  if (pendency.handledBy !== '') return failure(GroupCode.ALREADY_PROCESSED, 'this pendency has been handled already');

  const newcomer = isJoin ? pendency.fromId : pendency.toId;
  const isMember = ctx.store.groups.member(g.groupId, newcomer) !== undefined;
  const count = ctx.store.groups.memberCount(g.groupId);
  if (accept && !isMember && g.maxMemberNum > 0 && count >= g.maxMemberNum) {
    return failure(GroupCode.FULL, `group "${g.groupId}" is full (${g.maxMemberNum})`);
  }
  if (!ctx.store.groups.pendencies.handle(pendency.id, me, accept, message)) {
    return failure(GroupCode.ALREADY_PROCESSED, 'this pendency has been handled already');
  }
  const afters: After[] = [];
  if (accept && !isMember) afters.push(admit(ctx, g, [newcomer], isJoin ? me : pendency.fromId, isJoin ? JoinType.Apply : JoinType.Invite));
  // The applicant hears of its request; the inviter of its invitation.
  const reportType = isJoin ? (accept ? ReportType.AddAccept : ReportType.AddRefuse) : (accept ? ReportType.InviteAccept : ReportType.InviteRefuse);
  afters.push(storeReport(ctx, { reportType, groupId: g.groupId, opUser: me, msg: message }, [pendency.fromId]));
  return okThen('', afters);
}
