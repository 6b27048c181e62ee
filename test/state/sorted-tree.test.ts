import { expect } from 'chai';
import fc from 'fast-check';
import { SortedTree } from '../../src/streams/sorted-tree.js';

const order = (a: number, b: number): number => a - b;


/** A random program of edits on a set of distinct integers. */
type Edit =
  | { readonly op: 'insert'; readonly value: number }
  /** Remove the value at `at`, by position or (`byValue`) found by the order. */
  | { readonly op: 'remove'; readonly at: number; readonly byValue: boolean }
  /** Replace the value at `at`: by a value nearby (often staying in place), or anywhere (`to`). */
  | { readonly op: 'move'; readonly at: number; readonly by: number; readonly to: number | null };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -5000, max: 5000 }).map((value): Edit => ({ op: 'insert', value })) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), at: fc.nat(), byValue: fc.boolean() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('move' as const), at: fc.nat(), by: fc.integer({ min: -30, max: 30 }),
      to: fc.option(fc.integer({ min: -5000, max: 5000 })),
    }),
  },
);

/** Applies one edit to the tree and to a plain sorted array, the reference model. */
function step(tree: SortedTree<number>, model: number[], e: Edit): SortedTree<number> {
  if (e.op === 'insert') {
    if (model.includes(e.value)) return tree;
    model.push(e.value);
    model.sort(order);
    return tree.insert(e.value, order);
  }
  if (model.length === 0) return tree;
  const at = e.at % model.length;
  const old = model[at]!;
  if (e.op === 'move') {
    const value = e.to ?? old + e.by;
    if (model.includes(value) && old !== value) return tree;
    model.splice(at, 1, value);
    model.sort(order);
    return found(tree.replace(old, value, order));
  }
  model.splice(at, 1);
  return e.byValue ? found(tree.remove(old, order)) : tree.removeAt(at);
}

function found(tree: SortedTree<number> | undefined): SortedTree<number> {
  expect(tree, 'the value is where the order puts it').to.not.equal(undefined);
  return tree!;
}

function expectSame(tree: SortedTree<number>, model: readonly number[]): void {
  expect(tree.size).to.equal(model.length);
  expect([...tree]).to.deep.equal(model);
  expect(tree.slice()).to.deep.equal(model);
}

describe('SortedTree (persistent B+tree behind the conversation list)', () => {
  it('agrees with a sorted array after any sequence of inserts, removals and moves', () => {
    fc.assert(fc.property(fc.array(edit, { maxLength: 600 }), (edits) => {
      let tree = SortedTree.empty<number>();
      const model: number[] = [];
      for (const e of edits) tree = step(tree, model, e);
      expectSame(tree, model);
      model.forEach((v, i) => {
        expect(tree.at(i)).to.equal(v);
        expect(tree.indexOf(v, order)).to.equal(i);
      });
      for (const x of [-6000, 0.5, 6000]) {
        expect(tree.indexOf(x, order)).to.equal(-1);
        expect(tree.remove(x, order)).to.equal(undefined);
        expect(tree.replace(x, 7000, order)).to.equal(undefined);
      }
    }), { numRuns: 150 });
  });

  it('large trees (several levels): positions, searches, slices and removals down to empty', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => i * 2);
    let tree = SortedTree.fromSorted(values);
    expectSame(tree, values);
    for (let i = 0; i < 5000; i++) tree = tree.insert(i * 8 + 1, order);
    const model = [...values, ...Array.from({ length: 5000 }, (_, i) => i * 8 + 1)].sort(order);
    expectSame(tree, model);
    expect(tree.slice(12_345, 12_400)).to.deep.equal(model.slice(12_345, 12_400));
    expect(tree.slice(-3)).to.deep.equal(model.slice(-3));
    expect(tree.slice(10, 5)).to.deep.equal([]);
    expect(tree.at(model.length)).to.equal(undefined);
    expect(tree.at(-1)).to.equal(undefined);
    let seed = 7;
    while (model.length > 0) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const at = seed % model.length;
      model.splice(at, 1);
      tree = tree.removeAt(at);
      if (model.length % 2500 === 0) expectSame(tree, model);
    }
    expectSame(tree, []);
    expect([...tree.insert(3, order)]).to.deep.equal([3]);
  });

  it('large trees (several levels): replacements and removals by value, with splits and merges, keep every version', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => i * 4);
    let tree = SortedTree.fromSorted(values);
    const model = values.slice();
    const versions: [SortedTree<number>, number[]][] = [];
    let seed = 11;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let top = -1;
    for (let i = 0; i < 15_000; i++) {
      const at = random(model.length);
      const old = model[at]!;
      const kind = random(10);
      if (kind < 5) {
        model.splice(at, 1);
        tree = found(tree.remove(old, order));
        continue;
      }
      // To the top (a conversation with a new message), anywhere, or next to where it was (an unread count changed).
      const value = kind < 7 ? top-- : kind < 9 ? random(200_000) * 4 + 1 : old + 2;
      if (model.includes(value)) continue;
      model.splice(at, 1);
      const to = model.findIndex((v) => v > value);
      model.splice(to < 0 ? model.length : to, 0, value);
      tree = found(tree.replace(old, value, order));
      if (i % 1000 === 0) versions.push([tree, model.slice()]);
    }
    expectSame(tree, model);
    for (const [old, content] of versions) expectSame(old, content);
  });

  it('every version stays as it was: a change never alters a tree someone still holds', () => {
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 300 }), (edits) => {
      let tree = SortedTree.fromSorted(Array.from({ length: 200 }, (_, i) => i * 10));
      const model = Array.from({ length: 200 }, (_, i) => i * 10);
      const versions: [SortedTree<number>, number[]][] = [];
      for (const e of edits) {
        versions.push([tree, model.slice()]);
        tree = step(tree, model, e);
      }
      for (const [old, content] of versions) expectSame(old, content);
    }), { numRuns: 40 });
  });

  it('fromSorted builds trees of any size, including empty', () => {
    for (const n of [0, 1, 15, 47, 48, 49, 64, 65, 2303, 2305, 3072, 3073]) {
      const values = Array.from({ length: n }, (_, i) => i);
      const tree = SortedTree.fromSorted(values);
      expectSame(tree, values);
      if (n > 0) expect(tree.at(n - 1)).to.equal(n - 1);
    }
  });
});
