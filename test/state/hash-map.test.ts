import { expect } from 'chai';
import fc from 'fast-check';
import { HashMap, hashString } from '../../src/streams/hash-map.js';

type Edit = { readonly op: 'set'; readonly key: string; readonly value: number } | { readonly op: 'delete'; readonly key: string };

/** Keys from a small alphabet, so that sets, overwrites and deletes of the same key are frequent. */
const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', '1', '2'), maxLength: 4 });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
);

function apply(map: HashMap<number>, model: Map<string, number>, e: Edit): HashMap<number> {
  if (e.op === 'set') {
    model.set(e.key, e.value);
    return map.set(e.key, e.value);
  }
  model.delete(e.key);
  return map.delete(e.key);
}

function expectSame(map: HashMap<number>, model: ReadonlyMap<string, number>): void {
  expect(map.size).to.equal(model.size);
  for (const [k, v] of model) expect(map.get(k), k).to.equal(v);
  expect(new Map(map)).to.deep.equal(new Map(model));
}

/** Distinct keys with the same 32-bit hash: a birthday search over numbered keys. */
function collidingPairs(count: number): [string, string][] {
  const seen = new Map<number, string>();
  const pairs: [string, string][] = [];
  for (let i = 0; pairs.length < count; i++) {
    const k = `c2c:user${i}`;
    const h = hashString(k);
    const other = seen.get(h);
    if (other !== undefined) pairs.push([other, k]);
    else seen.set(h, k);
  }
  return pairs;
}

describe('HashMap (persistent HAMT behind the conversation index)', () => {
  it('agrees with a Map after any sequence of sets and deletes, and leaves every older version as it was', () => {
    fc.assert(fc.property(fc.array(edit, { maxLength: 300 }), (edits) => {
      let map = HashMap.empty<number>();
      const model = new Map<string, number>();
      const versions: [HashMap<number>, Map<string, number>][] = [];
      for (const e of edits) {
        versions.push([map, new Map(model)]);
        map = apply(map, model, e);
      }
      expectSame(map, model);
      for (const [old, content] of versions) expectSame(old, content);
      expect(map.get('absent-key')).to.equal(undefined);
    }), { numRuns: 200 });
  });

  it('keeps keys whose hashes are equal apart (buckets), through overwrites and deletes', () => {
    const pairs = collidingPairs(3);
    for (const [a, b] of pairs) expect(hashString(a)).to.equal(hashString(b));
    let map = HashMap.empty<number>();
    const model = new Map<string, number>();
    const keys = pairs.flat();
    keys.forEach((k, i) => {
      map = map.set(k, i);
      model.set(k, i);
    });
    // Neighbours of the colliding keys (other hashes sharing prefixes of theirs) beside them.
    for (let i = 0; i < 5000; i++) {
      map = map.set(`n${i}`, -i);
      model.set(`n${i}`, -i);
    }
    expectSame(map, model);
    map = map.set(keys[1]!, 100);
    model.set(keys[1]!, 100);
    for (const k of [keys[0]!, keys[2]!, keys[5]!]) {
      map = map.delete(k);
      model.delete(k);
    }
    expectSame(map, model);
    expect(map.delete('never-there')).to.equal(map);
  });

  it('holds 200k keys and removes them all again', () => {
    let map = HashMap.empty<number>();
    const n = 200_000;
    for (let i = 0; i < n; i++) map = map.set(`k${i}`, i);
    expect(map.size).to.equal(n);
    for (let i = 0; i < n; i += 997) expect(map.get(`k${i}`)).to.equal(i);
    for (let i = 0; i < n; i++) map = map.delete(`k${i}`);
    expect(map.size).to.equal(0);
    expect([...map]).to.deep.equal([]);
    expect(map.set('x', 1).get('x')).to.equal(1);
  });
});
