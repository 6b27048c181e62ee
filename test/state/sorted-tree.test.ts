import { expect } from 'chai';
import fc from 'fast-check';
import { SortedTree } from '../../src/streams/sorted-tree.js';

const order = (a: number, b: number): number => a - b;
const probeFor = (x: number) => (v: number): number => v - x;

/** A random program of edits on a set of distinct integers. */
type Edit =
  | { readonly op: 'insert'; readonly value: number }
  | { readonly op: 'remove'; readonly at: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -5000, max: 5000 }).map((value): Edit => ({ op: 'insert', value })) },
  { weight: 2, arbitrary: fc.nat().map((at): Edit => ({ op: 'remove', at })) },
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
  model.splice(at, 1);
  return tree.removeAt(at);
}

function expectSame(tree: SortedTree<number>, model: readonly number[]): void {
  expect(tree.size).to.equal(model.length);
  expect([...tree]).to.deep.equal(model);
  expect(tree.slice()).to.deep.equal(model);
}

describe('SortedTree (persistent B+tree behind the conversation list)', () => {
  it('agrees with a sorted array after any sequence of inserts and removals', () => {
    fc.assert(fc.property(fc.array(edit, { maxLength: 600 }), (edits) => {
      let tree = SortedTree.empty<number>();
      const model: number[] = [];
      for (const e of edits) tree = step(tree, model, e);
      expectSame(tree, model);
      model.forEach((v, i) => {
        expect(tree.at(i)).to.equal(v);
        expect(tree.search(probeFor(v))).to.equal(i);
      });
      // Absent values: the encoded insertion point.
      for (const x of [-6000, 0.5, 6000]) {
        const point = model.filter((v) => v < x).length;
        expect(tree.search(probeFor(x))).to.equal(-point - 1);
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
