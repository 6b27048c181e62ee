import * as t from 'io-ts';
import { Element } from './elements.js';
import { ConvType, MessagePriority, MessageStatus } from './enums.js';
import { readonlyArrayOf, withFastPath } from './fast.js';
import { defined, mapped } from './mapped.js';
import { fastMessage } from './message-fast.js';
import { Int, Seconds, U64 } from './primitives.js';

/** What identifies a conversation: its type and id (peer user id or group id). */
export const ConversationKey = t.readonly(t.type({ type: ConvType, id: t.string }));
export type ConversationKey = t.TypeOf<typeof ConversationKey>;

/**
 * The fields a caller writes when sending, drafting, importing or saving a
 * message (B4, `in` and `in/out` keys). `sender`, `serverTime` and `status`
 * matter only to TIMMsgImportMsgList / TIMMsgSaveMsg (a send ignores them).
 */
const outgoingRaw = t.intersection([
  t.type({ message_elem_array: t.readonlyArray(Element) }),
  t.partial({
    message_priority: MessagePriority,
    message_client_time: Seconds,
    message_is_online_msg: t.boolean,
    message_custom_int: Int,
    message_custom_str: t.string,
    message_sender: t.string,
    message_server_time: Seconds,
    message_status: MessageStatus,
  }),
]);

/** A message to send: its elements and the optional sender-side fields. */
export const OutgoingMessage = mapped(
  'OutgoingMessage',
  outgoingRaw,
  (r) => defined({
    elements: r.message_elem_array,
    priority: r.message_priority,
    clientTime: r.message_client_time,
    isOnline: r.message_is_online_msg,
    customInt: r.message_custom_int,
    customStr: r.message_custom_str,
    sender: r.message_sender,
    serverTime: r.message_server_time,
    status: r.message_status,
  }),
  (a) => defined({
    message_elem_array: a.elements,
    message_priority: a.priority,
    message_client_time: a.clientTime,
    message_is_online_msg: a.isOnline,
    message_custom_int: a.customInt,
    message_custom_str: a.customStr,
    message_sender: a.sender,
    message_server_time: a.serverTime,
    message_status: a.status,
  }),
);
export type OutgoingMessage = t.TypeOf<typeof OutgoingMessage>;

const messageRaw = t.intersection([
  outgoingRaw,
  t.type({ message_conv_id: t.string, message_conv_type: ConvType }),
  t.partial({
    message_is_from_self: t.boolean,
    message_is_read: t.boolean,
    message_is_peer_read: t.boolean,
    message_rand: U64,
    message_seq: U64,
    message_unique_id: U64,
    message_msg_id: t.string,
    message_revoker_user_id: t.string,
    message_revoke_reason: t.string,
  }),
]);

/** The io-ts codec of Message: the source of truth for `fastMessage` (message-fast.ts), and what `Message` falls back to (exported for the property tests). */
export const MessageCodec = mapped(
  'Message',
  messageRaw,
  (r) => defined({
    conversation: { type: r.message_conv_type, id: r.message_conv_id },
    sender: r.message_sender ?? '',
    elements: r.message_elem_array,
    status: r.message_status ?? 'sent',
    priority: r.message_priority ?? 'normal',
    clientTime: r.message_client_time ?? 0,
    serverTime: r.message_server_time ?? 0,
    isFromSelf: r.message_is_from_self ?? false,
    isRead: r.message_is_read ?? false,
    isPeerRead: r.message_is_peer_read ?? false,
    isOnline: r.message_is_online_msg ?? false,
    seq: r.message_seq ?? 0n,
    rand: r.message_rand ?? 0n,
    uniqueId: r.message_unique_id,
    msgId: r.message_msg_id,
    customInt: r.message_custom_int ?? 0,
    customStr: r.message_custom_str ?? '',
    revoker: r.message_revoker_user_id,
    revokeReason: r.message_revoke_reason,
  }),
  (a) => defined({
    message_elem_array: a.elements,
    message_conv_id: a.conversation.id,
    message_conv_type: a.conversation.type,
    message_sender: a.sender,
    message_status: a.status,
    message_priority: a.priority,
    message_client_time: a.clientTime,
    message_server_time: a.serverTime,
    message_is_from_self: a.isFromSelf,
    message_is_read: a.isRead,
    message_is_peer_read: a.isPeerRead,
    message_is_online_msg: a.isOnline,
    message_seq: a.seq,
    message_rand: a.rand,
    message_unique_id: a.uniqueId,
    message_msg_id: a.msgId,
    message_custom_int: a.customInt,
    message_custom_str: a.customStr,
    message_revoker_user_id: a.revoker,
    message_revoke_reason: a.revokeReason,
  }),
);
export type Message = t.TypeOf<typeof MessageCodec>;

/**
 * A message as the SDK reports it (B4). Absent output keys get the SDK's
 * defaults (v8 omits some keys, B.0); 64-bit fields are bigints.
 * Decoded by a hand-written decoder; the io-ts codec decides (and reports)
 * whatever that one does not accept.
 */
export const Message: t.Type<Message, t.OutputOf<typeof MessageCodec>, unknown> = withFastPath(MessageCodec, fastMessage);

/** `json_msg_array` of TIMRecvNewMsgCallback / TIMMsgUpdateCallback and list results. */
export const MessageList = readonlyArrayOf(Message, fastMessage);
