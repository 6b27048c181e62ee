/**
 * A persistent (immutable, structurally shared) sorted sequence: a B+tree
 * whose branches count the values under each child, so that a value is found
 * by comparison or by position in O(log n).
 *
 * Every change copies only the nodes on one root-to-leaf path (at most
 * `MAX_WIDTH` slots per node, three or four levels for 100k values) and
 * shares the rest with the version it came from. Old versions stay valid and
 * unchanged for whoever holds them. This is what lets one conversation event
 * cost the same with 1k or 100k conversations (docs/state.md).
 *
 * The order must be total (no two values compare equal); the conversation
 * list makes every order total by breaking ties by key.
 */

/** Most slots a node holds; a node splits above it. */
const MAX_WIDTH = 64;
/** A node with fewer slots than this is merged with a neighbour. */
const MIN_WIDTH = 16;
/** Slots per node when a tree is built at once: room to grow before the first split. */
const BUILD_WIDTH = 48;

export type Order<T> = (a: T, b: T) => number;
/** Where a value sits relative to the one sought: negative before it, 0 it, positive after it. */
export type Probe<T> = (value: T) => number;

class Leaf<T> {
  constructor(readonly values: readonly T[]) {}
  get size(): number {
    return this.values.length;
  }
  get width(): number {
    return this.values.length;
  }
  get first(): T {
    return this.values[0]!;
  }
}

class Branch<T> {
  /** The first value under this branch, kept here so that a search reads one node per level. */
  readonly first: T;
  constructor(
    readonly children: readonly Node<T>[],
    /** `counts[i]` = number of values under `children[i]`. */
    readonly counts: readonly number[],
    readonly size: number,
  ) {
    this.first = children[0]!.first;
  }
  get width(): number {
    return this.children.length;
  }
}

type Node<T> = Leaf<T> | Branch<T>;

function branchOf<T>(children: readonly Node<T>[]): Branch<T> {
  const counts = children.map((c) => c.size);
  let size = 0;
  for (const n of counts) size += n;
  return new Branch(children, counts, size);
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

/** The child of `branch` that holds the value at `index`, and the index inside it. */
function childAt<T>(branch: Branch<T>, index: number): [number, number] {
  let i = 0;
  while (index >= branch.counts[i]!) index -= branch.counts[i++]!;
  return [i, index];
}

/** The last child whose first value does not come after the probe (0 if all do). */
function childFor<T>(branch: Branch<T>, probe: Probe<T>): number {
  let lo = 1;
  let hi = branch.children.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (probe(branch.children[mid]!.first) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The first index in a leaf whose value does not come before the probe. */
function lowerBound<T>(values: readonly T[], probe: Probe<T>): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (probe(values[mid]!) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function replaced<X>(items: readonly X[], at: number, count: number, ...by: X[]): X[] {
  const copy = items.slice();
  copy.splice(at, count, ...by);
  return copy;
}

/** `branch` with `children[at]` replaced by `by` (one node, or two after a split). */
function withChildren<T>(branch: Branch<T>, at: number, count: number, by: readonly Node<T>[]): Branch<T> {
  const children = replaced(branch.children, at, count, ...by);
  const counts = replaced(branch.counts, at, count, ...by.map((c) => c.size));
  let size = branch.size;
  for (let i = at; i < at + count; i++) size -= branch.counts[i]!;
  for (const c of by) size += c.size;
  return new Branch(children, counts, size);
}

function insertInto<T>(node: Node<T>, value: T, probe: Probe<T>): Node<T>[] {
  if (node instanceof Leaf) return fit(new Leaf(replaced(node.values, lowerBound(node.values, probe), 0, value)));
  const i = childFor(node, probe);
  return fit(withChildren(node, i, 1, insertInto(node.children[i]!, value, probe)));
}

function removeFrom<T>(node: Node<T>, index: number): Node<T> {
  if (node instanceof Leaf) return new Leaf(replaced(node.values, index, 1));
  const [i, inner] = childAt(node, index);
  const child = removeFrom(node.children[i]!, inner);
  if (child.width >= MIN_WIDTH || node.width === 1) return withChildren(node, i, 1, [child]);
  // Too narrow: merge with a neighbour (and split again if the two are too wide together).
  const left = i > 0 ? i - 1 : i;
  const pair = left === i ? [child, node.children[i + 1]!] : [node.children[left]!, child];
  return withChildren(node, left, 2, fit(merge(pair[0]!, pair[1]!)));
}

/** Appends the values at positions [from, to) of `node` to `out`. */
function collect<T>(node: Node<T>, from: number, to: number, out: T[]): void {
  if (node instanceof Leaf) {
    for (let i = from; i < to; i++) out.push(node.values[i]!);
    return;
  }
  let offset = 0;
  for (let i = 0; i < node.children.length && offset < to; i++) {
    const count = node.counts[i]!;
    if (offset + count > from) collect(node.children[i]!, Math.max(0, from - offset), Math.min(count, to - offset), out);
    offset += count;
  }
}

/** An immutable sorted sequence. Every method that changes it returns a new tree. */
export class SortedTree<T> implements Iterable<T> {
  private constructor(private readonly root: Node<T>) {}

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

  /** The index of the value the probe matches, or `-(insertion point) - 1`. */
  search(probe: Probe<T>): number {
    let node = this.root;
    let offset = 0;
    while (node instanceof Branch) {
      const i = childFor(node, probe);
      for (let c = 0; c < i; c++) offset += node.counts[c]!;
      node = node.children[i]!;
    }
    const at = lowerBound(node.values, probe);
    const v = node.values[at];
    return v !== undefined && probe(v) === 0 ? offset + at : -(offset + at) - 1;
  }

  /** Adds `value` at its place in `order` (after any value it ties with). */
  insert(value: T, order: Order<T>): SortedTree<T> {
    const probe: Probe<T> = (v) => (order(v, value) <= 0 ? -1 : 1);
    const nodes = insertInto(this.root, value, probe);
    return new SortedTree(nodes.length === 1 ? nodes[0]! : branchOf(nodes));
  }

  /** Removes the value at `index` (which must be in [0, size)). */
  removeAt(index: number): SortedTree<T> {
    let root = removeFrom(this.root, index);
    while (root instanceof Branch && root.width === 1) root = root.children[0]!;
    return new SortedTree(root);
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
