/**
 * JSON shapes the emulator sends: Message (reference § B4) and ConvInfo
 * (§ B3), as seen by one user. Keys are in alphabetical order, like the real
 * SDK's output. 64-bit values are bigint and written as raw JSON digits.
 */
import { parseJson, stringifyJson } from '../json/lossless.js';
import { ConvType, type StoredConversation, type StoredMessage } from './storage/store.js';

/** kTIMMsg_SendSucc */
const MSG_STATUS_SEND_SUCC = 2;

/** (server_time << 32) | rand — the C2C formula of § E. */
export function c2cUniqueId(serverTime: number, rand: number): bigint {
  return (BigInt(serverTime) << 32n) | BigInt(rand >>> 0);
}

/** The Message object of `m` as `viewer` sees it. */
export function messageView(m: StoredMessage, viewer: string): Record<string, unknown> {
  const fromSelf = m.sender === viewer;
  const convId = m.convType === ConvType.C2C ? (fromSelf ? m.receiver : m.sender) : m.receiver;
  return {
    message_client_time: m.clientTime,
    message_conv_id: convId,
    message_conv_type: m.convType,
    message_custom_int: 0,
    message_custom_str: '',
    message_elem_array: parseJson(m.elems),
    message_is_from_self: fromSelf,
    message_is_online_msg: m.isOnline,
    message_is_peer_read: false,
    message_is_read: fromSelf,
    message_msg_id: `${m.sender}-${m.clientTime}-${m.rand}`,
    message_platform: 0,
    message_priority: m.priority,
    message_rand: m.rand,
    message_sender: m.sender,
    message_seq: m.seq,
    message_server_time: m.serverTime,
    message_status: MSG_STATUS_SEND_SUCC,
    message_unique_id: c2cUniqueId(m.serverTime, m.rand),
  };
}

/** The ConvInfo object of a stored conversation (its owner's view). */
export function convInfoView(c: StoredConversation): Record<string, unknown> {
  const info: Record<string, unknown> = { conv_active_time: c.activeTime, conv_face_url: '' };
  if (c.convType === ConvType.Group) info['conv_group_type'] = 0;
  info['conv_id'] = c.convId;
  info['conv_is_has_draft'] = false;
  info['conv_is_has_lastmsg'] = c.lastMessage !== undefined;
  info['conv_is_pinned'] = false;
  if (c.lastMessage !== undefined) info['conv_last_msg'] = messageView(c.lastMessage, c.owner);
  info['conv_owner'] = '';
  info['conv_recv_opt'] = 0;
  info['conv_show_name'] = c.convId;
  info['conv_type'] = c.convType;
  info['conv_unread_num'] = c.unreadNum;
  return info;
}

export const renderMessages = (ms: readonly StoredMessage[], viewer: string): string =>
  stringifyJson(ms.map((m) => messageView(m, viewer)));

export const renderMessage = (m: StoredMessage, viewer: string): string => stringifyJson(messageView(m, viewer));

export const renderConversations = (cs: readonly StoredConversation[]): string => stringifyJson(cs.map(convInfoView));
