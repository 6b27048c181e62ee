/**
 * De-duplication of received messages. The emulator delivers new messages at
 * least once (docs/wire-protocol.md, "Acknowledged delivery"): what a client
 * received but had not acknowledged when its connection died comes again
 * after the next login. `messages$` drops a message whose id is among the
 * last `RECENT_MESSAGE_IDS` it emitted.
 */
import { defer, filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Message } from '../codecs/message.js';

/** How many message ids `messages$` remembers (about 1 MB at most). */
export const RECENT_MESSAGE_IDS = 10_000;

/** A set of the last `capacity` keys added: a Set beside a ring buffer of the same keys. */
export class RecentKeys {
  private readonly seen = new Set<string>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** Remembers `key`, forgetting the oldest beyond the capacity; false when it is already remembered. */
  add(key: string): boolean {
    if (this.seen.has(key)) return false;
    const oldest = this.ring[this.next];
    if (oldest !== undefined) this.seen.delete(oldest);
    this.ring[this.next] = key;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    this.seen.add(key);
    return true;
  }
}

/** What names one message: `message_msg_id`, else `message_unique_id`; nothing when it has neither. */
export function messageKey(m: Message): string | undefined {
  if (m.msgId !== undefined && m.msgId !== '') return m.msgId;
  return m.uniqueId === undefined ? undefined : `#${m.uniqueId}`;
}

/**
 * Lets each message through once: a message whose key was among the last
 * `capacity` keys is dropped; one without a key always passes. Each
 * subscription has its own memory.
 */
export function distinctMessages(capacity = RECENT_MESSAGE_IDS): MonoTypeOperatorFunction<Message> {
  return (source) => defer(() => {
    const recent = new RecentKeys(capacity);
    return source.pipe(filter((m) => {
      const key = messageKey(m);
      return key === undefined || recent.add(key);
    }));
  });
}
