import { Observable, defer, map, of, switchMap } from 'rxjs';
import type { SyncApi } from '../backend/api.js';
import { argumentError } from '../backend/arg-check.js';
import type { NativeArg, TimBackend } from '../backend/types.js';
import { Conversation, ConversationList, Draft } from '../codecs/conversation.js';
import { encodeJson } from '../codecs/decode.js';
import type { ConversationKey } from '../codecs/message.js';
import { TimError } from '../errors.js';
import { command, convArgs, decodeReply, noData } from './command.js';
import { toOutgoing, type MessageInput } from './message-input.js';


/** TIMConvGetConvList: the logged-in user's conversations. */
export function getConversationList(backend: TimBackend): Observable<readonly Conversation[]> {
  return command(backend, 'TIMConvGetConvList', [], decodeReply('TIMConvGetConvList', ConversationList));
}

/** The conversation with `key` in a list, or a bare one (no messages yet) when it is missing. */
const pick = (list: readonly Conversation[], key: ConversationKey): Conversation =>
  list.find((c) => c.key.type === key.type && c.key.id === key.id) ??
  { key, unreadCount: 0, activeTime: 0n, isPinned: false, showName: key.id, faceUrl: '' };

/**
 * TIMConvCreate: the conversation (created when missing). v8 answers `""`
 * instead of the ConvInfo; then the conversation is read from the list.
 */
export function createConversation(backend: TimBackend, key: ConversationKey): Observable<Conversation> {
  const decode = decodeReply('TIMConvCreate', Conversation);
  return command(backend, 'TIMConvCreate', () => convArgs(key), (reply) => (reply.json === '' ? undefined : decode(reply))).pipe(
    switchMap((c) => (c !== undefined ? of(c) : getConversationList(backend).pipe(map((list) => pick(list, key))))),
  );
}

/** TIMConvDelete: removes the conversation (and, on the tim-rx emulator and v8, its messages) for this user. */
export function deleteConversation(backend: TimBackend, key: ConversationKey): Observable<void> {
  return command(backend, 'TIMConvDelete', () => convArgs(key), noData);
}

/** A C function without callback as a cold Observable: completes, or errors (kind sync) with its TIMResult. */
function syncCall(backend: TimBackend, api: SyncApi, args: () => readonly NativeArg[]): Observable<void> {
  return defer(() => {
    const values = args();
    const refused = argumentError(api, values);
    if (refused !== undefined) throw refused;
    const result = backend.invoke(api, values);
    if (result !== 0) throw TimError.sync(api, result);
    return of(undefined);
  });
}

/** What `setDraft` takes: the message being written, free data, the edit time (default now, UTC seconds). */
export interface DraftInput {
  readonly message: MessageInput;
  readonly userDefine?: string;
  readonly editTime?: number;
}

/**
 * TIMConvSetDraft (no callback): completes once the library accepted the
 * call; the draft then shows in the conversation (ConvInfo, conversation
 * events). A conversation the user does not have is created.
 */
export function setDraft(backend: TimBackend, key: ConversationKey, draft: DraftInput): Observable<void> {
  return syncCall(backend, 'TIMConvSetDraft', () => [
    ...convArgs(key),
    encodeJson(Draft, {
      message: toOutgoing(draft.message),
      userDefine: draft.userDefine ?? '',
      editTime: draft.editTime ?? Math.floor(Date.now() / 1000),
    }),
  ]);
}

/** TIMConvCancelDraft (no callback): removes the conversation's draft. */
export function cancelDraft(backend: TimBackend, key: ConversationKey): Observable<void> {
  return syncCall(backend, 'TIMConvCancelDraft', () => convArgs(key));
}

/** `tim.conversations`: the conversation functions of the spec, grouped. */
export function conversationApi(backend: TimBackend) {
  return {
    /** TIMConvGetConvList. */
    list: () => getConversationList(backend),
    /** TIMConvCreate: the conversation, created when missing. */
    create: (key: ConversationKey) => createConversation(backend, key),
    /** TIMConvDelete. */
    delete: (key: ConversationKey) => deleteConversation(backend, key),
    /** TIMConvSetDraft. */
    setDraft: (key: ConversationKey, draft: DraftInput) => setDraft(backend, key, draft),
    /** TIMConvCancelDraft. */
    cancelDraft: (key: ConversationKey) => cancelDraft(backend, key),
  };
}
export type ConversationApi = ReturnType<typeof conversationApi>;
