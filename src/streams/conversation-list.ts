/**
 * The sorted conversation list as an immutable value and its pure reducer.
 *
 * A list keeps the conversations twice, both as sorted arrays: once in display
 * order (`sorted`, what `conversations$` emits) and once by key (for lookups).
 * One event costs O(log n) comparisons (binary search for the key, the old
 * and the new position) plus a plain copy of the arrays that changed, so that
 * every version stays valid for whoever still holds it (a view, a late
 * `observeOn`, a test). Nothing re-sorts, scans or compares the whole list.
 */
import type { Conversation, ConversationEvent } from '../codecs/conversation.js';
import type { ConversationKey } from '../codecs/message.js';
import { distinctUntilChanged, map, scan, startWith, type OperatorFunction } from 'rxjs';
import { sameValue } from './equal.js';

/** Orders two conversations for display: negative when `a` comes first. */
export type ConversationComparator = (a: Conversation, b: Conversation) => number;

/** What the list reducer consumes: a conversation event, a fresh snapshot, a new order, or a reset. */
export type ConversationListAction =
  | ConversationEvent
  | { readonly kind: 'snapshot'; readonly conversations: readonly Conversation[] }
  | { readonly kind: 'sort'; readonly comparator: ConversationComparator }
  | { readonly kind: 'clear' };

/** One conversation that an action added (`before` undefined), changed, or removed (`after` undefined). */
export interface ConversationChange {
  readonly key: string;
  readonly before: Conversation | undefined;
  readonly after: Conversation | undefined;
}

/** The `${type}:${id}` string that identifies a conversation (`c2c:bob`, `group:g1`). */
export function conversationKeyString(key: ConversationKey): string {
  return `${key.type}:${key.id}`;
}

const compareStrings = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** Ascending by key string: the tie-break that makes every order total and stable. */
export const byKey: ConversationComparator = (a, b) =>
  compareStrings(conversationKeyString(a.key), conversationKeyString(b.key));

/**
 * The default order, Tencent's: pinned first, then the most recent activity
 * (`conv_active_time`, compared as a 64-bit value: v8 sets high bits on pinned
 * ones), then the last message's server time, newest first. Ties are broken
 * by key (every comparator is), so equal conversations never swap places.
 */
export const byRecentActivity: ConversationComparator = (a, b) =>
  Number(b.isPinned) - Number(a.isPinned)
  || (a.activeTime === b.activeTime ? 0 : a.activeTime > b.activeTime ? -1 : 1)
  || (b.lastMessage?.serverTime ?? -1) - (a.lastMessage?.serverTime ?? -1);

/** `comparator`, then by key: a total order, so binary search finds each conversation exactly. */
export function thenByKey(comparator: ConversationComparator): ConversationComparator {
  return (a, b) => comparator(a, b) || byKey(a, b);
}

/** The result of one action: the new list (the same instance when nothing changed) and what changed. */
export interface ConversationListStep {
  readonly list: ConversationListState;
  readonly changes: readonly ConversationChange[];
}

/** An immutable, sorted conversation list. Build one with `ConversationListState.empty()`. */
export class ConversationListState {
  private constructor(
    /** In display order. A new array whenever the list changed; never mutated. */
    readonly sorted: readonly Conversation[],
    /** Key strings, ascending, aligned with `byKeyValues`. */
    private readonly keys: readonly string[],
    private readonly byKeyValues: readonly Conversation[],
    /** The comparator as given (without the key tie-break). */
    readonly comparator: ConversationComparator,
    private readonly order: ConversationComparator,
  ) {}

  static empty(comparator: ConversationComparator = byRecentActivity): ConversationListState {
    return new ConversationListState([], [], [], comparator, thenByKey(comparator));
  }

  get size(): number {
    return this.sorted.length;
  }

  /** The conversation with this key (or key string), in O(log n). */
  get(key: ConversationKey | string): Conversation | undefined {
    const i = this.findKey(typeof key === 'string' ? key : conversationKeyString(key));
    return i >= 0 ? this.byKeyValues[i] : undefined;
  }

  /** Applies one action; returns the same list (and no changes) when it changes nothing. */
  apply(action: ConversationListAction): ConversationListStep {
    switch (action.kind) {
      case 'add':
      case 'update':
        return this.upsertAll(action.conversations);
      case 'delete':
        return this.removeAll(action.conversations.map((c) => conversationKeyString(c.key)));
      case 'snapshot':
        return this.replace(action.conversations);
      case 'sort':
        return this.resort(action.comparator);
      case 'clear':
        return this.replace([]);
      case 'sync-start':
      case 'sync-finish':
        return { list: this, changes: [] };
    }
  }

  private upsertAll(conversations: readonly Conversation[]): ConversationListStep {
    let list: ConversationListState = this;
    const changes: ConversationChange[] = [];
    for (const c of conversations) {
      const step = list.upsert(c);
      if (step) {
        list = step.list;
        changes.push(step.change);
      }
    }
    return { list, changes: mergeChanges(changes) };
  }

  private removeAll(keys: readonly string[]): ConversationListStep {
    let list: ConversationListState = this;
    const changes: ConversationChange[] = [];
    for (const key of keys) {
      const step = list.remove(key);
      if (step) {
        list = step.list;
        changes.push(step.change);
      }
    }
    return { list, changes: mergeChanges(changes) };
  }

