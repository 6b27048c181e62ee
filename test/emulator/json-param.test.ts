/**
 * The nesting bound on a client's JSON (issue 12): `jsonNesting` counts the
 * nesting of arrays and objects outside string literals in one pass, equal to
 * the depth of what `JSON.parse` makes of a valid text, and `parseClientJson`
 * refuses a text past `MAX_JSON_DEPTH` before parsing it.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { ArgError } from '../../src/emulator/handlers/args.js';
import { MAX_ELEMENT_DEPTH } from '../../src/emulator/handlers/elements.js';
import { jsonNesting, MAX_JSON_DEPTH, parseClientJson } from '../../src/emulator/handlers/json-param.js';
import { jsonText, keyToken, stringToken } from '../support/json-text.js';

/** The nesting depth of a parsed value (a scalar is 0, `[]` is 1). */
function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const items = Array.isArray(v) ? v : Object.values(v);
  return 1 + items.reduce<number>((m, x) => Math.max(m, depthOf(x)), 0);
}

/** Valid JSON: `inner` wrapped in arrays and objects (keys and neighbours are strings full of brackets, quotes and escapes). */
const wrapped: fc.Arbitrary<string> = fc.tuple(
  jsonText,
  fc.array(fc.tuple(fc.boolean(), keyToken, fc.option(stringToken, { nil: undefined })), { maxLength: 40 }),
).map(([inner, layers]) => layers.reduce(
  (text, [asArray, key, sibling]) => {
    const s = sibling === undefined ? '' : `,${sibling}`;
    return asArray ? `[${text}${s}]` : `{${key}:${text}${sibling === undefined ? '' : `,"s":${sibling}`}}`;
  },
  inner,
));

/** Strings whose content is brackets, quotes and backslashes only (the scanner's traps). */
const trapString = fc.array(fc.constantFrom('[', ']', '{', '}', '"', '\\', '\\"', '\\\\'), { maxLength: 12 }).map((p) => JSON.stringify(p.join('')));

const nested = (levels: number, inner = ''): string => '['.repeat(levels) + inner + ']'.repeat(levels);

describe('emulator: the nesting bound on a client\'s JSON', () => {
  it('counts what JSON.parse makes of any valid text, strings with brackets and escaped quotes included', () => {
    fc.assert(
      fc.property(fc.oneof(wrapped, jsonText, fc.array(trapString, { maxLength: 4 }).map((a) => `[${a.join(',')}]`)), (text) => {
        const value: unknown = JSON.parse(text);
        const depth = depthOf(value);
        // A later duplicate key replaces the earlier value, and its levels with it: the text may nest deeper than the value.
        expect(jsonNesting(text)).to.be.at.least(depth);
        // Written again (no duplicate keys), compact or indented, the text nests exactly as deep as the value.
        for (const again of [JSON.stringify(value), JSON.stringify(value, null, 1)]) {
          expect(jsonNesting(again)).to.equal(depth);
          for (const bound of [0, 1, depth - 1, depth, depth + 1]) {
            if (bound >= 0) expect(jsonNesting(again, bound), `bound ${bound}`).to.equal(Math.min(depth, bound + 1));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('ignores brackets inside strings, past escaped quotes and backslashes', () => {
    expect(jsonNesting('["[[[\\"]]]", {"a\\\\":"{"}]')).to.equal(2);
    expect(jsonNesting('"\\\\"')).to.equal(0);
    expect(jsonNesting('["\\\\", [["\\"["]]]')).to.equal(3);
    expect(jsonNesting(`[${JSON.stringify(nested(1000))}]`)).to.equal(1);
    for (const inner of ['\\'.repeat(10_001), '\\"['.repeat(10_000), '\\\\"'.repeat(1000)]) {
      const text = `[[${JSON.stringify(inner)}], "[{"]`;
      expect(jsonNesting(text), text.slice(0, 12)).to.equal(depthOf(JSON.parse(text)));
    }
    expect(jsonNesting('["unterminated [[[')).to.equal(1);
  });

  it('accepts a text exactly at the bound and refuses one level more, before parsing it', () => {
    expect(parseClientJson(nested(MAX_JSON_DEPTH), 'p')).to.be.an('array');
    expect(parseClientJson(`{"a":${nested(MAX_JSON_DEPTH - 1, '"]]]"')}}`, 'p')).to.be.an('object');
    for (const text of [nested(MAX_JSON_DEPTH + 1), `{"a":${nested(MAX_JSON_DEPTH)}}`, nested(2_000_000), '['.repeat(MAX_JSON_DEPTH + 1) + 'not json']) {
      expect(() => parseClientJson(text, 'p'), text.slice(0, 20)).to.throw(ArgError, `p nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
    }
    expect(() => parseClientJson('[[1]', 'p')).to.throw(ArgError, /^p is not valid JSON/);
  });

  it('leaves room for an element past its own bound inside the deepest envelope (an import array, a message, its elements)', () => {
    expect(MAX_JSON_DEPTH).to.be.at.least(MAX_ELEMENT_DEPTH + 1 + 3);
  });
});
