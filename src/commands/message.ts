import { Observable, filter, map, type OperatorFunction } from 'rxjs';
import type { TimBackend } from '../backend/types.js';
import { encodeJson } from '../codecs/decode.js';
import { BatchSendParams, BatchSendResultList, type BatchSendResult } from '../codecs/message-params.js';
import { Message, OutgoingMessage, type ConversationKey } from '../codecs/message.js';
import { command, convArgs, decodeReply } from './command.js';
import { toOutgoing, type MessageInput } from './message-input.js';
import {
  deleteMessages, downloadElement, findMessages, getMessageList, importMessages, reportRead, revokeMessage, saveMessage,
  type GetListOptions,
} from './message-ops.js';
import { UploadTracker, uploadsFile, type UploadProgressEvent } from './upload-tracker.js';

/** The message as the server stored it (seq, rand, server time). */
export type SentEvent = { readonly type: 'sent'; readonly message: Message };

/** What `sendMessage` emits: upload progress of its own files, then the sent message. */
export type SendEvent = UploadProgressEvent | SentEvent;

export { toOutgoing, type MessageInput } from './message-input.js';

/** Keeps the `sent` event of a send and yields its message. */
export function sentMessage(): OperatorFunction<SendEvent, Message> {
  return (source) => source.pipe(filter((e): e is SentEvent => e.type === 'sent'), map((e) => e.message));
}

/**
 * TIMMsgSendNewMsg: for each file the message's elements upload (image,
 * sound, file, video), `{ type: 'progress', index, current, total }` as
 * TIMMsgElemUploadProgressCallback reports it (when an `uploads` tracker is
 * given; `tim.messages` has one), then `{ type: 'sent', message }` with the
 * server's seq, rand and time; then completes. A string is one text element
 * (no uploads: only the `sent` event).
 */
export function sendMessage(backend: TimBackend, to: ConversationKey, text: string, uploads?: UploadTracker): Observable<SentEvent>;
export function sendMessage(backend: TimBackend, to: ConversationKey, input: MessageInput, uploads?: UploadTracker): Observable<SendEvent>;
export function sendMessage(backend: TimBackend, to: ConversationKey, input: MessageInput, uploads?: UploadTracker): Observable<SendEvent> {
  const decode = decodeReply('TIMMsgSendNewMsg', Message);
  return new Observable<SendEvent>((subscriber) => {
    const message = toOutgoing(input);
    const forget = message.elements.some(uploadsFile) ? uploads?.track(message.elements, (e) => subscriber.next(e)) : undefined;
    const call = command(backend, 'TIMMsgSendNewMsg', [...convArgs(to), encodeJson(OutgoingMessage, message)], (reply) => ({
      type: 'sent' as const,
      message: decode(reply),
    })).subscribe(subscriber);
    return () => {
      call.unsubscribe();
      forget?.();
    };
  });
}

/**
 * TIMMsgBatchSend: one C2C message to each of `recipients`; emits one result
 * per recipient (code 0 and the message as sent, or that recipient's error
 * code), then completes.
 */
export function batchSend(backend: TimBackend, recipients: readonly string[], input: MessageInput): Observable<readonly BatchSendResult[]> {
  return command(
    backend,
    'TIMMsgBatchSend',
    () => [encodeJson(BatchSendParams, { recipients, message: toOutgoing(input) })],
    decodeReply('TIMMsgBatchSend', BatchSendResultList),
  );
}

/** `tim.messages`: the message functions of the spec, grouped. */
export function messageApi(backend: TimBackend) {
  const uploads = new UploadTracker(backend.events.msgElemUploadProgress);
  function send(to: ConversationKey, text: string): Observable<SentEvent>;
  function send(to: ConversationKey, message: MessageInput): Observable<SendEvent>;
  function send(to: ConversationKey, message: MessageInput): Observable<SendEvent> {
    return sendMessage(backend, to, message, uploads);
  }
  return {
    /** TIMMsgSendNewMsg to a C2C or group conversation: upload progress of its files, then the sent message. */
    send,
    /** TIMMsgBatchSend: the same message to several users, one result each. */
    batchSend: (recipients: readonly string[], message: MessageInput) => batchSend(backend, recipients, message),
    /** TIMMsgReportReaded: the conversation is read up to `message` (default: all of it). */
    reportRead: (conversation: ConversationKey, message?: Message) => reportRead(backend, conversation, message),
    /** TIMMsgRevoke: revokes a message the user sent (in a group, the owner and admins also revoke members' messages). */
    revoke: (conversation: ConversationKey, message: Message) => revokeMessage(backend, conversation, message),
    /** TIMMsgFindByMsgLocatorList: the messages the locators name (`locatorOf(message)`). */
    findByLocators: (conversation: ConversationKey, locators: Parameters<typeof findMessages>[2]) => findMessages(backend, conversation, locators),
    /** TIMMsgGetMsgList: a page of history, older (default) or newer than `from`. */
    getList: (conversation: ConversationKey, options: GetListOptions) => getMessageList(backend, conversation, options),
    /** TIMMsgDelete: deletes one message, or (without one) the whole conversation's messages, for this user. */
    delete: (conversation: ConversationKey, message?: Message) => deleteMessages(backend, conversation, message),
    /** TIMMsgImportMsgList: stores messages in the conversation for this user only. */
    import: (conversation: ConversationKey, messages: Parameters<typeof importMessages>[2]) => importMessages(backend, conversation, messages),
    /** TIMMsgSaveMsg: stores one message in the conversation for this user only. */
    save: (conversation: ConversationKey, message: Message | MessageInput) => saveMessage(backend, conversation, message),
    /** TIMMsgDownloadElemToPath: progress of the download, then completes. */
    downloadElement: (params: Parameters<typeof downloadElement>[1], path: string) => downloadElement(backend, params, path),
  };
}
export type MessageApi = ReturnType<typeof messageApi>;
