/**
 * Changing stored messages: TIMMsgReportReaded (24), TIMMsgRevoke (25),
 * TIMMsgDelete (30). Each names the conversation by its first two
 * arguments and a message as received (seq, rand, sender).
 *
 * ReportReaded: the user's read mark moves to the message (or, with NULL /
 * `{}`, to the newest message) and never back; the unread count is
 * recomputed (EVENT 6 Update to the reader). C2C, when the mark moved: the
 * peer's conversation shows its messages as peer-read (EVENT 6 Update) and,
 * when both users enabled `user_config_is_read_receipt` through
 * TIMSetConfig, the peer gets EVENT 2. A conversation the user does not
 * have: 6004.
 *
 * Revoke: only the sender may revoke (C2C 7014); in groups the group
 * module's rules apply (groups/access.ts: members only, 10007; the owner and
 * admins also revoke the messages of members they outrank; tips never;
 * 10032), within the emulator's time limit (default 120 s after the server
 * time). The message keeps its elements and gets status 6 and its revoker;
 * both sides (group: the current members) get EVENT 3 with its locator and
 * EVENT 6 Update (unread counts drop). Revoking a revoked message: success,
 * no events.
 *
 * Delete: one message, or with `{}` / no message every message of the
 * conversation, for this user only (the other side keeps them); the
 * conversation's unread and last message are recomputed (EVENT 6 Update).
 */
