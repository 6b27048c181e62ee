import { expect } from 'chai';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { sameValue } from '../../src/streams/equal.js';

/** Model-like values from small domains, so that two of them are often equal, or equal but in one nested place. */
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(0, 1, -0, Number.NaN, 'a', 'b', '', true, false, undefined, null, 1n, 2n, 2n ** 62n),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('key', 'unreadCount', 'lastMessage', 'x'), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
}));

describe('sameValue (structural equality of decoded model values)', () => {
  it('agrees with util.isDeepStrictEqual on plain objects, arrays, bigints and scalars', () => {
    fc.assert(fc.property(value, value, (a, b) => {
      expect(sameValue(a, b)).to.equal(isDeepStrictEqual(a, b));
      expect(sameValue(a, structuredClone(a))).to.equal(true);
    }), { numRuns: 2000 });
  });

  it('a difference in a nested object is found as well as one in a scalar', () => {
    const c = { key: { type: 'c2c', id: 'bob' }, unreadCount: 1, lastMessage: { elements: [{ text: 'hi' }] } };
    expect(sameValue(c, { ...c, key: { type: 'c2c', id: 'bob' } })).to.equal(true);
    expect(sameValue(c, { ...c, key: { type: 'c2c', id: 'eve' } })).to.equal(false);
    expect(sameValue(c, { ...c, lastMessage: { elements: [{ text: 'ho' }] } })).to.equal(false);
    expect(sameValue(c, { ...c, unreadCount: 2 })).to.equal(false);
    expect(sameValue({ a: undefined }, {})).to.equal(false);
  });
});
