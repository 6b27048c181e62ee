/**
 * TIMMsgSendNewMsg to a group (conv_type 2), delegated here by
 * ../../handlers/message.ts. Elements are checked as for C2C (same function,
 * same 6016 / 80002 codes). Only members may send (10007); a muted member, or
 * an ordinary member while everyone is muted, gets 10017. The message takes
 * the group's next seq and reaches every other member (EVENT 1, unread + 1).
 */
import { stringifyJson } from '../../../json/lossless.js';
import { ErrorCode } from '../../errors.js';
import { expectArgCount, stringArg } from '../../handlers/args.js';
import { failure, ok, nowSeconds, type CallInput, type CallResult, type EmulatorContext } from '../../handlers/context.js';
import { checkElements } from '../../handlers/elements.js';
import { parseObjectParam } from '../../handlers/json-param.js';
import { MAX_MESSAGE_BODY_BYTES } from '../../handlers/message.js';
import { renderMessage } from '../../render.js';
import { storeGroupMessage } from '../deliver.js';
import { GroupCode, Role } from '../model.js';
import { denial } from '../rules.js';
import { caller, findGroup, isResult, refuse } from './common.js';

const PRIORITY_NORMAL = 1;

function clientTimeOf(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : fallback;
}

function priorityOf(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 3 ? v : PRIORITY_NORMAL;
}

export function sendGroupMessage(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const groupId = stringArg(call.args, 0, 'conv_id');
  const input = parseObjectParam(stringArg(call.args, 2, 'json_msg_param'), 'json_msg_param');
  const checked = checkElements(input['message_elem_array']);
  if (!checked.ok) return failure(ErrorCode.INVALID_MSG_ELEM, checked.desc);
  const elems = stringifyJson(checked.elems);
  const bytes = Buffer.byteLength(elems, 'utf8');
  if (bytes > MAX_MESSAGE_BODY_BYTES) {
    return failure(ErrorCode.BODY_SIZE_LIMIT, `message body is ${bytes} bytes, above the ${MAX_MESSAGE_BODY_BYTES}-byte limit`);
  }
  const g = findGroup(ctx, groupId);
  if (isResult(g)) return g;
  const me = caller(call);
  const member = ctx.store.groups.member(g.groupId, me);
  const no = denial('sendMessage', g.groupType, member?.role);
  if (no) return refuse(no);
  const now = nowSeconds(ctx);
  if (member!.shutupUntil > now) {
    return failure(GroupCode.MUTED, `you are muted in "${g.groupId}" until ${new Date(member!.shutupUntil * 1000).toISOString()}`);
  }
  if (g.shutupAll && member!.role === Role.Member) return failure(GroupCode.MUTED, `everyone but the owner and admins is muted in "${g.groupId}"`);
  const { message, after } = storeGroupMessage(ctx, g.groupId, {
    sender: me,
    clientTime: clientTimeOf(input['message_client_time'], now),
    priority: priorityOf(input['message_priority']),
    isOnline: input['message_is_online_msg'] === true,
    elems,
  });
  ctx.log.debug(`${call.conn.tag}: group message #${message.id} seq ${message.seq} to "${g.groupId}"`);
  return ok(renderMessage(message, me), after);
}
