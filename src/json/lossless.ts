/**
 * Lossless JSON for the IM payloads.
 *
 * Some fields are uint64 (`message_unique_id` is always above 2^53), which
 * `JSON.parse` silently rounds. `parseJson` keeps a fast path (plain
 * `JSON.parse`) when the text holds no run of 16 or more digits — every
 * integer of at most 15 digits is exact as a double — and otherwise quotes
 * the unsafe integer literals in one scan and still uses `JSON.parse` (see
 * `parseJson`): an integer literal outside the safe range becomes a
 * `bigint`, every other number stays a `number`, exactly as lossless-json
 * parses it (`parseJsonLossless`, the reference the tests compare with).
 *
 * `stringifyJson` writes a `bigint` as raw JSON digits (never quoted, never
 * rounded) and otherwise follows `JSON.stringify` for plain data.
 */
import { parse as losslessParse } from 'lossless-json';
import { hasNoLongDigitRun, markUnsafeIntegers, restoreMarked } from './unsafe-integers.js';

export { MAX_INTEGER_DIGITS } from './unsafe-integers.js';

const INTEGER_LITERAL = /^-?\d+$/;

function parseNumberToken(token: string): number | bigint {
  if (INTEGER_LITERAL.test(token)) {
    const n = Number(token);
    return Number.isSafeInteger(n) ? n : BigInt(token);
  }
  return Number(token);
}

/** Later duplicate keys win, as with `JSON.parse`. */
function lastKeyWins(info: { newValue: unknown }): unknown {
  return info.newValue;
}

/**
 * Parses JSON text. Throws `SyntaxError` on invalid JSON (every path), and
 * `RangeError` for an integer literal of more than `MAX_INTEGER_DIGITS`
 * digits. Integers outside ±(2^53 - 1) come back as `bigint`; all other
 * numbers as `number`; a later duplicate key wins.
 *
 * Linear in the length of the text, whatever the text: a text without a run
 * of 16 digits is `JSON.parse`d as it is; otherwise the integer literals a
 * double cannot hold are quoted with a mark in one forward scan
 * (unsafe-integers.ts), the text is `JSON.parse`d, and the marked strings are
 * turned back into bigints.
 */
export function parseJson(text: string): unknown {
  if (hasNoLongDigitRun(text)) return JSON.parse(text);
  const marked = markUnsafeIntegers(text);
  const value: unknown = JSON.parse(marked.text);
  return marked.marked === 0 ? value : restoreMarked(value, marked.marked);
}

/** True when `text` takes the fast `JSON.parse` path of `parseJson`. */
export function isFastPathJson(text: string): boolean {
  return hasNoLongDigitRun(text);
}

/** Characters that JSON.stringify escapes (quotes, backslash, controls, surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function stringifyString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** A string as a JSON string literal, exactly as `stringifyJson` writes it (for writers that build JSON text by hand). */
export const jsonString = stringifyString;

function hasToJson(v: object): v is { toJSON: (key: string) => unknown } {
  return typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * `undefined` means "omit" (object member) or `null` (array element).
 * `stack`: the objects being written, around this one (a set: the cycle check
 * costs the same at any depth).
 */
function write(value: unknown, key: string, stack: Set<object>): string | undefined {
  if (value !== null && typeof value === 'object' && hasToJson(value)) value = value.toJSON(key);
  switch (typeof value) {
    case 'string':
      return stringifyString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString(10);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (obj instanceof Number || obj instanceof String || obj instanceof Boolean) {
    return write(obj.valueOf(), key, stack);
  }
  if (stack.has(obj)) throw new TypeError('stringifyJson: circular structure');
  stack.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = '[';
    for (let i = 0; i < obj.length; i++) {
      if (i > 0) out += ',';
      out += write(obj[i], String(i), stack) ?? 'null';
    }
    out += ']';
  } else {
    out = '{';
    let first = true;
    for (const k in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
      const v = write((obj as Record<string, unknown>)[k], k, stack);
      if (v === undefined) continue;
      out += (first ? '' : ',') + stringifyString(k) + ':' + v;
      first = false;
    }
    out += '}';
  }
  stack.delete(obj);
  return out;
}

/**
 * Serializes plain data to compact JSON. `bigint` values are written as raw
 * digits. Like `JSON.stringify`: `toJSON` is honoured, non-finite numbers
 * become `null`, `undefined`/functions/symbols are omitted from objects and
 * become `null` in arrays. Throws `TypeError` on a circular structure or when
 * the top-level value is not representable (e.g. `undefined`).
 */
export function stringifyJson(value: unknown): string {
  const out = write(value, '', new Set());
  if (out === undefined) throw new TypeError(`stringifyJson: cannot serialize a top-level ${typeof value}`);
  return out;
}

/** The reference parse: lossless-json with tim-rx's number and duplicate-key rules (what `parseJson` must equal). */
export function parseJsonLossless(text: string): unknown {
  return losslessParse(text, null, { parseNumber: parseNumberToken, onDuplicateKey: lastKeyWins });
}
