import type { OutgoingMessage } from '../codecs/message.js';

/** A text-only message is the common case: a string is sent as one text element. */
export type MessageInput = OutgoingMessage | string;

export function toOutgoing(input: MessageInput): OutgoingMessage {
  return typeof input === 'string' ? { elements: [{ type: 'text', text: input }] } : input;
}
