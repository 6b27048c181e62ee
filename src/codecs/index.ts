export { U64, Int, Seconds, enumCodec } from './primitives.js';
export { ConvType, ConvEventKind, NetworkStatus, MessageStatus, MessagePriority, LogLevel } from './enums.js';
export { Element, TextElement, UnknownElement } from './elements.js';
export { Message, MessageList, OutgoingMessage, ConversationKey } from './message.js';
export { Conversation, ConversationList, Draft, type ConversationEvent } from './conversation.js';
export { SdkConfig, SetConfig } from './config.js';
export { decodeJson, decodeValue, encodeJson, type DecodeFailure } from './decode.js';
