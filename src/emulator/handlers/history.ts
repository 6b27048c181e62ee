/**
 * Reading history: TIMMsgGetMsgList (29) and TIMMsgFindByMsgLocatorList (26).
 *
 * GetMsgList pages through the messages the user sees in the conversation
 * (storage/history.ts), by (server time, id):
 * - `msg_getmsglist_param_last_msg` is the anchor (excluded); `{}` or absent
 *   = from the newest (older) or from the oldest (newer);
 * - `msg_getmsglist_param_is_forward` true = newer than the anchor, oldest
 *   first; false (default) = older, newest first; so the last message of a
 *   page is the anchor of the next one in the same direction;
 * - `msg_getmsglist_param_count` default 20 (must be ≥ 1);
 * - past either end: `[]`. A conversation without messages: `[]`.
 * - an anchor not in the conversation: 6017. The ramble flag is ignored
 *   (everything is on the server); the v8 filters (type array, time range,
 *   seq list) are not supported and ignored.
 *
 * FindByMsgLocatorList answers the messages its locators name that the user
 * sees, in the order of the locators; the others are left out.
 */
import { ErrorCode } from '../errors.js';
import { renderMessages, type ReadMarks } from '../render.js';
import type { Scope } from '../storage/history.js';
import { expectArgCount, stringArg } from './args.js';
import { failure, ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { conversationScope } from './conversation.js';
import { isJsonObject, parseObjectParam } from './json-param.js';
import { parseArrayParam } from './json-array.js';
import { isEmptyMessage, keyOfLocator, keyOfMessage } from './locate.js';

export const DEFAULT_PAGE_SIZE = 20;

/** What the viewer and (C2C) the peer have read. */
export function viewMarks(ctx: EmulatorContext, s: Scope): ReadMarks {
  const readUpTo = ctx.store.history.marks(s).readUpTo;
  if (s.convType !== 1) return { readUpTo };
  return { readUpTo, peerReadUpTo: ctx.store.history.marks({ owner: s.convId, convType: 1, convId: s.owner }).readUpTo };
}

export function getMsgList(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const s = conversationScope(ctx, call, 'read');
  if (!('owner' in s)) return s;
  const p = parseObjectParam(stringArg(call.args, 2, 'json_get_msg_param'), 'json_get_msg_param');
  const count = p['msg_getmsglist_param_count'] ?? DEFAULT_PAGE_SIZE;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
    return failure(ErrorCode.INVALID_PARAMETERS, 'msg_getmsglist_param_count must be a positive integer');
  }
  const newer = p['msg_getmsglist_param_is_forward'] === true;
  const anchorParam = p['msg_getmsglist_param_last_msg'];
  let anchor: { serverTime: number; id: number } | undefined;
  if (!isEmptyMessage(anchorParam)) {
    const found = ctx.store.history.locate(s, keyOfMessage(s, anchorParam, 'msg_getmsglist_param_last_msg'), false);
    if (found === undefined) return failure(ErrorCode.INVALID_PARAMETERS, 'msg_getmsglist_param_last_msg is not a message of this conversation');
    anchor = { serverTime: found.serverTime, id: found.id };
  }
  const page = ctx.store.history.page(s, anchor, newer, count);
  return ok(renderMessages(page, s.owner, viewMarks(ctx, s)));
}

export function findByMsgLocatorList(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const s = conversationScope(ctx, call, 'read');
  if (!('owner' in s)) return s;
  const locators = parseArrayParam(stringArg(call.args, 2, 'json_msg_Locator_array'), 'json_msg_Locator_array');
  const found = [];
  for (const l of locators) {
    const key = isJsonObject(l) ? keyOfLocator(s, l) : undefined;
    const m = key === undefined ? undefined : ctx.store.history.locate(s, key);
    if (m !== undefined) found.push(m);
  }
  return ok(renderMessages(found, s.owner, viewMarks(ctx, s)));
}