  /** Adds or replaces one conversation; undefined when it is already there, identical. */
  private upsert(c: Conversation): { list: ConversationListState; change: ConversationChange } | undefined {
    const key = conversationKeyString(c.key);
    const i = this.findKey(key);
    if (i >= 0) {
      const before = this.byKeyValues[i]!;
      if (sameValue(before, c)) return undefined;
      const sorted = this.sorted.slice();
      sorted.splice(this.position(before), 1);
      sorted.splice(lowerBound(sorted, c, this.order), 0, c);
      const values = this.byKeyValues.slice();
      values[i] = c;
      return { list: this.with(sorted, this.keys, values), change: { key, before, after: c } };
    }
    const at = -i - 1;
    const sorted = this.sorted.slice();
    sorted.splice(lowerBound(sorted, c, this.order), 0, c);
    return {
      list: this.with(sorted, insertAt(this.keys, at, key), insertAt(this.byKeyValues, at, c)),
      change: { key, before: undefined, after: c },
    };
  }

  private remove(key: string): { list: ConversationListState; change: ConversationChange } | undefined {
    const i = this.findKey(key);
    if (i < 0) return undefined;
    const before = this.byKeyValues[i]!;
    const sorted = this.sorted.slice();
    sorted.splice(this.position(before), 1);
    return {
      list: this.with(sorted, removeAt(this.keys, i), removeAt(this.byKeyValues, i)),
      change: { key, before, after: undefined },
    };
  }

  /**
   * A snapshot replaces the whole list (a resync): conversations equal to the
   * ones held keep their identity, so neither they nor the list emit when
   * nothing changed. Duplicate keys in the snapshot: the last one wins.
   */
  private replace(conversations: readonly Conversation[]): ConversationListStep {
    const incoming = new Map<string, Conversation>();
    for (const c of conversations) incoming.set(conversationKeyString(c.key), c);
    const changes: ConversationChange[] = [];
    const kept: [string, Conversation][] = [];
    for (const [key, next] of incoming) {
      const before = this.get(key);
      if (before !== undefined && sameValue(before, next)) {
        kept.push([key, before]);
      } else {
        kept.push([key, next]);
        changes.push({ key, before, after: next });
      }
    }
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]!;
      if (!incoming.has(key)) changes.push({ key, before: this.byKeyValues[i], after: undefined });
    }
    if (changes.length === 0) return { list: this, changes };
    kept.sort(([x], [y]) => compareStrings(x, y));
    const values = kept.map(([, c]) => c);
    return { list: this.with(values.slice().sort(this.order), kept.map(([k]) => k), values), changes };
  }

  private resort(comparator: ConversationComparator): ConversationListStep {
    if (comparator === this.comparator) return { list: this, changes: [] };
    const order = thenByKey(comparator);
    return {
      list: new ConversationListState(this.sorted.slice().sort(order), this.keys, this.byKeyValues, comparator, order),
      changes: [],
    };
  }

  private with(sorted: Conversation[], keys: readonly string[], values: readonly Conversation[]): ConversationListState {
    return new ConversationListState(sorted, keys, values, this.comparator, this.order);
  }

  /** Index of `key` in `keys`, or `-(insertion point) - 1`. */
  private findKey(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid]!;
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid;
    }
    return -lo - 1;
  }

  /** Where a held conversation sits in `sorted` (binary search; a linear scan only if a comparator is inconsistent). */
  private position(c: Conversation): number {
    const i = lowerBound(this.sorted, c, this.order);
    return this.sorted[i] === c ? i : this.sorted.indexOf(c);
  }
}

/** The first index whose element does not come before `c`. */
function lowerBound(sorted: readonly Conversation[], c: Conversation, order: ConversationComparator): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(sorted[mid]!, c) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertAt<T>(array: readonly T[], at: number, value: T): T[] {
  const copy = array.slice();
  copy.splice(at, 0, value);
  return copy;
}

function removeAt<T>(array: readonly T[], at: number): T[] {
  const copy = array.slice();
  copy.splice(at, 1);
  return copy;
}

/** One change per key: the first `before` and the last `after` (an event may name a conversation twice). */
function mergeChanges(changes: readonly ConversationChange[]): ConversationChange[] {
  if (changes.length < 2) return changes.slice();
  const byKeyString = new Map<string, ConversationChange>();
  for (const c of changes) {
    const first = byKeyString.get(c.key);
    byKeyString.set(c.key, first ? { key: c.key, before: first.before, after: c.after } : c);
  }
  return [...byKeyString.values()].filter((c) => c.before !== c.after);
}

/** The pure reducer: `scan(reduceConversationList, ConversationListState.empty())`. */
export function reduceConversationList(list: ConversationListState, action: ConversationListAction): ConversationListState {
  return list.apply(action).list;
}

/** One step of the reducer with the changes it made (what the state uses to update per-key streams and the unread total). */
export function applyConversationAction(list: ConversationListState, action: ConversationListAction): ConversationListStep {
  return list.apply(action);
}

/**
 * The reducer as an operator: the empty list at once, then the sorted list
 * after each action that changed it.
 */
export function conversationList(
  comparator: ConversationComparator = byRecentActivity,
): OperatorFunction<ConversationListAction, readonly Conversation[]> {
  return (actions) => actions.pipe(
    scan(reduceConversationList, ConversationListState.empty(comparator)),
    map((list) => list.sorted),
    startWith<readonly Conversation[]>([]),
    distinctUntilChanged(),
  );
}
