/**
 * parseJson on hostile input (issue 12, "Linear JSON"): the same answer as
 * JSON.parse (bigints aside) and as lossless-json on random values and on the
 * attack's shapes, the same rejections as JSON.parse, and work linear in the
 * text — counted, not timed (the times are in bench/json.ts).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { MAX_INTEGER_DIGITS, parseJson, parseJsonLossless, stringifyJson } from '../src/json/lossless.js';
import { adversarialJson, jsonText, numberToken, outcome, stringToken, type AdversarialShape } from './support/json-text.js';

const SEED = 12_012;
const SHAPES: readonly AdversarialShape[] = ['digits', 'digits-then-quote', 'digits-in-string', 'mark-strings'];

/** `value` as JSON.parse would give it: every bigint as the double nearest to it, written out to compare. */
const asDoubles = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));

/** parseJson's answer equals lossless-json's, and JSON.parse's once bigints are doubles; or all three reject the text. */
function expectAgreement(text: string): void {
  const ours = outcome(parseJson, text);
  const plain = outcome(JSON.parse, text);
  expect('value' in ours, `parseJson and JSON.parse accept the same texts: ${text.slice(0, 200)}`).to.equal('value' in plain);
  if ('syntaxError' in ours) {
    expect(ours.syntaxError, text.slice(0, 200)).to.equal(true);
    return;
  }
  expect(ours, text.slice(0, 200)).to.deep.equal(outcome(parseJsonLossless, text));
  if ('value' in plain) expect(asDoubles(ours.value)).to.equal(JSON.stringify(plain.value));
}

/** Plain data with bigints in every position, among numbers, strings, arrays and objects. */
const { value: jsonValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => (Number.isSafeInteger(Number(n)) ? Number(n) : n)),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), stringToken.map((s) => JSON.parse(s) as string)),
    fc.constantFrom(true, false, null),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('\u0001', '\u0001x', '__proto__', 'id')), tie('value'), { maxKeys: 6 }),
  ),
}));

/** Pieces of the attack and of JSON, glued in any order: mostly invalid texts, some valid. */
const fragmentSoup: fc.Arbitrary<string> = fc.array(
  fc.oneof(
    numberToken,
    stringToken,
    fc.constantFrom(
      '12345678901234567890', '-12345678901234567890', '1000000000000000', '0123456789012345678', '"', '\\"', '\\\\', '\\', ':', ',', '{', '}',
      '[', ']', ' ', '"\\u0001', '"\\u0001\\u0002', '\\u0001', '1e25', '.5', 'e-12345678901234567', '"a":', '"__proto__":', 'true', 'null',
    ),
  ),
  { maxLength: 14 },
).map((parts) => parts.join(''));

/** Each attack shape, and the same text with one of JSON's characters inserted, deleted or replaced at a random place. */
const adversarialText: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom(...SHAPES), fc.integer({ min: 1, max: 4096 }), fc.nat(), fc.constantFrom('keep', 'insert', 'delete', 'replace'), fc.constantFrom(...'"\\0123456789-+.eE,:{}[] '),
).map(([shape, bytes, at, op, c]) => {
  const text = adversarialJson(shape, bytes);
  const i = at % (text.length + 1);
  if (op === 'insert') return text.slice(0, i) + c + text.slice(i);
  if (op === 'delete') return text.slice(0, i) + text.slice(i + 1);
  if (op === 'replace') return text.slice(0, i) + c + text.slice(i + 1);
  return text;
});

/**
 * The characters parseJson's scan looks at, counted through the string
 * methods it calls (`indexOf`: the stretch searched; `charCodeAt`: one each)
 * while it parses `text`. JSON.parse and the regular expression are linear on
 * their own; what the scan adds around them is what this counts.
 */
function scanWork(text: string): number {
  const proto = String.prototype;
  const { indexOf, charCodeAt } = proto;
  let work = 0;
  proto.indexOf = function (this: string, search: string, from?: number): number {
    const at = indexOf.call(this, search, from);
    work += (at === -1 ? this.length : at + search.length) - (from ?? 0);
    return at;
  };
  proto.charCodeAt = function (this: string, i: number): number {
    work++;
    return charCodeAt.call(this, i);
  };
  try {
    parseJson(text);
  } finally {
    proto.indexOf = indexOf;
    proto.charCodeAt = charCodeAt;
  }
  return work;
}

