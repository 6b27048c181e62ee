/**
 * The hand-written decoder of ConvInfo (B3): the model exactly as the
 * `Conversation` codec builds it, or `MISMATCH` (see fast.ts). Drafts and
 * group types are rare: their io-ts codecs decode them.
 */
import type { Conversation } from './conversation.js';
import { Draft } from './draft.js';
import { ConvType } from './enums.js';
import { enumOf, optBool, optEnumOf, optInt, optStr, optU64, put, record, str, via, type Mutable } from './fast.js';
import { GroupType, ReceiveMessageOption } from './group-enums.js';
import { fastMessage } from './message-fast.js';
import type { Message } from './message.js';

/** A ConvInfo as the `Conversation` codec decodes it; throws `MISMATCH` for anything else. */
export function fastConversation(u: unknown): Conversation {
  const r = record(u);
  const id = str(r['conv_id']);
  const type = enumOf(ConvType, r['conv_type']);
  const unreadCount = optInt(r['conv_unread_num']);
  const activeTime = optU64(r['conv_active_time']);
  const hasLast = optBool(r['conv_is_has_lastmsg']);
  const rawLast = r['conv_last_msg'];
  const last: Message | undefined = rawLast === undefined ? undefined : fastMessage(rawLast);
  const hasDraft = optBool(r['conv_is_has_draft']);
  const rawDraft = r['conv_draft'];
  const draft = rawDraft === undefined ? undefined : via(Draft, rawDraft);
  const isPinned = optBool(r['conv_is_pinned']);
  const showName = optStr(r['conv_show_name']);
  const faceUrl = optStr(r['conv_face_url']);
  const rawGroupType = r['conv_group_type'];
  const groupType = rawGroupType === undefined ? undefined : via(GroupType, rawGroupType);
  const receiveOption = optEnumOf(ReceiveMessageOption, r['conv_recv_opt']);
  const c = { key: { type, id }, unreadCount: unreadCount ?? 0, activeTime: activeTime ?? 0n } as Mutable<Conversation>;
  // The codec's key order; absent optional keys are left out.
  if (hasLast !== false && last !== undefined) c.lastMessage = last;
  if (hasDraft !== false && draft !== undefined) c.draft = draft;
  c.isPinned = isPinned ?? false;
  c.showName = showName ?? id;
  c.faceUrl = faceUrl ?? '';
  put(c, 'groupType', groupType);
  put(c, 'receiveOption', receiveOption);
  return c;
}
