/**
 * A persistent (immutable, structurally shared) sorted sequence: a B+tree
 * whose nodes know how many values they hold, so that a value is found by
 * comparison or by position in O(log n).
 *
 * Every change copies only the nodes on the root-to-leaf paths it touches (at
 * most `MAX_WIDTH` slots per node, three or four levels for 100k values) and
 * shares the rest with the version it came from. Old versions stay valid and
 * unchanged for whoever holds them. This is what lets one conversation event
 * cost nearly the same with 1k or 100k conversations (docs/state.md).
 *
 * What one change allocates is kept small, because at 100k values the young
 * generation of the garbage collector holds most of the tree between two
 * collections (docs/benchmarks.md, bench 3): a branch holds its children
 * only (the sizes are read from the children, so a path copy does not copy a
 * counts array too), a value that moves is removed and inserted in one pass
 * that copies the nodes the two paths share once, and a value that stays
 * between its neighbours is set in place.
 *
 * The order must be total (no two values compare equal); the conversation
 * list makes every order total by breaking ties by key.
 */
import { withInserted, withItem, withMoved, withRemoved } from './arrays.js';

/** Most slots a node holds; a node splits above it. */
const MAX_WIDTH = 64;
/** A node with fewer slots than this is merged with a neighbour. */
const MIN_WIDTH = 16;
/** Slots per node when a tree is built at once: room to grow before the first split. */
const BUILD_WIDTH = 48;

export type Order<T> = (a: T, b: T) => number;

class Leaf<T> {
  /** `values[0]`, kept here so that a search in the parent reads the leaf object only, not also its array. */
  readonly first: T;
  constructor(readonly values: readonly T[]) {
    this.first = values[0]!;
  }
  get size(): number {
    return this.values.length;
  }
  get width(): number {
    return this.values.length;
  }
}

class Branch<T> {
  /** The first value under this branch, kept here so that a search reads one node per level. */
  readonly first: T;
  constructor(readonly children: readonly Node<T>[], readonly size: number) {
    this.first = children[0]!.first;
  }
  get width(): number {
    return this.children.length;
  }
}

type Node<T> = Leaf<T> | Branch<T>;

function branchOf<T>(children: readonly Node<T>[]): Branch<T> {
  let size = 0;
  for (const c of children) size += c.size;
  return new Branch(children, size);
}

/** Splits `items` into `parts` runs of nearly equal length. */
function chunks<X>(items: readonly X[], parts: number): X[][] {
  const out: X[][] = [];
  for (let p = 0, from = 0; p < parts; p++) {
    const to = Math.round(((p + 1) * items.length) / parts);
    out.push(items.slice(from, to));
    from = to;
  }
  return out;
}

/** One node, or two halves when it holds more than `MAX_WIDTH` slots. */
function fit<T>(node: Node<T>): Node<T>[] {
  if (node.width <= MAX_WIDTH) return [node];
  if (node instanceof Leaf) return chunks(node.values, 2).map((v) => new Leaf(v));
  return chunks(node.children, 2).map((c) => branchOf(c));
}

/** Two neighbours as one node (then re-split by `fit` if that is too wide). */
function merge<T>(a: Node<T>, b: Node<T>): Node<T> {
  if (a instanceof Leaf && b instanceof Leaf) return new Leaf([...a.values, ...b.values]);
  return branchOf([...(a as Branch<T>).children, ...(b as Branch<T>).children]);
}

/** A child of `parent` that a change left with too many or too few slots. */
function unsettled<T>(parent: Branch<T>, child: Node<T>): boolean {
  return child.width > MAX_WIDTH || (child.width < MIN_WIDTH && parent.width > 1);
}

/** A branch of `children` in which every child too wide is split and every child too narrow merged with a neighbour (rare: rebuilt simply). */
function settled<T>(children: readonly Node<T>[]): Branch<T> {
  const out: Node<T>[] = [];
  for (const child of children) {
    const last = out[out.length - 1];
    if (last !== undefined && (last.width < MIN_WIDTH || child.width < MIN_WIDTH)) out.splice(-1, 1, ...fit(merge(last, child)));
    else out.push(...fit(child));
  }
  return branchOf(out);
}

