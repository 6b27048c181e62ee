/**
 * Parameters and results of the message functions and callbacks: MsgLocator
 * (B6), MsgGetMsgListParam (B7), MsgDeleteParam (B8), MsgDownloadElemParam /
 * Result (B9, B9a), MsgBatchSendParam / Result (B10, B10a), MessageReceipt
 * (B11).
 *
 * Keys renamed in v8 (`…_is_remble` → `…_is_ramble`) are read under both
 * spellings and written under both: each SDK version reads its own and
 * ignores the other (B.0: unknown keys are ignored).
 */
import * as t from 'io-ts';
import type { Element } from './elements.js';
import { ConvType, DownloadType } from './enums.js';
import { defined, mapped } from './mapped.js';
import { Message, OutgoingMessage, type ConversationKey } from './message.js';
import { Int, Seconds, U64 } from './primitives.js';

/**
 * The spec's empty object `{}` (an absent anchor: "from the newest", "the
 * whole conversation"), as `null` in the model.
 */
const EmptyObject = new t.Type<null, Record<string, never>, unknown>(
  'EmptyObject',
  (u): u is null => u === null,
  (u, c) => (typeof u === 'object' && u !== null && !Array.isArray(u) && Object.keys(u).length === 0 ? t.success(null) : t.failure(u, c, 'expected {}')),
  () => ({}),
);

/** A Message, or `{}` (null). */
const MessageOrEmpty = t.union([EmptyObject, Message]);

/** Both spellings of a renamed flag, from one model value. */
const bothSpellings = <A extends string, B extends string>(old: A, v8: B, value: boolean | undefined) =>
  (value === undefined ? {} : { [old]: value, [v8]: value }) as Partial<Record<A | B, boolean>>;

/**
 * MsgLocator (B6): what identifies one message; also the element of
 * TIMMsgRevokeCallback, where v8 adds the revoker and the reason.
 * `conversation` is present when both `message_locator_conv_*` keys are.
 */
export const MessageLocator = mapped(
  'MessageLocator',
  t.intersection([
    t.type({
      message_locator_is_revoked: t.boolean,
      message_locator_time: Seconds,
      message_locator_seq: U64,
      message_locator_is_self: t.boolean,
      message_locator_rand: U64,
    }),
    t.partial({
      message_locator_conv_id: t.string,
      message_locator_conv_type: ConvType,
      message_locator_unique_id: U64,
      message_revoker_user_id: t.string,
      message_revoke_reason: t.string,
    }),
  ]),
  (r) => defined({
    conversation: r.message_locator_conv_id !== undefined && r.message_locator_conv_type !== undefined
      ? { type: r.message_locator_conv_type, id: r.message_locator_conv_id } as ConversationKey
      : undefined,
    isRevoked: r.message_locator_is_revoked,
    time: r.message_locator_time,
    seq: r.message_locator_seq,
    isSelf: r.message_locator_is_self,
    rand: r.message_locator_rand,
    uniqueId: r.message_locator_unique_id,
    revoker: r.message_revoker_user_id,
    revokeReason: r.message_revoke_reason,
  }),
  (a) => defined({
    message_locator_conv_id: a.conversation?.id,
    message_locator_conv_type: a.conversation?.type,
    message_locator_is_revoked: a.isRevoked,
    message_locator_time: a.time,
    message_locator_seq: a.seq,
    message_locator_is_self: a.isSelf,
    message_locator_rand: a.rand,
    message_locator_unique_id: a.uniqueId,
    message_revoker_user_id: a.revoker,
    message_revoke_reason: a.revokeReason,
  }),
);
export type MessageLocator = t.TypeOf<typeof MessageLocator>;
export const MessageLocatorList = t.readonlyArray(MessageLocator);

/** The locator of a message (for TIMMsgFindByMsgLocatorList). */
export function locatorOf(m: Message): MessageLocator {
  return defined({
    conversation: m.conversation,
    isRevoked: m.status === 'revoked',
    time: m.serverTime,
    seq: m.seq,
    isSelf: m.isFromSelf,
    rand: m.rand,
    uniqueId: m.uniqueId,
  });
}

/**
 * MsgGetMsgListParam (B7). `anchor`: the message to page from (excluded);
 * `null` writes `{}` (start at the newest). `isForward`: true = newer than
 * the anchor, false = older.
 */
