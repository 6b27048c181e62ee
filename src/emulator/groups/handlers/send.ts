/**
 * TIMMsgSendNewMsg to a group (conv_type 2), delegated here by
 * ../../handlers/message.ts. A group message goes through the same steps as
 * a C2C one (../../handlers/outgoing.ts): the elements and the body size are
 * checked (6016 / 80002), the files the elements name are uploaded with
 * EVENT 4 progress to the sender, the message hook runs (a refusal without
 * its own code is 10016; a change is what the members get, and the sender
 * gets EVENT 11). Around them, the group rules: only members may send
 * (10007); a muted member, or an ordinary member while everyone is muted,
 * gets 10017; an unknown group is 10010. The rules are checked again after
 * the uploads (the sender may have been removed or muted meanwhile). The
 * message takes the group's next seq and reaches every other member that
 * receives group messages (EVENT 1, unread + 1; kept for the next login of
 * those offline).
 */
import { expectArgCount, stringArg } from '../../handlers/args.js';
import { failure, ok, nowSeconds, type CallInput, type CallResult, type EmulatorContext } from '../../handlers/context.js';
import { parseObjectParam } from '../../handlers/json-param.js';
import { toUser } from '../../handlers/notify.js';
import {
  isCallResult, parseOutgoing, prepareAndCommit, type OutgoingTarget, type PreparedOutgoing,
} from '../../handlers/outgoing.js';
import { renderMessage } from '../../render.js';
import { arg } from '../../wire/codec.js';
import { EventId } from '../../wire/constants.js';
import { storeGroupMessage } from '../deliver.js';
import { GroupCode, Role } from '../model.js';
import { denial } from '../rules.js';
import type { Group } from '../store.js';
import { findGroup, isResult, refuse } from './common.js';

/** The group, when `userId` may post in it now; otherwise the refusal (10010, 10007, 10017). */
function mayPost(ctx: EmulatorContext, groupId: string, userId: string): Group | CallResult {
  const g = findGroup(ctx, groupId);
  if (isResult(g)) return g;
  const member = ctx.store.groups.member(g.groupId, userId);
  const no = denial('sendMessage', g.groupType, member?.role);
  if (no) return refuse(no);
  if (member!.shutupUntil > nowSeconds(ctx)) {
    return failure(GroupCode.MUTED, `you are muted in "${g.groupId}" until ${new Date(member!.shutupUntil * 1000).toISOString()}`);
  }
  if (g.shutupAll && member!.role === Role.Member) return failure(GroupCode.MUTED, `everyone but the owner and admins is muted in "${g.groupId}"`);
  return g;
}

export function sendGroupMessage(ctx: EmulatorContext, call: CallInput): CallResult | Promise<CallResult> {
  expectArgCount(call.args, 3);
  const groupId = stringArg(call.args, 0, 'conv_id');
  const parsed = parseOutgoing(parseObjectParam(stringArg(call.args, 2, 'json_msg_param'), 'json_msg_param'));
  if (isCallResult(parsed)) return parsed;
  const session = call.conn.session!;
  const g = mayPost(ctx, groupId, session.userId);
  if (isResult(g)) return g;
  const target: OutgoingTarget = { convType: 2, convId: g.groupId, sender: session.userId };
  return prepareAndCommit(ctx, call, parsed, target, (prepared) => commit(ctx, call, target, prepared));
}

function commit(ctx: EmulatorContext, call: CallInput, target: OutgoingTarget, prepared: PreparedOutgoing): CallResult {
  // The uploads took a while: the sender may have been removed or muted, or the group dissolved.
  const g = mayPost(ctx, target.convId, target.sender);
  if (isResult(g)) return g;
  const now = nowSeconds(ctx);
  const { message, after } = storeGroupMessage(ctx, g.groupId, {
    sender: target.sender,
    clientTime: prepared.clientTime ?? now,
    priority: prepared.priority,
    isOnline: prepared.isOnline,
    elems: prepared.elemsJson,
  });
  ctx.log.debug(`${call.conn.tag}: group message #${message.id} seq ${message.seq} to "${g.groupId}"`);
  const followUp = !prepared.changed ? after : (): void => {
    after();
    toUser(ctx, target.sender, EventId.MsgUpdate, [arg.str('[' + renderMessage(message, target.sender) + ']')]);
  };
  return ok(renderMessage({ ...message, elems: prepared.sentElemsJson }, target.sender), followUp);
}
