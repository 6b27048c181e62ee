/**
 * TIMMsgSendNewMsg (23), C2C only in this slice.
 *
 * The message is committed (seq, rand, server time, both conversations, and
 * the receiver's delivery cursor when it is delivered live) before the
 * REPLY; then EVENT 1 goes to the receiver and EVENT 6 to both sides.
 */
import { randomBytes } from 'node:crypto';
import { stringifyJson } from '../../json/lossless.js';
import { ErrorCode } from '../errors.js';
import { convInfoView, renderMessage } from '../render.js';
import { ConvType, type ConversationChange } from '../storage/store.js';
import { arg } from '../wire/codec.js';
import { EventId } from '../wire/constants.js';
import { expectArgCount, intArg, stringArg } from './args.js';
import { failure, ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { checkElements } from './elements.js';
import { parseObjectParam } from './json-param.js';

/** Largest `message_elem_array` accepted, in UTF-8 bytes of its JSON (the cloud's 12 KB message limit). */
export const MAX_MESSAGE_BODY_BYTES = 12 * 1024;

/** kTIMConvEvent_Add / kTIMConvEvent_Update */
const CONV_EVENT_ADD = 0;
const CONV_EVENT_UPDATE = 2;

const PRIORITY_NORMAL = 1;

/** Random u32s drawn from a pooled buffer (one randomBytes call per 1024 messages). */
const randomPool = { buf: Buffer.alloc(0), off: 0 };
function randomU32(): number {
  if (randomPool.off + 4 > randomPool.buf.length) {
    randomPool.buf = randomBytes(4096);
    randomPool.off = 0;
  }
  const v = randomPool.buf.readUInt32BE(randomPool.off);
  randomPool.off += 4;
  return v;
}

function optionalTime(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

function priorityOf(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 3 ? v : PRIORITY_NORMAL;
}

export function sendNewMsg(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const convId = stringArg(call.args, 0, 'conv_id');
  const convType = intArg(call.args, 1, 'conv_type');
  const text = stringArg(call.args, 2, 'json_msg_param');
  if (convType === ConvType.Group) {
    return failure(ErrorCode.NOT_IMPLEMENTED, 'group messages are not implemented yet by the tim-rx emulator');
  }
  if (convType !== ConvType.C2C) {
    return failure(ErrorCode.INVALID_CONVERSATION, `TIMMsgSendNewMsg cannot send to conv_type ${convType}`);
  }
  const input = parseObjectParam(text, 'json_msg_param');
  const checked = checkElements(input['message_elem_array']);
  if (!checked.ok) return failure(ErrorCode.INVALID_MSG_ELEM, checked.desc);
  const elems = stringifyJson(checked.elems);
  const bodyBytes = Buffer.byteLength(elems, 'utf8');
  if (bodyBytes > MAX_MESSAGE_BODY_BYTES) {
    return failure(
      ErrorCode.BODY_SIZE_LIMIT,
      `message body is ${bodyBytes} bytes, above the ${MAX_MESSAGE_BODY_BYTES}-byte limit`,
    );
  }
  if (convId.length === 0) return failure(ErrorCode.INVALID_PARAMETERS, 'conv_id is empty');
  if (!ctx.store.accountExists(convId)) {
    return failure(
      ErrorCode.MSG_INVALID_ID,
      `receiver "${convId}" is unknown: the account was never logged in to this emulator`,
    );
  }

  const sender = call.conn.session!.userId;
  const serverTime = Math.floor(Date.now() / 1000);
  const isOnline = input['message_is_online_msg'] === true;
  const target = convId === sender ? undefined : ctx.sessions.connectionOf(convId);
  const liveStored = !isOnline && ctx.delivery.canDeliverLive(target);
  const { message, conversations } = ctx.store.sendC2C(
    {
      convType: ConvType.C2C,
      sender,
      receiver: convId,
      rand: randomU32(),
      serverTime,
      clientTime: optionalTime(input['message_client_time']) ?? serverTime,
      priority: priorityOf(input['message_priority']),
      isOnline,
      elems,
    },
    liveStored,
  );
  ctx.log.debug(`${call.conn.tag}: C2C #${message.id} seq ${message.seq} to "${convId}"`);

  const after = (): void => {
    if (target !== undefined && (liveStored || (isOnline && target.session !== undefined))) {
      ctx.delivery.deliverLive(target, message);
    }
    for (const change of conversations) sendConvEvent(ctx, change);
  };
  return ok(renderMessage(message, sender), after);
}

function sendConvEvent(ctx: EmulatorContext, change: ConversationChange): void {
  const conn = ctx.sessions.connectionOf(change.conversation.owner);
  if (conn === undefined) return;
  conn.event(EventId.ConvEvent, [
    arg.i64(change.created ? CONV_EVENT_ADD : CONV_EVENT_UPDATE),
    arg.str(stringifyJson([convInfoView(change.conversation)])),
  ]);
}
