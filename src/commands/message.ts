import type { Observable } from 'rxjs';
import type { TimBackend } from '../backend/types.js';
import { encodeJson } from '../codecs/decode.js';
import { ConvType } from '../codecs/enums.js';
import { Message, OutgoingMessage, type ConversationKey } from '../codecs/message.js';
import { command, decodeReply } from './command.js';

/** What `sendMessage` emits; upload progress joins this union with element uploads. */
export type SendEvent = { readonly type: 'sent'; readonly message: Message };

/** A text-only message is the common case: a string is sent as one text element. */
export type MessageInput = OutgoingMessage | string;

function toOutgoing(input: MessageInput): OutgoingMessage {
  return typeof input === 'string' ? { elements: [{ type: 'text', text: input }] } : input;
}

/** TIMMsgSendNewMsg: emits `{ type: 'sent', message }` with the server's seq, rand and time, then completes. */
export function sendMessage(backend: TimBackend, to: ConversationKey, input: MessageInput): Observable<SendEvent> {
  const decode = decodeReply('TIMMsgSendNewMsg', Message);
  return command(
    backend,
    'TIMMsgSendNewMsg',
    () => [to.id, ConvType.encode(to.type), encodeJson(OutgoingMessage, toOutgoing(input))],
    (reply) => ({ type: 'sent' as const, message: decode(reply) }),
  );
}

/** `tim.messages`: the message functions of the spec, grouped. */
export function messageApi(backend: TimBackend) {
  return {
    /** TIMMsgSendNewMsg to a C2C or group conversation; a string is one text element. */
    send: (to: ConversationKey, message: MessageInput) => sendMessage(backend, to, message),
  };
}
export type MessageApi = ReturnType<typeof messageApi>;
