/**
 * Builders for tests: model values (exactly as the codecs decode them) and
 * the raw arguments of native event callbacks (as the C library passes them).
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { NativeEventMap } from '../backend/types.js';
import { Conversation, ConversationList } from '../codecs/conversation.js';
import { decodeJson, encodeJson } from '../codecs/decode.js';
import { ConvEventKind, LogLevel, NetworkStatus, type ConvType } from '../codecs/enums.js';
import { Message, MessageList, type ConversationKey } from '../codecs/message.js';

/** A key, or its `type:id` shorthand (`'c2c:bob'`, `'group:g1'`). */
export type KeyLike = ConversationKey | `${ConvType}:${string}`;

export function keyOf(key: KeyLike): ConversationKey {
  if (typeof key !== 'string') return key;
  const at = key.indexOf(':');
  return { type: key.slice(0, at) as ConvType, id: key.slice(at + 1) };
}

/** Encodes and decodes `value`: the result is what the client would decode from the SDK's JSON. */
function roundTrip<A, O>(codec: t.Type<A, O, unknown>, value: A): A {
  const r = decodeJson(codec, encodeJson(codec, value));
  if (isLeft(r)) throw new Error(`tim-rx/testing: ${codec.name} fixture does not encode to valid JSON`);
  return r.right;
}

/** A conversation with Tencent's defaults (unread 0, active time 0, not pinned, shown by its id). */
export function conversation(key: KeyLike, fields: Partial<Omit<Conversation, 'key'>> = {}): Conversation {
  const k = keyOf(key);
  return roundTrip(Conversation, { unreadCount: 0, activeTime: 0n, isPinned: false, showName: k.id, faceUrl: '', ...fields, key: k });
}

/** A received text message in `conversation` (from its peer unless `fields` say otherwise). */
export function textMessage(conversationKey: KeyLike, text: string, fields: Partial<Omit<Message, 'conversation' | 'elements'>> = {}): Message {
  const k = keyOf(conversationKey);
  return roundTrip(Message, {
    conversation: k, sender: k.id, elements: [{ type: 'text', text }], status: 'sent', priority: 'normal',
    clientTime: 0, serverTime: 0, isFromSelf: false, isRead: false, isPeerRead: false, isOnline: false,
    seq: 0n, rand: 0n, customInt: 0, customStr: '', ...fields,
  });
}

/** A group-tips message (elem_type 5) in a group conversation, as the server sends when members join or leave. */
export function groupTipsMessage(groupId: string, fields: Partial<Omit<Message, 'conversation' | 'elements'>> = {}): Message {
  const base = textMessage({ type: 'group', id: groupId }, '', { sender: '@TIM#SYSTEM', ...fields });
  return roundTrip(Message, { ...base, elements: [{ type: 'groupTips', tipType: 'invite' }] });
}

/** Raw arguments of each native event callback, built from model values. */
export const nativeEvent = {
  /** TIMNetworkStatusListenerCallback. */
  networkStatus: (status: NetworkStatus, code = 0, desc = ''): NativeEventMap['networkStatus'] =>
    ({ status: NetworkStatus.encode(status), code, desc }),
  /** TIMConvEventCallback: add/update/delete with their conversations; sync-start/finish with `""`. */
  convEvent: (kind: ConvEventKind, conversations: readonly Conversation[] = []): NativeEventMap['convEvent'] => ({
    event: ConvEventKind.encode(kind),
    json: kind === 'sync-start' || kind === 'sync-finish' ? '' : encodeJson(ConversationList, conversations),
  }),
  /** TIMRecvNewMsgCallback. */
  recvNewMsg: (messages: readonly Message[]): NativeEventMap['recvNewMsg'] => ({ json: encodeJson(MessageList, messages) }),
  /** TIMKickedOfflineCallback. */
  kickedOffline: (): NativeEventMap['kickedOffline'] => ({}),
  /** TIMUserSigExpiredCallback. */
  userSigExpired: (): NativeEventMap['userSigExpired'] => ({}),
  /** TIMLogCallback. */
  log: (level: LogLevel, text: string): NativeEventMap['log'] => ({ level: LogLevel.encode(level), text }),
  /** Any callback carrying JSON, with a payload that does not decode: it goes to diagnostics$. */
  malformedJson: (json = 'not json'): { readonly json: string } => ({ json }),
} as const;
