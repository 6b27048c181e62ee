/**
 * Messages stored for the calling user only: TIMMsgImportMsgList (27) and
 * TIMMsgSaveMsg (28). They are never delivered, never unread, and only their
 * owner sees them (in history, find, the conversation's last message).
 *
 * From each message: `message_elem_array` (checked as for a send, 6016),
 * `message_sender` (default the caller; C2C: the caller or the peer, else
 * 6017), `message_seq` (default 0), `message_rand` (default random),
 * `message_server_time` (default the client time, else now),
 * `message_client_time` (default the server time), `message_priority`,
 * `message_status` (1–7, default 5 = imported). The conversation is created
 * for the caller when missing and its last message / active time follow the
 * newest message (EVENT 6 Add or Update). An import stores all or nothing.
 *
 * Import answers `""`; Save answers the saved Message (as v8 does).
 */
import { stringifyJson } from '../../json/lossless.js';
import { ErrorCode } from '../errors.js';
import { renderMessage } from '../render.js';
import type { LocalMessage, Scope } from '../storage/history.js';
import { ConvType, type StoredMessage } from '../storage/store.js';
import { expectArgCount, stringArg } from './args.js';
import { failure, nowSeconds, ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { conversationScope } from './conversation.js';
import { ensureConversation, refreshConversation } from './conversation-state.js';
import { checkElements } from './elements.js';
import { parseArrayParam } from './json-array.js';
import { isJsonObject, parseObjectParam } from './json-param.js';
import { randomU32 } from './message.js';
import { ConvEvent, convEvent } from './notify.js';
import { isCallResult } from './outgoing.js';

/** kTIMMsg_LocalImported */
const STATUS_IMPORTED = 5;

const int = (v: unknown, min: number, max: number): number | undefined => {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
};

/** One message of the parameter as a local message of `s`, or the failure. */
function toLocal(ctx: EmulatorContext, s: Scope, m: unknown, name: string): LocalMessage | CallResult {
  if (!isJsonObject(m)) return failure(ErrorCode.INVALID_PARAMETERS, `${name} must be a message object`);
  const elems = checkElements(m['message_elem_array']);
  if (!elems.ok) return failure(ErrorCode.INVALID_MSG_ELEM, `${name}: ${elems.desc}`);
  const given = m['message_sender'];
  const sender = typeof given === 'string' && given !== '' ? given : s.owner;
  if (s.convType === ConvType.C2C && sender !== s.owner && sender !== s.convId) {
    return failure(ErrorCode.INVALID_PARAMETERS, `${name}: message_sender must be "${s.owner}" or "${s.convId}" in this conversation`);
  }
  const now = nowSeconds(ctx);
  const clientTime = int(m['message_client_time'], 1, Number.MAX_SAFE_INTEGER);
  const serverTime = int(m['message_server_time'], 1, Number.MAX_SAFE_INTEGER) ?? clientTime ?? now;
  return {
    convType: s.convType,
    sender,
    receiver: s.convType === ConvType.C2C ? (sender === s.owner ? s.convId : s.owner) : s.convId,
    seq: int(m['message_seq'], 0, Number.MAX_SAFE_INTEGER) ?? 0,
    rand: int(m['message_rand'], 0, 2 ** 32 - 1) ?? randomU32(),
    serverTime,
    clientTime: clientTime ?? serverTime,
    priority: int(m['message_priority'], 0, 3) ?? 1,
    isOnline: false,
    elems: stringifyJson(elems.elems),
    status: int(m['message_status'], 1, 7) ?? STATUS_IMPORTED,
    localOwner: s.owner,
  };
}

/** Stores `messages` for the owner of `s` and updates (or creates) the conversation; returns the stored ones. */
function store(ctx: EmulatorContext, s: Scope, messages: readonly LocalMessage[]): { stored: StoredMessage[]; after: () => void } {
  const { stored, created } = ctx.store.transaction(() => {
    const stored = messages.map((m) => ctx.store.history.insertLocal(m));
    const { created } = ensureConversation(ctx, s, nowSeconds(ctx));
    refreshConversation(ctx, s);
    return { stored, created };
  });
  const after = (): void => {
    const c = ctx.store.convs.get(s.owner, s.convType, s.convId);
    if (c !== undefined) convEvent(ctx, created ? ConvEvent.Add : ConvEvent.Update, c);
  };
  return { stored, after };
}

export function importMsgList(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const s = conversationScope(ctx, call, 'own');
  if (!('owner' in s)) return s;
  const list = parseArrayParam(stringArg(call.args, 2, 'json_msg_array'), 'json_msg_array');
  const locals: LocalMessage[] = [];
  for (let i = 0; i < list.length; i++) {
    const l = toLocal(ctx, s, list[i], `json_msg_array[${i}]`);
    if (isCallResult(l)) return l;
    locals.push(l);
  }
  if (locals.length === 0) return ok();
  return ok('', store(ctx, s, locals).after);
}

export function saveMsg(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const s = conversationScope(ctx, call, 'own');
  if (!('owner' in s)) return s;
  const l = toLocal(ctx, s, parseObjectParam(stringArg(call.args, 2, 'json_msg_param'), 'json_msg_param'), 'json_msg_param');
  if (isCallResult(l)) return l;
  const { stored, after } = store(ctx, s, [l]);
  return ok(renderMessage(stored[0]!, s.owner), after);
}
