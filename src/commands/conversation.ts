import type { Observable } from 'rxjs';
import type { TimBackend } from '../backend/types.js';
import { ConversationList, type Conversation } from '../codecs/conversation.js';
import { command, decodeReply } from './command.js';

/** TIMConvGetConvList: the logged-in user's conversations. */
export function getConversationList(backend: TimBackend): Observable<readonly Conversation[]> {
  return command(backend, 'TIMConvGetConvList', [], decodeReply('TIMConvGetConvList', ConversationList));
}

/** `tim.conversations`: the conversation functions of the spec, grouped. */
export function conversationApi(backend: TimBackend) {
  return {
    /** TIMConvGetConvList. */
    list: () => getConversationList(backend),
  };
}
export type ConversationApi = ReturnType<typeof conversationApi>;
