/**
 * JSON texts for the parser's tests and benchmark: fast-check arbitraries
 * that keep every number's exact spelling (test/json*.test.ts), and the
 * adversarial texts of issue 12 (long digit runs with no `"` after them, …)
 * at a chosen size (tests, bench/json.ts, the reliability suite).
 */
import fc from 'fast-check';

/** What a parse did: its value, or that it threw (and whether with a SyntaxError). */
export function outcome(parse: (text: string) => unknown, text: string): { value: unknown } | { syntaxError: boolean } {
  try {
    return { value: parse(text) };
  } catch (e) {
    return { syntaxError: e instanceof SyntaxError };
  }
}

export const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** Number tokens as JSON writes them, biased toward long integers, fractions and exponents with long digit runs. */
export const numberToken: fc.Arbitrary<string> = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('9007199254740991', '-9007199254740991', '9007199254740992', '-9007199254740993', '1000000000000000', '18446744073709551615', '-0', '0'),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.tuple(
    fc.constantFrom('', '-'),
    fc.tuple(fc.constantFrom(...'123456789'), digits(0, 24)).map(([a, b]) => a + b),
    fc.option(digits(1, 20).map((d) => `.${d}`), { nil: '' }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 20)).map((p) => p.join('')), { nil: '' }),
  ).map((p) => p.join('').replace(/[eE][+-]?\d{4,}$/, (e) => e.slice(0, -3))),
);

/** String tokens whose content has long digit runs, quotes, backslashes, `":` and the slow path's mark. */
export const stringToken: fc.Arbitrary<string> = fc.array(
  fc.oneof(
    fc.string({ maxLength: 6 }),
    digits(14, 22),
    fc.constantFrom('"', '\\', '\\"', '":', '":12345678901234567890', ':12345678901234567890', ': 12345678901234567890', '\u0001', '\u0001\u0002', 'é😀', '\n'),
  ),
  { maxLength: 5 },
).map((parts) => JSON.stringify(parts.join('')));

/** Object keys: random, or from a small pool (duplicate keys: the later one wins). */
export const keyToken = fc.oneof(stringToken, fc.constantFrom('"a"', '"b"', '"id"', '"__proto__"', '"\\u0001"'));

const ws = fc.constantFrom('', '', '', ' ', '\n', '\t', ' \r\n ');

/** Valid JSON text built token by token (so that numbers keep their exact spelling). */
export const { json: jsonText } = fc.letrec<{ json: string; array: string; object: string }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberToken, numberToken, stringToken, fc.constantFrom('true', 'false', 'null'), tie('array'), tie('object'),
  ),
  array: fc.array(fc.tuple(ws, tie('json'), ws), { maxLength: 5 }).map((items) => `[${items.map((p) => p.join('')).join(',')}]`),
  object: fc.array(fc.tuple(ws, keyToken, ws, ws, tie('json'), ws), { maxLength: 5 })
    .map((members) => `{${members.map(([a, k, b, c, v, d]) => `${a}${k}${b}:${c}${v}${d}`).join(',')}}`),
}));

/** Invalid: an object whose key is a bare number, somewhere in valid JSON. */
export const numberKeyText: fc.Arbitrary<string> = fc.tuple(jsonText, numberToken, jsonText, fc.boolean()).map(
  ([before, key, value, wrap]) => (wrap ? `[${before},{${key}:${value}}]` : `{${key}:${value}}`),
);

/** A text changed by inserting, deleting or replacing one character (JSON's own characters favoured). */
export const mutatedText: fc.Arbitrary<string> = fc.tuple(jsonText, fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...'"\\0123456789-+.eE,:{}[] x')).map(
  ([text, at, op, c]) => {
    const i = at % (text.length + 1);
    if (op === 'insert') return text.slice(0, i) + c + text.slice(i);
    if (op === 'delete') return text.slice(0, i) + text.slice(i + 1);
    return text.slice(0, i) + c + text.slice(i + 1);
  },
);

/** A text of `open`, then `unit` repeated, then `close`. */
interface RepeatedText {
  readonly open: string;
  readonly unit: string;
  readonly close: string;
}

/** The shapes of issue 12's attack, each a valid JSON text. */
const ADVERSARIAL = {
  /** Many 20-digit integers in an array, no `"` after them: the quadratic case of the old parser. */
  digits: { open: '[', unit: '12345678901234567890,', close: '1]' },
  /** The same integers, negative, then one `"` at the very end (a string after all of them). */
  'digits-then-quote': { open: '[', unit: '-98765432109876543210,', close: '"end"]' },
  /** Digit runs inside one long string, with escaped quotes and backslashes between them. */
  'digits-in-string': { open: '["', unit: '\\":12345678901234567890 \\\\ ', close: '"]' },
  /** Strings that begin with the slow path's mark (`\u0001`), as keys and values, between long integers. */
  'mark-strings': { open: '[', unit: '{"\\u0001":"\\u0001x","a":[12345678901234567890]},', close: '1]' },
} as const satisfies Record<string, RepeatedText>;

export type AdversarialShape = keyof typeof ADVERSARIAL;

/** An ordinary text: message objects with one 19-digit id each (the lossless path of real traffic). */
const ORDINARY: RepeatedText = {
  open: '[',
  unit: '{"message_conv_id":"alice","message_elem_array":[{"elem_type":0,"text_elem_content":"hello, how are you today?"}],"message_seq":12,"message_unique_id":6663412958246207488},',
  close: '{}]',
};

/** `t` at about `bytes` bytes (ASCII), as one flat string. */
const repeated = (t: RepeatedText, bytes: number): string => flat(t.open + t.unit.repeat(Math.floor(bytes / t.unit.length)) + t.close);

/** An adversarial JSON text of about `bytes` bytes in the given shape. */
export const adversarialJson = (shape: AdversarialShape, bytes: number): string => repeated(ADVERSARIAL[shape], bytes);

/** An ordinary JSON text of about `bytes` bytes. */
export const ordinaryJson = (bytes: number): string => repeated(ORDINARY, bytes);

/** A flat copy of `s`, as a text read from a socket is (not a tree of concatenations). */
const flat = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');