import { stringifyJson } from '../../json/lossless.js';
import type { Connection } from '../connection.js';
import { ErrorCode } from '../errors.js';
import { convIdOf, MSG_STATUS_REVOKED, uniqueIdOf } from '../render.js';
import type { Scope } from '../storage/history.js';
import { ConvType, type StoredMessage } from '../storage/store.js';
import { arg } from '../wire/codec.js';
import { EventId } from '../wire/constants.js';
import { expectArgCount, nullableStringArg, stringArg } from './args.js';
import { failure, nowSeconds, ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { conversationScope } from './conversation.js';
import { refreshAndNotify, refreshConversation } from './conversation-state.js';
import { GROUP_ACCESS } from '../groups/access.js';
import { isJsonObject, parseObjectParam } from './json-param.js';
import { isEmptyMessage, keyOfMessage } from './locate.js';
import { toUser } from './notify.js';

/** Revoke refusals (reference § D.2). */
export const RevokeCode = {
  /** ERR_SDK_INVALID_OPERATION: a C2C message of the peer, or an imported / saved message. */
  NOT_SENDER: 7014,
  /** ERR_SVR_MSG_REVOKE_TIME_LIMIT */
  TIME_LIMIT: 20016,
  /** ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND */
  GROUP_NOT_FOUND: 10030,
  /** ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT */
  GROUP_TIME_LIMIT: 10031,
  /** ERR_SVR_GROUP_REVOKE_MSG_DENY */
  GROUP_DENY: 10032,
} as const;

const isScope = (v: Scope | CallResult): v is Scope => 'owner' in v;

/** Whether the connection's TIMSetConfig enabled read receipts. */
export function readReceiptsEnabled(conn: Connection | undefined): boolean {
  const config = conn?.config;
  if (!isJsonObject(config)) return false;
  const user = config['set_config_user_config'];
  return isJsonObject(user) && user['user_config_is_read_receipt'] === true;
}

export function reportReaded(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const s = conversationScope(ctx, call, 'own');
  if (!isScope(s)) return s;
  const text = nullableStringArg(call.args, 2, 'json_msg_param');
  const param = text === null || text.trim() === '' ? undefined : parseObjectParam(text, 'json_msg_param');
  if (ctx.store.convs.get(s.owner, s.convType, s.convId) === undefined) {
    return failure(ErrorCode.INVALID_CONVERSATION, `conversation ${s.convType}/"${s.convId}" not found`);
  }
  let upTo: number;
  if (isEmptyMessage(param)) upTo = ctx.store.history.maxId(s);
  else {
    const m = ctx.store.history.locate(s, keyOfMessage(s, param, 'json_msg_param'));
    if (m === undefined) return failure(ErrorCode.INVALID_PARAMETERS, 'json_msg_param is not a message of this conversation');
    upTo = m.id;
  }
  const now = nowSeconds(ctx);
  const moved = ctx.store.transaction(() => ctx.store.history.markRead(s, upTo, now));
  return ok('', () => {
    refreshAndNotify(ctx, s);
    if (!moved || s.convType !== ConvType.C2C || s.convId === s.owner) return;
    refreshAndNotify(ctx, { owner: s.convId, convType: ConvType.C2C, convId: s.owner });
    const peer = ctx.sessions.connectionOf(s.convId);
    if (!readReceiptsEnabled(call.conn) || !readReceiptsEnabled(peer)) return;
    const receipt = { msg_receipt_conv_id: s.owner, msg_receipt_conv_type: ConvType.C2C, msg_receipt_is_peer_read: true, msg_receipt_time_stamp: now };
    toUser(ctx, s.convId, EventId.MsgReadedReceipt, [arg.str(stringifyJson([receipt]))]);
  });
}

/** The MsgLocator of `m` as `viewer` sees it, with v8's revoker keys. */
function revokeInfo(m: StoredMessage, viewer: string, revoker: string): Record<string, unknown> {
  return {
    message_locator_conv_id: convIdOf(m, viewer),
    message_locator_conv_type: m.convType,
    message_locator_is_revoked: true,
    message_locator_is_self: m.sender === viewer,
    message_locator_rand: m.rand,
    message_locator_seq: m.seq,
    message_locator_time: m.serverTime,
    message_locator_unique_id: uniqueIdOf(m),
    message_revoke_reason: '',
    message_revoker_user_id: revoker,
  };
}

export function revoke(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const s = conversationScope(ctx, call, 'read');
  if (!isScope(s)) return s;
  const key = keyOfMessage(s, parseObjectParam(stringArg(call.args, 2, 'json_msg_param'), 'json_msg_param'), 'json_msg_param');
  const group = s.convType === ConvType.Group;
  const m = ctx.store.history.locate(s, key);
  if (m === undefined) {
    return failure(group ? RevokeCode.GROUP_NOT_FOUND : ErrorCode.INVALID_PARAMETERS, 'json_msg_param is not a message of this conversation');
  }
  if (m.status === MSG_STATUS_REVOKED) return ok();
  if (m.localOwner !== undefined) return failure(RevokeCode.NOT_SENDER, 'an imported or saved message cannot be revoked');
  if (group) {
    const denied = GROUP_ACCESS.revokeDenial(ctx, s.owner, s.convId, m.sender);
    if (denied) return failure(denied.code, denied.desc);
  } else if (m.sender !== s.owner) {
    return failure(RevokeCode.NOT_SENDER, `only the sender (${m.sender}) may revoke this message`);
  }
  const now = nowSeconds(ctx);
  const limit = ctx.rules.revokeTimeLimitSeconds;
  if (now - m.serverTime > limit) {
    return failure(group ? RevokeCode.GROUP_TIME_LIMIT : RevokeCode.TIME_LIMIT, `a message can be revoked within ${limit} s of being sent`);
  }
  ctx.store.history.revoke(m.id, s.owner, now);
  const revoked: StoredMessage = { ...m, status: MSG_STATUS_REVOKED, revokedBy: s.owner, revokedAt: now };
  const told = group ? [...new Set([s.owner, ...GROUP_ACCESS.members(ctx, s.convId)])] : [...new Set([s.owner, s.convId])];
  // Former members who keep the group conversation hear nothing, but their unread count must not keep the revoked message.
  const toldSet = new Set(told);
  const silent = group ? ctx.store.convs.owners(ConvType.Group, s.convId).filter((u) => !toldSet.has(u)) : [];
  return ok('', () => {
    for (const user of told) {
      toUser(ctx, user, EventId.MsgRevoke, [arg.str(stringifyJson([revokeInfo(revoked, user, s.owner)]))]);
      refreshAndNotify(ctx, { owner: user, convType: s.convType, convId: convIdOf(revoked, user) });
    }
    for (const user of silent) refreshConversation(ctx, { owner: user, convType: s.convType, convId: s.convId });
  });
}

export function deleteMsg(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const s = conversationScope(ctx, call, 'own');
  if (!isScope(s)) return s;
  const p = parseObjectParam(stringArg(call.args, 2, 'json_msgdel_param'), 'json_msgdel_param');
  const target = p['msg_delete_param_msg'];
  if (isEmptyMessage(target)) {
    ctx.store.transaction(() => ctx.store.history.clear(s, ctx.store.history.maxId(s)));
  } else {
    const m = ctx.store.history.locate(s, keyOfMessage(s, target, 'msg_delete_param_msg'));
    if (m === undefined) return failure(ErrorCode.INVALID_PARAMETERS, 'msg_delete_param_msg is not a message of this conversation');
    ctx.store.history.hide(s.owner, m.id);
  }
  return ok('', () => refreshAndNotify(ctx, s));
}
