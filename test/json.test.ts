import { expect } from 'chai';
import fc from 'fast-check';
import { isFastPathJson, parseJson, parseJsonLossless, stringifyJson } from '../src/json/lossless.js';
import { jsonText, mutatedText, numberKeyText, outcome } from './support/json-text.js';

describe('src/json/lossless', () => {
  describe('parseJson', () => {
    it('takes the JSON.parse fast path when no digit run reaches 16 characters', () => {
      const text = '{"a":123456789012345,"b":[1.5,-2,true,null,"x"]}';
      expect(isFastPathJson(text)).to.equal(true);
      expect(parseJson(text)).to.deep.equal({ a: 123456789012345, b: [1.5, -2, true, null, 'x'] });
    });

    it('keeps integers above 2^53 exact as bigint', () => {
      const text = '{"message_unique_id":6663412958246207488,"max":18446744073709551615,"n":-9007199254740993}';
      expect(isFastPathJson(text)).to.equal(false);
      const v = parseJson(text) as Record<string, unknown>;
      expect(v['message_unique_id']).to.equal(6663412958246207488n);
      expect(v['max']).to.equal(18446744073709551615n);
      expect(v['n']).to.equal(-9007199254740993n);
    });

    it('returns safe integers and non-integers as numbers on the lossless path', () => {
      const v = parseJson('{"a":9007199254740991,"b":1,"c":0.12345678901234567,"d":1e3,"e":12345678901234567.5}') as Record<string, unknown>;
      expect(v['a']).to.equal(9007199254740991);
      expect(v['b']).to.equal(1);
      expect(v['c']).to.be.a('number');
      expect(v['d']).to.equal(1000);
      expect(v['e']).to.be.a('number');
    });

    it('treats long digit runs inside strings correctly (slow path, same result)', () => {
      const text = '{"s":"12345678901234567890","n":2}';
      expect(parseJson(text)).to.deep.equal(JSON.parse(text));
    });

    it('parses member-value long integers exactly on the quoting fast path, and anything else losslessly', () => {
      const cases: [string, unknown][] = [
        ['{"message_unique_id":6663412958246207489,"a":1}', { message_unique_id: 6663412958246207489n, a: 1 }],
        ['{"neg":-12345678901234567890, "f":1.5}', { neg: -12345678901234567890n, f: 1.5 }],
        ['{"id":12345678901234567 }', { id: 12345678901234567n }],
        // a digit string under the same key as a long integer stays a string
        ['[{"id":12345678901234567},{"id":"12345678901234568"}]', [{ id: 12345678901234567n }, { id: '12345678901234568' }]],
        // long integers in arrays, digits inside strings, and the fast path's own mark in the input: lossless path
        ['{"arr":[12345678901234567890],"id":12345678901234567}', { arr: [12345678901234567890n], id: 12345678901234567n }],
        ['{"t":"a 12345678901234567 b","id":12345678901234567}', { t: 'a 12345678901234567 b', id: 12345678901234567n }],
        ['{"s":"\\u000112345678901234567","id":12345678901234567}', { s: '\u000112345678901234567', id: 12345678901234567n }],
      ];
      for (const [text, expected] of cases) expect(parseJson(text), text).to.deep.equal(expected);
    });

    it('lets the later duplicate key win on both paths, like JSON.parse', () => {
      expect(parseJson('{"a":1,"a":2}')).to.deep.equal({ a: 2 });
      expect(parseJson('{"a":1,"a":2,"big":12345678901234567890}')).to.deep.equal({ a: 2, big: 12345678901234567890n });
    });

    it('equals the lossless-json parse on random JSON with long integers, fractions, exponents and digits in strings (property)', () => {
      fc.assert(fc.property(jsonText, (text) => {
        expect(outcome(parseJson, text), text).to.deep.equal(outcome(parseJsonLossless, text));
      }), { numRuns: 3000 });
    });

    it('equals the lossless-json parse on texts one character away from JSON: same value or both SyntaxError (property)', () => {
      fc.assert(fc.property(fc.oneof(mutatedText, mutatedText, numberKeyText), (text) => {
        const ours = outcome(parseJson, text);
        expect(ours, text).to.deep.equal(outcome(parseJsonLossless, text));
        if ('syntaxError' in ours) expect(ours.syntaxError, text).to.equal(true);
      }), { numRuns: 3000 });
    });

    it('keeps long integers exact in every position (property)', () => {
      const big = fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n });
      fc.assert(fc.property(fc.array(fc.tuple(big, fc.string({ maxLength: 4 }))), (pairs) => {
        const value = { list: pairs.map(([n]) => n), members: Object.fromEntries(pairs.map(([n, k]) => [k, n])), nested: pairs.map(([n, k]) => ({ [k]: [n] })) };
        const text = stringifyJson(value);
        expect(parseJson(text), text).to.deep.equal(parseJsonLossless(text));
      }), { numRuns: 500 });
    });

    it('throws SyntaxError on invalid JSON on both paths', () => {
      expect(() => parseJson('{"a":')).to.throw(SyntaxError);
      expect(() => parseJson('{"a":12345678901234567890')).to.throw(SyntaxError);
      expect(() => parseJson('')).to.throw(SyntaxError);
    });
  });

  describe('stringifyJson', () => {
    it('writes bigint as raw digits', () => {
      expect(stringifyJson({ id: 18446744073709551615n, list: [1n, -9007199254740993n] })).to.equal(
        '{"id":18446744073709551615,"list":[1,-9007199254740993]}',
      );
    });

    it('matches JSON.stringify for plain data', () => {
      const v = {
        s: 'a"\\\n\u2028é😀',
        n: [0, -1.5, 1e21, NaN, Infinity],
        b: [true, false, null],
        nested: { x: { y: [] }, z: {} },
        skipped: undefined,
        fn: () => 1,
        arr: [undefined, () => 1],
        date: new Date(0),
        boxed: [Object(1), Object('s'), Object(true)],
      };
      expect(stringifyJson(v)).to.equal(JSON.stringify(v));
    });

    it('round-trips with parseJson', () => {
      const v = { a: 6663412958246207488n, b: 'x', c: [1, 2.5, { d: null }] };
      expect(parseJson(stringifyJson(v))).to.deep.equal(v);
    });

    it('rejects circular structures and unrepresentable top-level values', () => {
      const o: Record<string, unknown> = {};
      o['self'] = o;
      expect(() => stringifyJson(o)).to.throw(TypeError);
      expect(() => stringifyJson(undefined)).to.throw(TypeError);
    });

    it('allows the same object twice when not circular', () => {
      const shared = { k: 1 };
      expect(stringifyJson([shared, shared])).to.equal('[{"k":1},{"k":1}]');
    });
  });
});
