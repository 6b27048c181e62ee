/**
 * The hand-written decoder of Message (B4): the model exactly as the
 * `Message` codec builds it (same keys, same order, same defaults), or
 * `MISMATCH` (see fast.ts). Elements: elements-fast.ts.
 */
import { fastElement } from './elements-fast.js';
import { ConvType, MessagePriority, MessageStatus } from './enums.js';
import { arrayOf, enumOf, optBool, put, type Mutable, optEnumOf, optInt, optSeconds, optStr, optU64, record, str } from './fast.js';
import type { Message } from './message.js';

type AnyElement = ReturnType<typeof fastElement>;

const elements: (u: unknown) => readonly AnyElement[] = arrayOf(fastElement);

/** A Message (B4) as the `Message` codec decodes it; throws `MISMATCH` for anything else. */
export function fastMessage(u: unknown): Message {
  const r = record(u);
  // Every key is read (and checked) before the model is built, as the codec validates all of them.
  const elems = elements(r['message_elem_array']);
  const convId = str(r['message_conv_id']);
  const convType = enumOf(ConvType, r['message_conv_type']);
  const priority = optEnumOf(MessagePriority, r['message_priority']);
  const clientTime = optSeconds(r['message_client_time']);
  const isOnline = optBool(r['message_is_online_msg']);
  const customInt = optInt(r['message_custom_int']);
  const customStr = optStr(r['message_custom_str']);
  const sender = optStr(r['message_sender']);
  const serverTime = optSeconds(r['message_server_time']);
  const status = optEnumOf(MessageStatus, r['message_status']);
  const isFromSelf = optBool(r['message_is_from_self']);
  const isRead = optBool(r['message_is_read']);
  const isPeerRead = optBool(r['message_is_peer_read']);
  const rand = optU64(r['message_rand']);
  const seq = optU64(r['message_seq']);
  const uniqueId = optU64(r['message_unique_id']);
  const msgId = optStr(r['message_msg_id']);
  const revoker = optStr(r['message_revoker_user_id']);
  const revokeReason = optStr(r['message_revoke_reason']);
  const m = {
    conversation: { type: convType, id: convId },
    sender: sender ?? '',
    elements: elems,
    status: status ?? 'sent',
    priority: priority ?? 'normal',
    clientTime: clientTime ?? 0,
    serverTime: serverTime ?? 0,
    isFromSelf: isFromSelf ?? false,
    isRead: isRead ?? false,
    isPeerRead: isPeerRead ?? false,
    isOnline: isOnline ?? false,
    seq: seq ?? 0n,
    rand: rand ?? 0n,
  } as Mutable<Message>;
  // The codec's key order: the optional ids before the custom fields, the revoke fields last.
  put(m, 'uniqueId', uniqueId);
  put(m, 'msgId', msgId);
  m.customInt = customInt ?? 0;
  m.customStr = customStr ?? '';
  put(m, 'revoker', revoker);
  put(m, 'revokeReason', revokeReason);
  return m;
}