describe('src/json/lossless: parseJson on hostile input', () => {
  it('equals lossless-json, and JSON.parse but for bigints, on random values with bigints everywhere (property)', () => {
    fc.assert(fc.property(jsonValue, (value) => expectAgreement(stringifyJson(value))), { seed: SEED, numRuns: 2000 });
  });

  it('equals both on random JSON texts with long integers, fractions, exponents, escapes and the mark (property)', () => {
    fc.assert(fc.property(jsonText, expectAgreement), { seed: SEED, numRuns: 2000 });
  });

  it('accepts and rejects exactly what JSON.parse does on glued fragments of the attack (property)', () => {
    fc.assert(fc.property(fragmentSoup, expectAgreement), { seed: SEED, numRuns: 5000 });
  });

  it('equals both on the attack shapes, whole and one character away from them (property)', () => {
    fc.assert(fc.property(adversarialText, expectAgreement), { seed: SEED, numRuns: 400 });
  });

  it('equals both on each attack shape at 1 MiB', function () {
    this.timeout(60_000);
    for (const shape of SHAPES) expectAgreement(adversarialJson(shape, 1 << 20));
  });

  it('keeps a 2 MiB attack payload exact: the client decodes what the server sent', () => {
    const text = adversarialJson('digits', 2 << 20);
    const value = parseJson(text) as unknown[];
    expect(value.length).to.equal(Math.floor((2 << 20) / 21) + 1);
    expect(value[0]).to.equal(12345678901234567890n);
    expect(value.at(-1)).to.equal(1);
  });

  it('does work linear in the text on every attack shape: the scan visits each character a bounded number of times', () => {
    for (const shape of SHAPES) {
      const small = adversarialJson(shape, 16 << 10);
      const large = adversarialJson(shape, 128 << 10);
      const perCharSmall = scanWork(small) / small.length;
      const perCharLarge = scanWork(large) / large.length;
      expect(perCharLarge, `${shape}: characters visited per character of the text`).to.be.at.most(3);
      expect(perCharLarge, `${shape}: as much per character at 128 KiB as at 16 KiB`).to.be.at.most(perCharSmall * 1.1 + 0.01);
    }
  });

  it('restores integers at any nesting depth (its walk keeps its own stack)', () => {
    const depth = 200_000;
    const text = '['.repeat(depth) + '{"id":12345678901234567890}' + ']'.repeat(depth);
    let v = parseJson(text);
    for (let i = 0; i < depth; i++) v = (v as unknown[])[0];
    expect(v).to.deep.equal({ id: 12345678901234567890n });
  });

  it('rejects a number used as a key, with or without a string key starting with the mark', () => {
    for (const text of ['{12345678901234567890:1}', '{"a":1, -12345678901234567890 :2}', '{"\\u0001":1,12345678901234567890:2}', '[{"\\u0001x":12345678901234567890}, {12345678901234567890:1}]']) {
      expect(() => parseJson(text), text).to.throw(SyntaxError);
    }
  });

  it('keeps strings that begin with the mark, as keys and values, next to long integers', () => {
    const text = '{"\\u0001":"\\u0001","\\u0001\\u0002":["\\u0001\\u0002x","\\u000112345678901234567890",12345678901234567890],"__proto__":-12345678901234567890}';
    const value = parseJson(text) as Record<string, unknown>;
    expect(value['\u0001']).to.equal('\u0001');
    expect(value['\u0001\u0002']).to.deep.equal(['\u0001\u0002x', '\u000112345678901234567890', 12345678901234567890n]);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).to.equal(-12345678901234567890n);
    expect(Object.getPrototypeOf(value)).to.equal(Object.prototype);
  });

  it('lets a later duplicate key replace a long integer', () => {
    expect(parseJson('{"a":12345678901234567890,"b":12345678901234567891,"a":"x"}')).to.deep.equal({ a: 'x', b: 12345678901234567891n });
  });

  it(`makes a bigint of at most ${MAX_INTEGER_DIGITS} digits, and a RangeError of a longer integer (invalid JSON stays a SyntaxError)`, () => {
    const longest = '9'.repeat(MAX_INTEGER_DIGITS);
    expect(parseJson(`[-${longest}]`)).to.deep.equal([-BigInt(longest)]);
    expect(() => parseJson(`[${longest}9]`)).to.throw(RangeError, `${MAX_INTEGER_DIGITS + 1} digits`);
    expect(() => parseJson(`[${longest}9,]`)).to.throw(SyntaxError);
    expect(parseJson(`["${longest}9", 0.${longest}9]`)).to.deep.equal([`${longest}9`, 1]);
  });
});
