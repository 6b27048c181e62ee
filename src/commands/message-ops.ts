/**
 * The message functions besides sending: read reports, revoke, history,
 * deletion, local messages, downloads. Each is a cold Observable making one
 * native call per subscription.
 */
import type { Observable } from 'rxjs';
import type { TimBackend } from '../backend/types.js';
import { encodeJson } from '../codecs/decode.js';
import {
  DeleteMessageParams, DownloadElementParams, DownloadProgress, GetMessageListParams, MessageLocatorList, type MessageLocator,
} from '../codecs/message-params.js';
import { Message, MessageList, OutgoingMessage, type ConversationKey } from '../codecs/message.js';
import { stringifyJson } from '../json/lossless.js';
import { command, convArgs, decodeReply, noData } from './command.js';
import { toOutgoing, type MessageInput } from './message-input.js';


/** A received message, or one to import / save (then its sender, times and status are taken as given). */
const encodeAny = (m: Message | OutgoingMessage): unknown => ('conversation' in m ? Message.encode(m) : OutgoingMessage.encode(m));

/** TIMMsgReportReaded: read up to `message`; without one (NULL), the whole conversation. */
export function reportRead(backend: TimBackend, conversation: ConversationKey, message?: Message): Observable<void> {
  return command(
    backend,
    'TIMMsgReportReaded',
    () => [...convArgs(conversation), message === undefined ? null : encodeJson(Message, message)],
    noData,
  );
}

/**
 * TIMMsgRevoke: the sender takes back a message (in a group, the owner and
 * admins may also take back members' messages); both sides' (the members')
 * revokes$ report it.
 */
export function revokeMessage(backend: TimBackend, conversation: ConversationKey, message: Message): Observable<void> {
  return command(backend, 'TIMMsgRevoke', () => [...convArgs(conversation), encodeJson(Message, message)], noData);
}

/** TIMMsgFindByMsgLocatorList: the messages named by the locators (`locatorOf(m)`), found ones only. */
export function findMessages(backend: TimBackend, conversation: ConversationKey, locators: readonly MessageLocator[]): Observable<readonly Message[]> {
  return command(
    backend,
    'TIMMsgFindByMsgLocatorList',
    () => [...convArgs(conversation), encodeJson(MessageLocatorList, locators)],
    decodeReply('TIMMsgFindByMsgLocatorList', MessageList),
  );
}

export interface GetListOptions {
  /** The anchor (excluded); absent = from the newest (`older`) or the oldest (`newer`, tim-rx emulator). */
  readonly from?: Message;
  readonly count: number;
  /** `older` (default): before the anchor, newest first. `newer`: after it. */
  readonly direction?: 'older' | 'newer';
  /** Fetch from the cloud when the local store has too few (default true; the emulator ignores it). */
  readonly ramble?: boolean;
}

/** TIMMsgGetMsgList: one page of history; an empty page past either end. */
export function getMessageList(backend: TimBackend, conversation: ConversationKey, options: GetListOptions): Observable<readonly Message[]> {
  return command(
    backend,
    'TIMMsgGetMsgList',
    () => [
      ...convArgs(conversation),
      encodeJson(GetMessageListParams, {
        anchor: options.from ?? null,
        count: options.count,
        isForward: options.direction === 'newer',
        isRamble: options.ramble ?? true,
      }),
    ],
    decodeReply('TIMMsgGetMsgList', MessageList),
  );
}

/** TIMMsgDelete: one message, or (no message: `{}`) every message of the conversation, for this user. */
export function deleteMessages(backend: TimBackend, conversation: ConversationKey, message?: Message): Observable<void> {
  return command(
    backend,
    'TIMMsgDelete',
    () => [...convArgs(conversation), encodeJson(DeleteMessageParams, { message: message ?? null, isRamble: false })],
    noData,
  );
}

/** TIMMsgImportMsgList: messages stored for this user only (sender, times, status as given). */
export function importMessages(
  backend: TimBackend,
  conversation: ConversationKey,
  messages: readonly (Message | OutgoingMessage)[],
): Observable<void> {
  return command(backend, 'TIMMsgImportMsgList', () => [...convArgs(conversation), stringifyJson(messages.map(encodeAny))], noData);
}

/**
 * TIMMsgSaveMsg: one message stored for this user only. Emits the saved
 * message (v8 and the tim-rx emulator answer it), or undefined when the
 * library answers `""` (2019 SDKs).
 */
export function saveMessage(backend: TimBackend, conversation: ConversationKey, message: Message | MessageInput): Observable<Message | undefined> {
  const decode = decodeReply('TIMMsgSaveMsg', Message);
  return command(
    backend,
    'TIMMsgSaveMsg',
    () => [...convArgs(conversation), stringifyJson(encodeAny(typeof message === 'string' ? toOutgoing(message) : message))],
    (reply) => (reply.json === '' ? undefined : decode(reply)),
  );
}

/**
 * TIMMsgDownloadElemToPath: writes the file `params` names (`downloadParamsOf(element)`)
 * to `path`; emits the progress of each callback (`desc` "downloading"),
 * the last one with current = total, then completes.
 */
export function downloadElement(backend: TimBackend, params: DownloadElementParams, path: string): Observable<DownloadProgress> {
  const decode = decodeReply('TIMMsgDownloadElemToPath', DownloadProgress);
  return command(backend, 'TIMMsgDownloadElemToPath', () => [encodeJson(DownloadElementParams, params), path], decode);
}
