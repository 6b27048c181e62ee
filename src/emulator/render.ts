/**
 * JSON shapes the emulator sends: Message (reference § B4) and ConvInfo
 * (§ B3), as seen by one user. Keys are in alphabetical order, like the real
 * SDK's output. 64-bit values are bigint and written as raw JSON digits.
 */
import { parseJson, stringifyJson } from '../json/lossless.js';
import { ConvType, type StoredConversation, type StoredMessage } from './storage/store.js';

/** kTIMMsg_SendSucc */
const MSG_STATUS_SEND_SUCC = 2;
/** kTIMMsg_Revoked */
export const MSG_STATUS_REVOKED = 6;

/** (server_time << 32) | rand — the C2C formula of § E. */
export function c2cUniqueId(serverTime: number, rand: number): bigint {
  return (BigInt(serverTime) << 32n) | BigInt(rand >>> 0);
}

/** § E: (server_time << 32) | rand for C2C, (seq << 32) | rand for groups. */
export function uniqueIdOf(m: StoredMessage): bigint {
  return m.convType === ConvType.Group ? (BigInt(m.seq) << 32n) | BigInt(m.rand >>> 0) : c2cUniqueId(m.serverTime, m.rand);
}

/**
 * What the viewer has read in the conversation, and (C2C) what the peer has
 * read: message ids up to these are read. Without marks, a message is read
 * by its sender only.
 */
export interface ReadMarks {
  readonly readUpTo?: number;
  readonly peerReadUpTo?: number;
}

/** The conversation id of `m` for `viewer`: the peer (C2C) or the group id. */
export function convIdOf(m: StoredMessage, viewer: string): string {
  if (m.convType !== ConvType.C2C) return m.receiver;
  return m.sender === viewer ? m.receiver : m.sender;
}

/** The Message object of `m` as `viewer` sees it. */
export function messageView(m: StoredMessage, viewer: string, marks: ReadMarks = {}): Record<string, unknown> {
  const fromSelf = m.sender === viewer;
  const view: Record<string, unknown> = {
    message_client_time: m.clientTime,
    message_conv_id: convIdOf(m, viewer),
    message_conv_type: m.convType,
    message_custom_int: 0,
    message_custom_str: '',
    message_elem_array: parseJson(m.elems),
    message_is_from_self: fromSelf,
    message_is_online_msg: m.isOnline,
    message_is_peer_read: fromSelf && m.convType === ConvType.C2C && m.id <= (marks.peerReadUpTo ?? 0),
    message_is_read: fromSelf || m.id <= (marks.readUpTo ?? 0),
    message_msg_id: `${m.sender}-${m.clientTime}-${m.rand}`,
    message_platform: 0,
    message_priority: m.priority,
    message_rand: m.rand,
  };
  if (m.revokedBy !== undefined) {
    view['message_revoke_reason'] = '';
    view['message_revoker_user_id'] = m.revokedBy;
  }
  view['message_sender'] = m.sender;
  view['message_seq'] = m.seq;
  view['message_server_time'] = m.serverTime;
  view['message_status'] = m.status ?? MSG_STATUS_SEND_SUCC;
  view['message_unique_id'] = uniqueIdOf(m);
  return view;
}

/** kTIMRecvMsgOpt_Receive (A.15): C2C conversations, and groups the owner is no longer in. */
const RECV_OPT_RECEIVE = 0;

/**
 * The ConvInfo object of a stored conversation (its owner's view).
 * `conv_group_type` is the group's TIMGroupType (A.12), left out for a
 * dissolved group; `conv_recv_opt` the owner's receive option in the group.
 */
export function convInfoView(c: StoredConversation): Record<string, unknown> {
  const info: Record<string, unknown> = { conv_active_time: c.activeTime };
  const draft = c.draft === undefined ? undefined : (parseJson(c.draft) as Record<string, unknown>);
  if (draft !== undefined) info['conv_draft'] = draft;
  info['conv_face_url'] = '';
  if (c.groupType !== undefined) info['conv_group_type'] = c.groupType;
  info['conv_id'] = c.convId;
  info['conv_is_has_draft'] = draft !== undefined;
  info['conv_is_has_lastmsg'] = c.lastMessage !== undefined;
  info['conv_is_pinned'] = false;
  if (c.lastMessage !== undefined) {
    info['conv_last_msg'] = messageView(c.lastMessage, c.owner, { readUpTo: c.readUpTo, peerReadUpTo: c.peerReadUpTo });
  }
  info['conv_owner'] = '';
  info['conv_recv_opt'] = c.recvOpt ?? RECV_OPT_RECEIVE;
  info['conv_show_name'] = c.convId;
  info['conv_type'] = c.convType;
  info['conv_unread_num'] = c.unreadNum;
  return info;
}

export const renderMessages = (ms: readonly StoredMessage[], viewer: string, marks?: ReadMarks): string =>
  stringifyJson(ms.map((m) => messageView(m, viewer, marks)));

export const renderMessage = (m: StoredMessage, viewer: string, marks?: ReadMarks): string =>
  stringifyJson(messageView(m, viewer, marks));

export const renderConversations = (cs: readonly StoredConversation[]): string => stringifyJson(cs.map(convInfoView));