/** `branch` with `children[i]` replaced by `child` (which may hold one value more or fewer). */
function adopt<T>(branch: Branch<T>, i: number, child: Node<T>): Branch<T> {
  const children = withItem(branch.children, i, child);
  if (unsettled(branch, child)) return settled(children);
  return new Branch(children, branch.size - branch.children[i]!.size + child.size);
}

/** The child of `branch` that holds the value at `index`, and the index inside it. */
function childAt<T>(branch: Branch<T>, index: number): [number, number] {
  let i = 0;
  while (index >= branch.children[i]!.size) index -= branch.children[i++]!.size;
  return [i, index];
}

/** The last child whose first value does not come after `value` (0 if all do). */
function childFor<T>(branch: Branch<T>, value: T, order: Order<T>): number {
  let lo = 1;
  let hi = branch.children.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(branch.children[mid]!.first, value) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The first index in a leaf whose value comes after `value` (after any value it ties with). */
function boundIn<T>(values: readonly T[], value: T, order: Order<T>): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(values[mid]!, value) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `node` with `value` inserted after any value it ties with. */
function insertInto<T>(node: Node<T>, value: T, order: Order<T>): Node<T> {
  if (node instanceof Leaf) return new Leaf(withInserted(node.values, boundIn(node.values, value, order), value));
  const i = childFor(node, value, order);
  return adopt(node, i, insertInto(node.children[i]!, value, order));
}

/** `node` without the value at `index`. */
function removeAt<T>(node: Node<T>, index: number): Node<T> {
  if (node instanceof Leaf) return new Leaf(withRemoved(node.values, index));
  const [i, inner] = childAt(node, index);
  return adopt(node, i, removeAt(node.children[i]!, inner));
}

/** `node` without `value` (found by `order`), or undefined when it is not where `order` puts it. */
function removeValue<T>(node: Node<T>, value: T, order: Order<T>): Node<T> | undefined {
  if (node instanceof Leaf) {
    // By identity: reading the leaf's own slots, not comparing values that may be long out of the CPU cache.
    const at = node.values.indexOf(value);
    return at < 0 ? undefined : new Leaf(withRemoved(node.values, at));
  }
  const i = childFor(node, value, order);
  const child = removeValue(node.children[i]!, value, order);
  return child && adopt(node, i, child);
}

/**
 * `node` with `old` removed and `value` inserted, in one pass: while both
 * belong to the same child, one path is copied; where they part, the branch
 * is copied once for both. Undefined when `old` is not where `order` puts it.
 */
function replaceIn<T>(node: Node<T>, old: T, value: T, order: Order<T>): Node<T> | undefined {
  if (node instanceof Leaf) {
    const at = node.values.indexOf(old);
    return at < 0 ? undefined : new Leaf(withMoved(node.values, at, boundIn(node.values, value, order), value));
  }
  const from = childFor(node, old, order);
  const to = childFor(node, value, order);
  if (from === to) {
    const child = replaceIn(node.children[from]!, old, value, order);
    return child && adopt(node, from, child);
  }
  const removed = removeValue(node.children[from]!, old, order);
  if (removed === undefined) return undefined;
  const inserted = insertInto(node.children[to]!, value, order);
  const children = withItem(node.children, from, removed);
  children[to] = inserted;
  return unsettled(node, removed) || unsettled(node, inserted) ? settled(children) : new Branch(children, node.size);
}

/** Appends the values at positions [from, to) of `node` to `out`. */
function collect<T>(node: Node<T>, from: number, to: number, out: T[]): void {
  if (node instanceof Leaf) {
    for (let i = from; i < to; i++) out.push(node.values[i]!);
    return;
  }
  let offset = 0;
  for (let i = 0; i < node.children.length && offset < to; i++) {
    const count = node.children[i]!.size;
    if (offset + count > from) collect(node.children[i]!, Math.max(0, from - offset), Math.min(count, to - offset), out);
    offset += count;
  }
}

/** An immutable sorted sequence. Every method that changes it returns a new tree. */
export class SortedTree<T> implements Iterable<T> {
  private constructor(private readonly root: Node<T>) {}

  /** The tree of a root after a change: split when it grew too wide, a branch of one child replaced by that child. */
  private static rooted<T>(root: Node<T>): SortedTree<T> {
    if (root.width > MAX_WIDTH) return new SortedTree(branchOf(fit(root)));
    while (root instanceof Branch && root.width === 1) root = root.children[0]!;
    return new SortedTree(root);
  }

  static empty<T>(): SortedTree<T> {
    return new SortedTree<T>(new Leaf<T>([]));
  }

  /** A tree of `values`, which must already be in order: O(n). */
  static fromSorted<T>(values: readonly T[]): SortedTree<T> {
    let level: Node<T>[] = chunks(values, Math.max(1, Math.ceil(values.length / BUILD_WIDTH))).map((v) => new Leaf(v));
    while (level.length > 1) {
      level = chunks(level, Math.ceil(level.length / BUILD_WIDTH)).map((c) => branchOf(c));
    }
    return new SortedTree(level[0]!);
  }

  get size(): number {
    return this.root.size;
  }

  /** The value at `index` (0-based, in order), or undefined outside [0, size). */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) return undefined;
    let node = this.root;
    while (node instanceof Branch) {
      const [i, inner] = childAt(node, index);
      node = node.children[i]!;
      index = inner;
    }
    return node.values[index];
  }

  /** The position of `value` itself (the same value, found where `order` puts it), or -1. */
  indexOf(value: T, order: Order<T>): number {
    let node = this.root;
    let offset = 0;
    while (node instanceof Branch) {
      const i = childFor(node, value, order);
      for (let c = 0; c < i; c++) offset += node.children[c]!.size;
      node = node.children[i]!;
    }
    const at = node.values.indexOf(value);
    return at < 0 ? -1 : offset + at;
  }

  /** Adds `value` at its place in `order` (after any value it ties with). */
  insert(value: T, order: Order<T>): SortedTree<T> {
    return SortedTree.rooted(insertInto(this.root, value, order));
  }

  /** Removes the value at `index` (which must be in [0, size)). */
  removeAt(index: number): SortedTree<T> {
    return SortedTree.rooted(removeAt(this.root, index));
  }

  /** Removes `value` itself, found by `order`; undefined when it is not where `order` puts it. */
  remove(value: T, order: Order<T>): SortedTree<T> | undefined {
    const root = removeValue(this.root, value, order);
    return root && SortedTree.rooted(root);
  }

  /**
   * Replaces `old` (found by `order`) by `value`, at its place in `order`:
   * `remove(old, order)?.insert(value, order)` in one pass. Undefined when
   * `old` is not where `order` puts it.
   */
  replace(old: T, value: T, order: Order<T>): SortedTree<T> | undefined {
    const root = replaceIn(this.root, old, value, order);
    return root && SortedTree.rooted(root);
  }

  /** The values at positions [start, end), like `Array.prototype.slice` (negative positions count from the end). */
  slice(start = 0, end = this.size): T[] {
    const from = clampIndex(start, this.size);
    const to = clampIndex(end, this.size);
    const out: T[] = [];
    if (from < to) collect(this.root, from, to, out);
    return out;
  }

  *[Symbol.iterator](): Iterator<T> {
    const stack: [Branch<T>, number][] = [];
    let node: Node<T> = this.root;
    for (;;) {
      while (node instanceof Branch) {
        stack.push([node, 0]);
        node = node.children[0]!;
      }
      yield* node.values;
      let top = stack[stack.length - 1];
      while (top !== undefined && top[1] + 1 >= top[0].children.length) {
        stack.pop();
        top = stack[stack.length - 1];
      }
      if (top === undefined) return;
      top[1]++;
      node = top[0].children[top[1]]!;
    }
  }
}

function clampIndex(i: number, size: number): number {
  const n = Math.trunc(i) || 0;
  return n < 0 ? Math.max(0, size + n) : Math.min(n, size);
}
