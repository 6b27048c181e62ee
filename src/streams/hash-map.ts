/**
 * A persistent (immutable, structurally shared) map from strings to values:
 * a hash array mapped trie (Bagwell's HAMT). Five bits of a 32-bit hash per
 * level, a bitmap per node saying which of its 32 slots are used; keys whose
 * hashes are equal share a collision bucket below the last level.
 *
 * A lookup reads one small node per level (four levels for 100k keys) and
 * compares one key string, so it stays cheap however large the map is; a
 * change copies only the nodes on one path. The conversation list keeps its
 * key index here (conversation-list.ts).
 */

import { withInserted, withItem, withRemoved } from './arrays.js';

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

/** FNV-1a over the UTF-16 code units of the key, as an unsigned 32-bit integer. */
export function hashString(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Entry<V> {
  constructor(readonly hash: number, readonly key: string, readonly value: V) {}
}

class Bucket<V> {
  constructor(readonly hash: number, readonly entries: readonly Entry<V>[]) {}
}

/**
 * A branch: its bitmap, then one slot per bit set, in one array: a lookup
 * reads one object per level (a level of a large map is rarely in the CPU
 * cache), and a change allocates one.
 */
type Branch<V> = readonly [bitmap: number, ...slots: Slot<V>[]];

type Slot<V> = Entry<V> | Bucket<V> | Branch<V>;

const EMPTY_BRANCH: Branch<never> = [0];

/** `items` (a copy of a branch) as a branch with `bitmap`. */
function branch<V>(items: (number | Slot<V>)[], bitmap: number): Branch<V> {
  items[0] = bitmap;
  return items as unknown as Branch<V>;
}

/** The slot of `node` at `at` (1-based: after the bitmap). */
function slotAt<V>(node: Branch<V>, at: number): Slot<V> {
  return node[at] as Slot<V>;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** A branch (or bucket) holding an entry or bucket and a new entry whose hashes agree below `shift`. */
function pair<V>(a: Entry<V> | Bucket<V>, b: Entry<V>, shift: number): Slot<V> {
  if (a.hash === b.hash) return new Bucket(a.hash, a instanceof Bucket ? [...a.entries, b] : [a, b]);
  const ia = (a.hash >>> shift) & MASK;
  const ib = (b.hash >>> shift) & MASK;
  if (ia === ib) return [1 << ia, pair(a, b, shift + BITS)];
  return ia < ib ? [(1 << ia) | (1 << ib), a, b] : [(1 << ia) | (1 << ib), b, a];
}

/** `node` with `entry` set; `added` tells whether the key was new. */
function set<V>(node: Slot<V>, entry: Entry<V>, shift: number, added: { value: boolean }): Slot<V> {
  if (node instanceof Entry) {
    if (node.key === entry.key) return entry;
    added.value = true;
    return pair(node, entry, shift);
  }
  if (node instanceof Bucket) {
    if (node.hash !== entry.hash) {
      added.value = true;
      return pair(node, entry, shift);
    }
    const i = node.entries.findIndex((e) => e.key === entry.key);
    if (i >= 0) return new Bucket(node.hash, withItem(node.entries, i, entry));
    added.value = true;
    return new Bucket(node.hash, [...node.entries, entry]);
  }
  const bitmap = node[0];
  const bit = 1 << ((entry.hash >>> shift) & MASK);
  const at = 1 + popcount(bitmap & (bit - 1));
  if ((bitmap & bit) === 0) {
    added.value = true;
    return branch(withInserted<number | Slot<V>>(node, at, entry), bitmap | bit);
  }
  return branch(withItem<number | Slot<V>>(node, at, set(slotAt(node, at), entry, shift + BITS, added)), bitmap);
}

/** `node` without `key`: the same node when absent, undefined when nothing is left. */
function remove<V>(node: Slot<V>, hash: number, key: string, shift: number): Slot<V> | undefined {
  if (node instanceof Entry) return node.key === key ? undefined : node;
  if (node instanceof Bucket) {
    const i = node.entries.findIndex((e) => e.key === key);
    if (i < 0) return node;
    const rest = withRemoved(node.entries, i);
    return rest.length === 1 ? rest[0]! : new Bucket(node.hash, rest);
  }
  const bitmap = node[0];
  const bit = 1 << ((hash >>> shift) & MASK);
  if ((bitmap & bit) === 0) return node;
  const at = 1 + popcount(bitmap & (bit - 1));
  const child = slotAt(node, at);
  const next = remove(child, hash, key, shift + BITS);
  if (next === child) return node;
  if (next === undefined) {
    if (node.length === 2) return undefined;
    const rest = branch(withRemoved<number | Slot<V>>(node, at), bitmap & ~bit);
    // A branch left with one entry collapses into it (not a branch or bucket: those keep their depth).
    const only = rest.length === 2 ? slotAt(rest, 1) : undefined;
    return only instanceof Entry ? only : rest;
  }
  if (node.length === 2 && next instanceof Entry) return next;
  return branch(withItem<number | Slot<V>>(node, at, next), bitmap);
}

function* entries<V>(node: Slot<V>): Generator<Entry<V>> {
  if (node instanceof Entry) yield node;
  else if (node instanceof Bucket) yield* node.entries;
  else for (let i = 1; i < node.length; i++) yield* entries(slotAt(node, i));
}

/** An immutable map from strings to values. Every change returns a new map. */
export class HashMap<V> implements Iterable<[string, V]> {
  private constructor(private readonly root: Slot<V>, readonly size: number) {}

  static empty<V>(): HashMap<V> {
    return new HashMap<V>(EMPTY_BRANCH, 0);
  }

  static of<V>(pairs: Iterable<readonly [string, V]>): HashMap<V> {
    let map = HashMap.empty<V>();
    for (const [k, v] of pairs) map = map.set(k, v);
    return map;
  }

  get(key: string): V | undefined {
    const hash = hashString(key);
    let node: Slot<V> = this.root;
    for (let shift = 0; ; shift += BITS) {
      if (node instanceof Entry) return node.key === key ? node.value : undefined;
      if (node instanceof Bucket) return node.entries.find((e) => e.key === key)?.value;
      const bitmap = node[0];
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((bitmap & bit) === 0) return undefined;
      node = slotAt(node, 1 + popcount(bitmap & (bit - 1)));
    }
  }

  set(key: string, value: V): HashMap<V> {
    const added = { value: false };
    const root = set(this.root, new Entry(hashString(key), key, value), 0, added);
    return new HashMap(root, added.value ? this.size + 1 : this.size);
  }

  delete(key: string): HashMap<V> {
    const root = remove(this.root, hashString(key), key, 0);
    if (root === this.root) return this;
    return new HashMap(root ?? EMPTY_BRANCH, this.size - 1);
  }

  *[Symbol.iterator](): Iterator<[string, V]> {
    for (const e of entries(this.root)) yield [e.key, e.value];
  }
}
