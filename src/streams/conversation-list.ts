/**
 * The sorted conversation list as an immutable value and its pure reducer.
 *
 * A list keeps the conversations twice, in two persistent structures: in
 * display order in a B+tree (sorted-tree.ts, what `conversations$` emits)
 * and by key in a hash trie (hash-map.ts, for lookups). One event costs a
 * hash lookup, O(log n) comparisons for the old and the new position, and a
 * copy of the few nodes on those paths. Every version stays valid for whoever still holds it (a view, a
 * late `observeOn`, a test), sharing all other nodes with the next one.
 * Nothing re-sorts, scans, copies or compares the whole list.
 */
import type { Conversation, ConversationEvent } from '../codecs/conversation.js';
import type { ConversationKey } from '../codecs/message.js';
import { distinctUntilChanged, scan, startWith, type OperatorFunction } from 'rxjs';
import { sameValue } from './equal.js';
import { HashMap } from './hash-map.js';
import { SortedTree } from './sorted-tree.js';

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

/**
 * An immutable, sorted conversation list: what `conversations$` emits and
 * what the reducer works on. Build one with `ConversationListState.empty()`.
 *
 * Iterable in display order (`for … of`, `[...list]`, Angular's `@for` and
 * `ngFor`), with `size`/`length`, `at(i)`, `slice(start, end)` (the page a view
 * shows, in O(log n + page)), `get(key)`, `indexOf(key)` and `toArray()`.
 */
export class ConversationListState implements Iterable<Conversation> {
  private array: readonly Conversation[] | undefined;

  private constructor(
    /** In display order. */
    private readonly display: SortedTree<Conversation>,
    /** By key string. */
    private readonly index: HashMap<Conversation>,
    /** The comparator as given (without the key tie-break). */
    readonly comparator: ConversationComparator,
    private readonly order: ConversationComparator,
  ) {}

  static empty(comparator: ConversationComparator = byRecentActivity): ConversationListState {
    return new ConversationListState(SortedTree.empty(), HashMap.empty(), comparator, thenByKey(comparator));
  }

  /** How many conversations the list holds. */
  get size(): number {
    return this.display.size;
  }

  /** The same as `size`, for code written for arrays. */
  get length(): number {
    return this.display.size;
  }

  /** The conversation at a display position (negative counts from the end, like `Array.prototype.at`), in O(log n). */
  at(position: number): Conversation | undefined {
    return this.display.at(position < 0 ? this.size + position : position);
  }

  /** The conversations at display positions [start, end), like `Array.prototype.slice`, in O(log n + end − start). */
  slice(start?: number, end?: number): Conversation[] {
    return this.display.slice(start, end);
  }

  /** The conversation with this key (or key string): a hash lookup. */
  get(key: ConversationKey | string): Conversation | undefined {
    return this.index.get(typeof key === 'string' ? key : conversationKeyString(key));
  }

  /** The display position of the conversation with this key, or -1, in O(log n). */
  indexOf(key: ConversationKey | string): number {
    const c = this.get(key);
    return c === undefined ? -1 : this.position(c);
  }

  /** The whole list as an array, in display order: built on the first call (O(n)), the same frozen array after. */
  toArray(): readonly Conversation[] {
    this.array ??= Object.freeze(this.display.slice());
    return this.array;
  }

  [Symbol.iterator](): Iterator<Conversation> {
    return this.display[Symbol.iterator]();
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
        return this.size === 0 ? { list: this, changes: [] } : this.replace([]);
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
    const before = this.index.get(key);
    if (before !== undefined && sameValue(before, c)) return undefined;
    const display = before === undefined
      ? this.display.insert(c, this.order)
      : this.display.replace(before, c, this.order) ?? this.withoutScanned(before).insert(c, this.order);
    return { list: this.with(display, this.index.set(key, c)), change: { key, before, after: c } };
  }

  private remove(key: string): { list: ConversationListState; change: ConversationChange } | undefined {
    const before = this.index.get(key);
    if (before === undefined) return undefined;
    return {
      list: this.with(this.display.remove(before, this.order) ?? this.withoutScanned(before), this.index.delete(key)),
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
      const before = this.index.get(key);
      const same = before !== undefined && sameValue(before, next);
      kept.push([key, same ? before : next]);
      if (!same) changes.push({ key, before, after: next });
    }
    for (const [key, conversation] of this.index) {
      if (!incoming.has(key)) changes.push({ key, before: conversation, after: undefined });
    }
    if (changes.length === 0) return { list: this, changes };
    const sorted = kept.map(([, c]) => c).sort(this.order);
    return { list: this.with(SortedTree.fromSorted(sorted), HashMap.of(kept)), changes };
  }

  private resort(comparator: ConversationComparator): ConversationListStep {
    if (comparator === this.comparator) return { list: this, changes: [] };
    const order = thenByKey(comparator);
    const display = SortedTree.fromSorted([...this.display].sort(order));
    return { list: new ConversationListState(display, this.index, comparator, order), changes: [] };
  }

  private with(display: SortedTree<Conversation>, index: HashMap<Conversation>): ConversationListState {
    return new ConversationListState(display, index, this.comparator, this.order);
  }

  /** Where a held conversation sits in display order (a search; a linear scan only if a comparator is inconsistent). */
  private position(c: Conversation): number {
    const i = this.display.indexOf(c, this.order);
    return i >= 0 ? i : this.scan(c);
  }

  /** The display without a held conversation that the order does not find (a comparator that is inconsistent): O(n). */
  private withoutScanned(c: Conversation): SortedTree<Conversation> {
    return this.display.removeAt(this.scan(c));
  }

  private scan(c: Conversation): number {
    let p = 0;
    for (const x of this.display) {
      if (x === c) return p;
      p++;
    }
    return -1;
  }
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

/**
 * The reducer as an operator: the empty list at once, then the sorted list
 * after each action that changed it.
 */
export function conversationList(
  comparator: ConversationComparator = byRecentActivity,
): OperatorFunction<ConversationListAction, ConversationListState> {
  const empty = ConversationListState.empty(comparator);
  return (actions) => actions.pipe(
    scan(reduceConversationList, empty),
    startWith(empty),
    distinctUntilChanged(),
  );
}
