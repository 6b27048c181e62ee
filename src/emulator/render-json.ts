/**
 * The Message and ConvInfo JSON of a message just sent, written directly as
 * text: the same characters as `stringifyJson(messageView(…))` and
 * `stringifyJson(convInfoView(…))` of render.ts, without building and walking
 * the objects, and with the element array inserted as stored.
 *
 * Only for element arrays written by `stringifyJson` (the send path:
 * `elemsJson`, `sentElemsJson`): `stringifyJson(parseJson(t)) === t` holds
 * for such text, so inserting it is what render.ts would write.
 */
import { jsonString, stringifyJson } from '../json/lossless.js';
import { convIdOf, convInfoView, uniqueIdOf, type ReadMarks } from './render.js';
import { ConvType, type StoredConversation, type StoredMessage } from './storage/store.js';

const MSG_STATUS_SEND_SUCC = 2;
const RECV_OPT_RECEIVE = 0;

const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/** The runs of a message's Message text that do not depend on the viewer (written once per message: `MessageViews`). */
interface MessageParts {
  /** From the opening brace to the conv_id value. */
  readonly head: string;
  /** From after the conv_id value to the is_from_self value. */
  readonly afterConvId: string;
  /** From after the is_from_self value to the is_peer_read value. */
  readonly online: string;
  /** From after the is_read value to the closing brace. */
  readonly tail: string;
}

function messageParts(m: StoredMessage, uniqueId: string): MessageParts {
  let tail =
    ',"message_msg_id":' + jsonString(`${m.sender}-${m.clientTime}-${m.rand}`) +
    ',"message_platform":0,"message_priority":' + num(m.priority) +
    ',"message_rand":' + num(m.rand);
  if (m.revokedBy !== undefined) tail += ',"message_revoke_reason":"","message_revoker_user_id":' + jsonString(m.revokedBy);
  tail +=
    ',"message_sender":' + jsonString(m.sender) +
    ',"message_seq":' + num(m.seq) +
    ',"message_server_time":' + num(m.serverTime) +
    ',"message_status":' + num(m.status ?? MSG_STATUS_SEND_SUCC) +
    ',"message_unique_id":' + uniqueId + '}';
  return {
    head: '{"message_client_time":' + num(m.clientTime) + ',"message_conv_id":',
    afterConvId: ',"message_conv_type":' + num(m.convType) +
      ',"message_custom_int":0,"message_custom_str":"","message_elem_array":' + m.elems + ',"message_is_from_self":',
    online: ',"message_is_online_msg":' + String(m.isOnline) + ',"message_is_peer_read":',
    tail,
  };
}

/** `stringifyJson(messageView(m, viewer, marks))`; `uniqueId` may be given when already computed (it is the same for every viewer). */
export function messageJson(m: StoredMessage, viewer: string, marks: ReadMarks = {}, uniqueId: string = uniqueIdOf(m).toString(10)): string {
  return viewJson(m, messageParts(m, uniqueId), viewer, marks);
}

function viewJson(m: StoredMessage, p: MessageParts, viewer: string, marks: ReadMarks): string {
  const fromSelf = m.sender === viewer;
  const peerRead = fromSelf && m.convType === ConvType.C2C && m.id <= (marks.peerReadUpTo ?? 0);
  const read = fromSelf || m.id <= (marks.readUpTo ?? 0);
  return p.head + jsonString(convIdOf(m, viewer)) + p.afterConvId + String(fromSelf) + p.online + String(peerRead) +
    ',"message_is_read":' + String(read) + p.tail;
}

/**
 * The JSON text of one just-stored message for each viewer, written once
 * and shared by the REPLY, EVENT 1, the EVENT 6 of the conversations it
 * touched and EVENT 11 (all show it without read marks). Without marks the
 * text depends on the viewer only through "is the sender": the conversation
 * id of any other viewer is the sender (C2C) or the group, so there are at
 * most two texts, however many members a group has.
 */
export class MessageViews {
  readonly uniqueId: string;
  private parts: MessageParts | undefined;
  private senderText: string | undefined;
  private othersText: string | undefined;

  constructor(private readonly message: StoredMessage) {
    this.uniqueId = uniqueIdOf(message).toString(10);
  }

  /** `messageJson(message, viewer)`. */
  of(viewer: string): string {
    if (viewer === this.message.sender) return (this.senderText ??= this.render(viewer));
    return (this.othersText ??= this.render(viewer));
  }

  private render(viewer: string): string {
    this.parts ??= messageParts(this.message, this.uniqueId);
    return viewJson(this.message, this.parts, viewer, {});
  }
}

/**
 * `stringifyJson(convInfoView(c))`, with `lastMessageJson` = the text of
 * `c.lastMessage` in its owner's view (with the conversation's read marks).
 * A conversation with a draft is rendered the long way.
 */
export function convInfoJson(c: StoredConversation, lastMessageJson: string | undefined): string {
  if (c.draft !== undefined) return stringifyJson(convInfoView(c));
  let out = '{"conv_active_time":' + num(c.activeTime) + ',"conv_face_url":""';
  if (c.groupType !== undefined) out += ',"conv_group_type":' + num(c.groupType);
  out += ',"conv_id":' + jsonString(c.convId) +
    ',"conv_is_has_draft":false,"conv_is_has_lastmsg":' + String(c.lastMessage !== undefined) + ',"conv_is_pinned":false';
  if (c.lastMessage !== undefined) out += ',"conv_last_msg":' + (lastMessageJson ?? stringifyJson(convInfoView(c)['conv_last_msg']));
  return out +
    ',"conv_owner":"","conv_recv_opt":' + num(c.recvOpt ?? RECV_OPT_RECEIVE) +
    ',"conv_show_name":' + jsonString(c.convId) +
    ',"conv_type":' + num(c.convType) +
    ',"conv_unread_num":' + num(c.unreadNum) + '}';
}