export const GetMessageListParams = mapped(
  'GetMessageListParams',
  t.partial({
    msg_getmsglist_param_last_msg: MessageOrEmpty,
    msg_getmsglist_param_count: Int,
    msg_getmsglist_param_is_ramble: t.boolean,
    msg_getmsglist_param_is_remble: t.boolean,
    msg_getmsglist_param_is_forward: t.boolean,
    msg_getmsglist_param_message_type_array: t.readonlyArray(Int),
    msg_getmsglist_param_last_msg_seq: U64,
    msg_getmsglist_param_time_begin: Seconds,
    msg_getmsglist_param_time_period: Int,
    msg_getmsglist_param_message_seq_array: t.readonlyArray(U64),
  }),
  (r) => defined({
    anchor: r.msg_getmsglist_param_last_msg,
    count: r.msg_getmsglist_param_count,
    isRamble: r.msg_getmsglist_param_is_ramble ?? r.msg_getmsglist_param_is_remble,
    isForward: r.msg_getmsglist_param_is_forward,
    elemTypes: r.msg_getmsglist_param_message_type_array,
    anchorSeq: r.msg_getmsglist_param_last_msg_seq,
    timeBegin: r.msg_getmsglist_param_time_begin,
    timePeriod: r.msg_getmsglist_param_time_period,
    seqs: r.msg_getmsglist_param_message_seq_array,
  }),
  (a) => defined({
    msg_getmsglist_param_last_msg: a.anchor,
    msg_getmsglist_param_count: a.count,
    ...bothSpellings('msg_getmsglist_param_is_remble', 'msg_getmsglist_param_is_ramble', a.isRamble),
    msg_getmsglist_param_is_forward: a.isForward,
    msg_getmsglist_param_message_type_array: a.elemTypes,
    msg_getmsglist_param_last_msg_seq: a.anchorSeq,
    msg_getmsglist_param_time_begin: a.timeBegin,
    msg_getmsglist_param_time_period: a.timePeriod,
    msg_getmsglist_param_message_seq_array: a.seqs,
  }),
);
export type GetMessageListParams = t.TypeOf<typeof GetMessageListParams>;

/** MsgDeleteParam (B8). `message` null or absent = every message of the conversation. */
export const DeleteMessageParams = mapped(
  'DeleteMessageParams',
  t.partial({
    msg_delete_param_msg: MessageOrEmpty,
    msg_delete_param_is_ramble: t.boolean,
    msg_delete_param_is_remble: t.boolean,
  }),
  (r) => defined({ message: r.msg_delete_param_msg, isRamble: r.msg_delete_param_is_ramble ?? r.msg_delete_param_is_remble }),
  (a) => defined({
    msg_delete_param_msg: a.message,
    ...bothSpellings('msg_delete_param_is_remble', 'msg_delete_param_is_ramble', a.isRamble),
  }),
);
export type DeleteMessageParams = t.TypeOf<typeof DeleteMessageParams>;

/** MsgDownloadElemParam (B9): which file to fetch, copied from the element (`downloadParamsOf`). */
export const DownloadElementParams = mapped(
  'DownloadElementParams',
  t.intersection([
    t.type({ msg_download_elem_param_type: DownloadType, msg_download_elem_param_id: t.string }),
    t.partial({ msg_download_elem_param_business_id: Int, msg_download_elem_param_url: t.string, msg_download_elem_param_flag: Int }),
  ]),
  (r) => defined({
    type: r.msg_download_elem_param_type,
    id: r.msg_download_elem_param_id,
    businessId: r.msg_download_elem_param_business_id,
    url: r.msg_download_elem_param_url,
    flag: r.msg_download_elem_param_flag,
  }),
  (a) => defined({
    msg_download_elem_param_type: a.type,
    msg_download_elem_param_id: a.id,
    msg_download_elem_param_business_id: a.businessId,
    msg_download_elem_param_url: a.url,
    msg_download_elem_param_flag: a.flag,
  }),
);
export type DownloadElementParams = t.TypeOf<typeof DownloadElementParams>;

/** MsgDownloadElemResult (B9a): bytes written so far and in total. */
export const DownloadProgress = mapped(
  'DownloadProgress',
  t.type({ msg_download_elem_result_current_size: Int, msg_download_elem_result_total_size: Int }),
  (r) => ({ current: r.msg_download_elem_result_current_size, total: r.msg_download_elem_result_total_size }),
  (a) => ({ msg_download_elem_result_current_size: a.current, msg_download_elem_result_total_size: a.total }),
);
export type DownloadProgress = t.TypeOf<typeof DownloadProgress>;

