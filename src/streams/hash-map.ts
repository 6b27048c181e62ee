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

class Branch<V> {
  constructor(readonly bitmap: number, readonly slots: readonly Slot<V>[]) {}
}

type Slot<V> = Entry<V> | Bucket<V> | Branch<V>;

const EMPTY_BRANCH = new Branch<never>(0, []);

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
  if (ia === ib) return new Branch(1 << ia, [pair(a, b, shift + BITS)]);
  return new Branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a]);
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
  const bit = 1 << ((entry.hash >>> shift) & MASK);
  const at = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    added.value = true;
    return new Branch(node.bitmap | bit, withInserted(node.slots, at, entry));
  }
  return new Branch(node.bitmap, withItem(node.slots, at, set(node.slots[at]!, entry, shift + BITS, added)));
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
  const bit = 1 << ((hash >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return node;
  const at = popcount(node.bitmap & (bit - 1));
  const child = node.slots[at]!;
  const next = remove(child, hash, key, shift + BITS);
  if (next === child) return node;
  if (next === undefined) {
    if (node.slots.length === 1) return undefined;
    const slots = withRemoved(node.slots, at);
    // A branch left with one entry collapses into it (not a branch or bucket: those keep their depth).
    if (slots.length === 1 && slots[0] instanceof Entry) return slots[0];
    return new Branch(node.bitmap & ~bit, slots);
  }
  if (node.slots.length === 1 && next instanceof Entry) return next;
  return new Branch(node.bitmap, withItem(node.slots, at, next));
}

function* entries<V>(node: Slot<V>): Generator<Entry<V>> {
  if (node instanceof Entry) yield node;
  else if (node instanceof Bucket) yield* node.entries;
  else for (const s of node.slots) yield* entries(s);
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
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.slots[popcount(node.bitmap & (bit - 1))]!;
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
