/**
 * The events of one connection gathered over one tick of the event loop and
 * written at its end as few frames as possible (docs/wire-protocol.md,
 * "Coalesced events"):
 *
 * - new messages join the newest EVENT 1 batch: one frame, one JSON array of
 *   every message in order, one delivery token (delivery.ts);
 * - conversation events join the newest EVENT 6 batch when of the same kind
 *   (Add, Delete, Update) and no EVENT 1 batch began since; a conversation
 *   already in the batch keeps its place and takes the newer state. Its
 *   ConvInfo is rendered when the batch is written, so only that state is.
 *
 * So a message never arrives after an EVENT 6 that reflects it (an EVENT 6
 * batch never comes before the EVENT 1 batch of a message queued before
 * it), and the relative order of conversation events of different kinds is
 * kept. The connection writes the batches, in order, at the end of the tick
 * and before any other EVENT (connection.ts).
 */
import type { Session } from './connection.js';
import type { StoredMessage } from './storage/store.js';

/**
 * Largest JSON of one frame, in UTF-16 code units: at most 3 UTF-8 bytes
 * each, so a frame stays well under the 16 MiB limit. A batch that would go
 * beyond it is closed and a new one begun (split when written, for EVENT 6).
 */
export const MAX_BATCH_UNITS = 2 * 1024 * 1024;

/** Messages for one session, written as one EVENT 1. */
export interface MessageBatch {
  readonly type: 'messages';
  readonly session: Session;
  readonly messages: StoredMessage[];
  /** The Message text of each, as the session's user sees it. */
  readonly texts: string[];
  units: number;
}

/** Conversation events of one kind for one session, written as one EVENT 6. */
export interface ConversationBatch {
  readonly type: 'conversations';
  readonly session: Session;
  /** TIMConvEvent (A.3). */
  readonly kind: number;
  /** What renders the ConvInfo text, per conversation key, in order of first appearance; a newer state replaces an older one. */
  readonly renders: Map<string, () => string>;
}

export type Batch = MessageBatch | ConversationBatch;

/** The JSON array of the texts of a batch. */
export const arrayJson = (texts: Iterable<string>): string => '[' + [...texts].join(',') + ']';

/** `items` in runs whose JSON array (of `textOf` each) stays within MAX_BATCH_UNITS; a larger single text is a run of its own. */
export function* jsonArrays<T>(items: Iterable<T>, textOf: (item: T) => string): Generator<{ items: T[]; json: string }> {
  let run: T[] = [];
  let texts: string[] = [];
  let units = 0;
  for (const item of items) {
    const text = textOf(item);
    if (run.length > 0 && units + text.length > MAX_BATCH_UNITS) {
      yield { items: run, json: arrayJson(texts) };
      run = [];
      texts = [];
      units = 0;
    }
    run.push(item);
    texts.push(text);
    units += text.length + 1;
  }
  if (run.length > 0) yield { items: run, json: arrayJson(texts) };
}

export class Outbox {
  private batches: Batch[] = [];
  /** The newest EVENT 1 batch, while messages may join it. */
  private messages: MessageBatch | undefined;
  /** The newest EVENT 6 batch begun after the newest EVENT 1 batch, while events may join it. */
  private conversations: ConversationBatch | undefined;

  get isEmpty(): boolean {
    return this.batches.length === 0;
  }

  /** A message (its `text` as the session's user sees it) for the EVENT 1 of this tick. */
  addMessage(session: Session, message: StoredMessage, text: string): void {
    let b = this.messages;
    if (b === undefined || b.session !== session || b.units + text.length > MAX_BATCH_UNITS) {
      b = { type: 'messages', session, messages: [], texts: [], units: 0 };
      this.batches.push(b);
      this.messages = b;
      this.conversations = undefined;
    }
    b.messages.push(message);
    b.texts.push(text);
    b.units += text.length + 1;
  }

  /** A conversation event of `kind` for the conversation `key` (`render` writes its ConvInfo). */
  addConversation(session: Session, kind: number, key: string, render: () => string): void {
    let b = this.conversations;
    if (b === undefined || b.session !== session || b.kind !== kind) {
      b = { type: 'conversations', session, kind, renders: new Map() };
      this.batches.push(b);
      this.conversations = b;
    }
    b.renders.set(key, render);
  }

  /** The batches gathered, oldest first; the outbox is empty afterwards. */
  take(): readonly Batch[] {
    const out = this.batches;
    this.batches = [];
    this.messages = undefined;
    this.conversations = undefined;
    return out;
  }
}