/** MsgBatchSendParam (B10): one message to several users. */
export const BatchSendParams = mapped(
  'BatchSendParams',
  t.type({ msg_batch_send_param_identifier_array: t.readonlyArray(t.string), msg_batch_send_param_msg: OutgoingMessage }),
  (r) => ({ recipients: r.msg_batch_send_param_identifier_array, message: r.msg_batch_send_param_msg }),
  (a) => ({ msg_batch_send_param_identifier_array: a.recipients, msg_batch_send_param_msg: a.message }),
);
export type BatchSendParams = t.TypeOf<typeof BatchSendParams>;

/** MsgBatchSendResult (B10a): one recipient's outcome (code 0 = sent) and the message as sent to them. */
export const BatchSendResult = mapped(
  'BatchSendResult',
  t.intersection([
    t.type({ msg_batch_send_result_identifier: t.string, msg_batch_send_result_code: Int }),
    t.partial({ msg_batch_send_result_desc: t.string, msg_batch_send_result_msg: Message }),
  ]),
  (r) => defined({
    recipient: r.msg_batch_send_result_identifier,
    code: r.msg_batch_send_result_code,
    desc: r.msg_batch_send_result_desc ?? '',
    message: r.msg_batch_send_result_msg,
  }),
  (a) => defined({
    msg_batch_send_result_identifier: a.recipient,
    msg_batch_send_result_code: a.code,
    msg_batch_send_result_desc: a.desc,
    msg_batch_send_result_msg: a.message,
  }),
);
export type BatchSendResult = t.TypeOf<typeof BatchSendResult>;
export const BatchSendResultList = t.readonlyArray(BatchSendResult);

/**
 * MessageReceipt (B11): the peer has read the conversation up to
 * `timestamp` (C2C); v8 adds per-message group counts.
 */
export const MessageReceipt = mapped(
  'MessageReceipt',
  t.intersection([
    t.type({ msg_receipt_conv_id: t.string, msg_receipt_conv_type: ConvType }),
    t.partial({
      msg_receipt_time_stamp: Seconds,
      msg_receipt_msg_id: t.string,
      msg_receipt_is_peer_read: t.boolean,
      msg_receipt_read_count: Int,
      msg_receipt_unread_count: Int,
    }),
  ]),
  (r) => defined({
    conversation: { type: r.msg_receipt_conv_type, id: r.msg_receipt_conv_id } as ConversationKey,
    timestamp: r.msg_receipt_time_stamp ?? 0,
    msgId: r.msg_receipt_msg_id,
    isPeerRead: r.msg_receipt_is_peer_read,
    readCount: r.msg_receipt_read_count,
    unreadCount: r.msg_receipt_unread_count,
  }),
  (a) => defined({
    msg_receipt_conv_id: a.conversation.id,
    msg_receipt_conv_type: a.conversation.type,
    msg_receipt_time_stamp: a.timestamp,
    msg_receipt_msg_id: a.msgId,
    msg_receipt_is_peer_read: a.isPeerRead,
    msg_receipt_read_count: a.readCount,
    msg_receipt_unread_count: a.unreadCount,
  }),
);
export type MessageReceipt = t.TypeOf<typeof MessageReceipt>;
export const MessageReceiptList = t.readonlyArray(MessageReceipt);

/** TIMMsgElemUploadProgressCallback, typed: element `index` of `message` has `current` of `total` bytes uploaded. */
export interface UploadProgress {
  readonly message: Message;
  readonly index: number;
  readonly current: number;
  readonly total: number;
}

/** Which file of an element to download: an image's sizes, a video's file or snapshot. */
export type DownloadPart = 'original' | 'thumb' | 'large' | 'video' | 'snapshot';

/**
 * The download parameters of a received element (sound, file, video, image),
 * or undefined when the element carries no file id. TIMDownloadType has no
 * value for images (the 2019 SDK fetches them by URL): an image size is
 * asked for as `file`, which the tim-rx emulator serves by id.
 */
export function downloadParamsOf(e: Element, part?: DownloadPart): DownloadElementParams | undefined {
  const make = (type: DownloadType, id: string | undefined, url: string | undefined, businessId?: number) =>
    id === undefined || id === '' ? undefined : defined({ type, id, url, businessId }) as DownloadElementParams;
  switch (e.type) {
    case 'sound': return make('sound', e.fileId, e.url, e.businessId);
    case 'file': return make('file', e.fileId, e.url, e.businessId);
    case 'video': return part === 'snapshot'
      ? make('video-thumb', e.snapshot.id, e.snapshot.url, e.businessId)
      : make('video', e.video.id, e.video.url, e.businessId);
    case 'image': {
      const v = part === 'thumb' ? e.thumb : part === 'large' ? e.large : e.original;
      return make('file', v?.id, v?.url);
    }
    default: return undefined;
  }
}
