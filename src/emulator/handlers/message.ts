/**
 * TIMMsgSendNewMsg (23). Group messages (conv_type 2) are delegated to the
 * group module; C2C messages are handled here.
 *
 * C2C: the elements are checked, the receiver must be an account; files the
 * elements name are uploaded (EVENT 4 progress to the sender), the message
 * hook runs; then the message is committed (seq, rand, server time, both
 * conversations, and the receiver's delivery cursor when it is delivered
 * live) before the REPLY; then EVENT 1 goes to the receiver, EVENT 6 to both
 * sides, and EVENT 11 to the sender when the hook changed the message.
 */
import { randomBytes } from 'node:crypto';
import { HOW_TO_IMPORT, isKnownAccount } from '../accounts.js';
import { ErrorCode } from '../errors.js';
import { MessageViews, messageJson } from '../render-json.js';
import { ConvType, type StoredMessage } from '../storage/store.js';
import { arg } from '../wire/codec.js';
import { EventId } from '../wire/constants.js';
import { expectArgCount, intArg, stringArg } from './args.js';
import { failure, nowSeconds, ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { parseObjectParam } from './json-param.js';
import { convChange, toUser } from './notify.js';
import {
  isCallResult, parseOutgoing, prepareAndCommit, type OutgoingTarget, type ParsedOutgoing, type PreparedOutgoing,
} from './outgoing.js';
import { sendGroupMessage } from '../groups/handlers/send.js';

export { MAX_MESSAGE_BODY_BYTES } from './outgoing.js';

/** Random u32s drawn from a pooled buffer (one randomBytes call per 1024 messages). */
const randomPool = { buf: Buffer.alloc(0), off: 0 };
export function randomU32(): number {
  if (randomPool.off + 4 > randomPool.buf.length) {
    randomPool.buf = randomBytes(4096);
    randomPool.off = 0;
  }
  const v = randomPool.buf.readUInt32BE(randomPool.off);
  randomPool.off += 4;
  return v;
}

/** Checks a C2C receiver: a non-empty id (6017) of an account, unless unknown ones are accepted (20003; accounts.ts). */
export function checkC2CReceiver(ctx: EmulatorContext, convId: string): CallResult | undefined {
  if (convId.length === 0) return failure(ErrorCode.INVALID_PARAMETERS, 'conv_id is empty');
  if (!isKnownAccount(ctx.store, ctx.rules.unknownAccounts, convId)) {
    return failure(ErrorCode.MSG_INVALID_ID, `receiver "${convId}" is not an account: it ${HOW_TO_IMPORT}`);
  }
  return undefined;
}

export function sendNewMsg(ctx: EmulatorContext, call: CallInput): CallResult | Promise<CallResult> {
  expectArgCount(call.args, 3);
  const convId = stringArg(call.args, 0, 'conv_id');
  const convType = intArg(call.args, 1, 'conv_type');
  const text = stringArg(call.args, 2, 'json_msg_param');
  if (convType === ConvType.Group) {
    ctx.store.commits.flush();
    return sendGroupMessage(ctx, call);
  }
  if (convType !== ConvType.C2C) {
    return failure(ErrorCode.INVALID_CONVERSATION, `TIMMsgSendNewMsg cannot send to conv_type ${convType}`);
  }
  const parsed = parseOutgoing(parseObjectParam(text, 'json_msg_param'));
  if (isCallResult(parsed)) return parsed;
  const bad = checkC2CReceiver(ctx, convId);
  if (bad) return bad;
  const target: OutgoingTarget = { convType: 1, convId, sender: call.conn.session!.userId };
  return prepareAndCommit(ctx, call, parsed, target, (prepared) => {
    const { message, after, views } = commitC2C(ctx, target, prepared);
    if (ctx.log.debugEnabled) ctx.log.debug(`${call.conn.tag}: C2C #${message.id} seq ${message.seq} to "${target.convId}"`);
    // The REPLY shows the elements as sent (the hook may have changed the stored ones).
    const reply = prepared.changed ? messageJson({ ...message, elems: prepared.sentElemsJson }, target.sender, {}, views.uniqueId) : views.of(target.sender);
    return ok(reply, after);
  });
}

/**
 * Stores a prepared C2C message and returns it with the follow-up work
 * (EVENT 1 to the receiver, EVENT 6 to both, EVENT 11 to the sender when the
 * hook changed it), to run after the REPLY.
 */
export function commitC2C(
  ctx: EmulatorContext,
  target: OutgoingTarget,
  prepared: PreparedOutgoing | (ParsedOutgoing & { elemsJson: string; changed: boolean }),
): { message: StoredMessage; after: () => void; views: MessageViews } {
  const { sender, convId } = target;
  const serverTime = nowSeconds(ctx);
  const peer = convId === sender ? undefined : ctx.sessions.connectionOf(convId);
  const liveStored = !prepared.isOnline && ctx.delivery.canDeliverLive(peer, ConvType.C2C);
  const { message, conversations } = ctx.store.sendC2C({
    convType: ConvType.C2C,
    sender,
    receiver: convId,
    rand: randomU32(),
    serverTime,
    clientTime: prepared.clientTime ?? serverTime,
    priority: prepared.priority,
    isOnline: prepared.isOnline,
    elems: prepared.elemsJson,
  });
  // The elements were written by stringifyJson (outgoing.ts), as render-json.ts requires.
  const views = new MessageViews(message);
  const after = (): void => {
    if (peer !== undefined && (liveStored || (prepared.isOnline && peer.session !== undefined))) {
      ctx.delivery.deliverLive(peer, message, views);
    }
    // A conversation touched by the send carries no read marks: its last message reads as views.of(owner).
    for (const change of conversations) convChange(ctx, change, views.of(change.conversation.owner));
    if (prepared.changed) toUser(ctx, sender, EventId.MsgUpdate, [arg.str('[' + views.of(sender) + ']')]);
  };
  return { message, after, views };
}
