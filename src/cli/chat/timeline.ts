/**
 * The messages of one conversation as the chat shows them: merged from
 * history pages, received messages and the user's own sends, one entry per
 * message, oldest first, at most `TIMELINE_LIMIT` kept. Pure.
 */
import type { Message } from '../../codecs/message.js';
import type { MessageLocator } from '../../codecs/message-params.js';

export const TIMELINE_LIMIT = 200;

/** What makes two reports of a message the same message. */
export function messageId(m: Message): string {
  return m.msgId !== undefined && m.msgId.length > 0 ? m.msgId : `${m.sender}/${m.seq}/${m.rand}`;
}

function compare(a: Message, b: Message): number {
  if (a.serverTime !== b.serverTime) return a.serverTime - b.serverTime;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  if (a.clientTime !== b.clientTime) return a.clientTime - b.clientTime;
  return messageId(a) < messageId(b) ? -1 : messageId(a) > messageId(b) ? 1 : 0;
}

/** `current` with `incoming` merged in: a message already held is replaced by its newer report. */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[], limit = TIMELINE_LIMIT): readonly Message[] {
  if (incoming.length === 0) return current;
  const byId = new Map<string, Message>();
  for (const m of current) byId.set(messageId(m), m);
  for (const m of incoming) byId.set(messageId(m), m);
  const all = [...byId.values()].sort(compare);
  return all.length > limit ? all.slice(all.length - limit) : all;
}

/** `current` with `message` shown as revoked (by `revoker`). */
export function markRevoked(current: readonly Message[], message: Message, revoker: string): readonly Message[] {
  const id = messageId(message);
  return current.map((m) => (messageId(m) === id ? { ...m, status: 'revoked' as const, revoker } : m));
}

/** Whether `locator` (of `tim.events.revokes$`) names `m`: the unique id when both have one, else seq, rand and time. */
export function locates(locator: MessageLocator, m: Message): boolean {
  if (locator.uniqueId !== undefined && m.uniqueId !== undefined) return locator.uniqueId === m.uniqueId;
  return locator.seq === m.seq && locator.rand === m.rand && locator.time === m.serverTime;
}

/** `current` with the message `locator` names shown as revoked; `current` itself when it holds no such message. */
export function revokeLocated(current: readonly Message[], locator: MessageLocator): readonly Message[] {
  if (!current.some((m) => locates(locator, m))) return current;
  return current.map((m) => (locates(locator, m) ? { ...m, status: 'revoked' as const, revoker: locator.revoker ?? m.revoker ?? m.sender } : m));
}

/** The user's newest message that is not revoked, if any: what `/revoke` takes back. */
export function lastOwnMessage(messages: readonly Message[]): Message | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.isFromSelf && m.status !== 'revoked' && m.status !== 'deleted') return m;
  }
  return undefined;
}

/** What a message says, in one line of text. */
export function messageText(m: Message): string {
  if (m.status === 'revoked') return m.isFromSelf ? '(you revoked a message)' : `(${m.revoker ?? m.sender} revoked a message)`;
  const parts = m.elements.map((e) => {
    switch (e.type) {
      case 'text':
        return e.text;
      case 'custom':
        return '[custom message]';
      case 'face':
        return '[face]';
      default:
        return `[${e.type}]`;
    }
  });
  return parts.join(' ');
}
