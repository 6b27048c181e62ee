/**
 * Conversation functions: TIMConvGetConvList (20), TIMConvCreate (18),
 * TIMConvDelete (19), TIMConvSetDraft (21), TIMConvCancelDraft (22).
 *
 * - Create: a C2C peer must be an account (20003); a group must be readable
 *   by the user (group module's rule). An existing conversation is returned
 *   as it is; a new one gets its unread count and last message from the
 *   visible history, and its owner gets EVENT 6 Add.
 * - Delete: removes the conversation and its draft from the owner's list and
 *   deletes its messages for the owner (as v8's deleteConversation does);
 *   the owner gets EVENT 6 Delete. An unknown conversation is 6004.
 * - SetDraft / CancelDraft have no callback (request id 0, no REPLY). A draft
 *   on a conversation the user does not have creates it. The owner gets
 *   EVENT 6 (Add or Update). Invalid drafts are logged and ignored.
 */
import { stringifyJson } from '../../json/lossless.js';
import { ErrorCode } from '../errors.js';
import { convInfoView, renderConversations } from '../render.js';
import type { Scope } from '../storage/history.js';
import { ConvType } from '../storage/store.js';
import { expectArgCount, intArg, stringArg } from './args.js';
import { failure, nowSeconds, ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { ensureConversation } from './conversation-state.js';
import { checkElements } from './elements.js';
import { GROUP_ACCESS } from '../groups/access.js';
import type { GroupAccessKind } from './group-access.js';
import { isJsonObject, parseObjectParam } from './json-param.js';
import { checkC2CReceiver } from './message.js';
import { ConvEvent, convEvent } from './notify.js';

export function getConvList(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 0);
  return ok(renderConversations(ctx.store.conversations(call.conn.session!.userId)));
}

/**
 * The conversation named by the first two arguments, or the failure to
 * answer. Group conversations follow the group module's rules for `kind`
 * (group-access.ts): `read` for the group's history and revokes, `own` for
 * what acts on the caller's copy only.
 */
export function conversationScope(ctx: EmulatorContext, call: CallInput, kind: GroupAccessKind): Scope | CallResult {
  const convId = stringArg(call.args, 0, 'conv_id');
  const convType = intArg(call.args, 1, 'conv_type');
  const owner = call.conn.session!.userId;
  if (convType === ConvType.C2C) {
    const bad = checkC2CReceiver(ctx, convId);
    if (bad) return bad;
  } else if (convType === ConvType.Group) {
    if (convId.length === 0) return failure(ErrorCode.INVALID_PARAMETERS, 'conv_id is empty');
    const denied = GROUP_ACCESS.check(ctx, owner, convId, kind);
    if (denied) return failure(denied.code, denied.desc);
  } else {
    return failure(ErrorCode.INVALID_CONVERSATION, `${call.functionName} does not accept conv_type ${convType}`);
  }
  return { owner, convType, convId };
}

const isScope = (v: Scope | CallResult): v is Scope => 'owner' in v;

export function convCreate(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 2);
  const s = conversationScope(ctx, call, 'own');
  if (!isScope(s)) return s;
  const { conversation, created } = ctx.store.transaction(() => ensureConversation(ctx, s, nowSeconds(ctx)));
  return ok(stringifyJson(convInfoView(conversation)), created ? () => convEvent(ctx, ConvEvent.Add, conversation) : undefined);
}

export function convDelete(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 2);
  const convId = stringArg(call.args, 0, 'conv_id');
  const convType = intArg(call.args, 1, 'conv_type');
  const owner = call.conn.session!.userId;
  const s: Scope = { owner, convType, convId };
  const removed = ctx.store.transaction(() => {
    const existing = ctx.store.convs.get(owner, convType, convId);
    if (existing === undefined) return undefined;
    ctx.store.convs.remove(owner, convType, convId);
    ctx.store.history.clear(s, ctx.store.history.maxId(s));
    return existing;
  });
  if (removed === undefined) return failure(ErrorCode.INVALID_CONVERSATION, `conversation ${convType}/"${convId}" not found`);
  return ok('', () => convEvent(ctx, ConvEvent.Delete, removed));
}

/** Answers a call without callback: its result is only logged when it failed. */
function noReply(ctx: EmulatorContext, call: CallInput, r: CallResult): CallResult {
  if (r.code !== 0) ctx.log.warn(`${call.conn.tag}: ${call.functionName} ignored: ${r.desc}`);
  return r;
}

export function convSetDraft(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const s = conversationScope(ctx, call, 'own');
  if (!isScope(s)) return noReply(ctx, call, s);
  const draft = parseObjectParam(stringArg(call.args, 2, 'json_draft_param'), 'json_draft_param');
  const msg = draft['draft_msg'];
  if (!isJsonObject(msg)) return noReply(ctx, call, failure(ErrorCode.INVALID_PARAMETERS, 'draft_msg must be a message object'));
  const elems = checkElements(msg['message_elem_array']);
  if (!elems.ok) return noReply(ctx, call, failure(ErrorCode.INVALID_MSG_ELEM, `draft_msg: ${elems.desc}`));
  const now = nowSeconds(ctx);
  const editTime = draft['draft_edit_time'];
  const userDefine = draft['draft_user_define'];
  const stored = stringifyJson({
    draft_edit_time: typeof editTime === 'number' && Number.isSafeInteger(editTime) && editTime >= 0 ? editTime : now,
    draft_msg: { ...msg, message_elem_array: elems.elems },
    draft_user_define: typeof userDefine === 'string' ? userDefine : '',
  });
  const { conversation, created } = ctx.store.transaction(() => {
    const r = ensureConversation(ctx, s, now);
    ctx.store.convs.setDraft(s.owner, s.convType, s.convId, stored);
    return { conversation: ctx.store.convs.get(s.owner, s.convType, s.convId)!, created: r.created };
  });
  return ok('', () => convEvent(ctx, created ? ConvEvent.Add : ConvEvent.Update, conversation));
}

export function convCancelDraft(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 2);
  const convId = stringArg(call.args, 0, 'conv_id');
  const convType = intArg(call.args, 1, 'conv_type');
  const owner = call.conn.session!.userId;
  const existing = ctx.store.convs.get(owner, convType, convId);
  if (existing?.draft === undefined) return ok();
  ctx.store.convs.setDraft(owner, convType, convId, null);
  const after = ctx.store.convs.get(owner, convType, convId)!;
  return ok('', () => convEvent(ctx, ConvEvent.Update, after));
}
