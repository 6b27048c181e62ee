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
 * would parse it (the fallback for unusual texts).
 *
 * `stringifyJson` writes a `bigint` as raw JSON digits (never quoted, never
 * rounded) and otherwise follows `JSON.stringify` for plain data.
 */
import { parse as losslessParse } from 'lossless-json';

/**
 * A run of 16 or more digits: the shortest that may not fit a double exactly.
 * Spelled out rather than `\d{16,}`, which V8's regexp engine scans about
 * nine times slower (it then costs as much as `JSON.parse` itself).
 */
const LONG_DIGIT_RUN_SOURCE = '\\d'.repeat(16) + '+';
const LONG_DIGIT_RUN = new RegExp(LONG_DIGIT_RUN_SOURCE);
const LONG_RUN = new RegExp(LONG_DIGIT_RUN_SOURCE, 'g');
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
 * Parses JSON text. Throws `SyntaxError` on invalid JSON (every path).
 * Integers outside ±(2^53 - 1) come back as `bigint`; all other numbers as
 * `number`.
 *
 * One scan: a text without a run of 16 digits is `JSON.parse`d as it is.
 * Otherwise each such run is located relative to the strings of the text
 * (from its left context when it is a member value, else by visiting the `"`
 * characters since the previous run); an integer literal outside
 * a string that a double cannot hold is quoted with a mark, the text is
 * `JSON.parse`d, and the marked strings are turned back into bigints.
 * Anything unusual (our mark already in the text, a mark that did not end up
 * as a value) goes to the lossless-json parser, which has the last word.
 */
export function parseJson(text: string): unknown {
  LONG_RUN.lastIndex = 0;
  let run = LONG_RUN.exec(text);
  if (run === null) return JSON.parse(text);
  // A text that already holds the mark's escape is left to the lossless parser,
  // so a marked string after parsing is always one of ours.
  if (text.includes('\\u0001')) return parseLossless(text);
  let out = '';
  let copied = 0;
  let marked = 0;
  let scanned = 0;
  let inString = false;
  do {
    const at = run.index;
    const end = at + run[0].length;
    const start = at > 0 && text.charCodeAt(at - 1) === MINUS ? at - 1 : at;
    if (isMemberValue(text, start)) {
      inString = false;
    } else {
      // Where the strings are, from the last position up to this run.
      for (let q = text.indexOf('"', scanned); q !== -1 && q < at; q = text.indexOf('"', scanned)) {
        scanned = q + 1;
        if (!inString || !isEscaped(text, q)) inString = !inString;
      }
    }
    scanned = end;
    if (!inString && isUnsafeIntegerToken(text, start, at, end)) {
      out += text.slice(copied, start) + '"\\u0001' + text.slice(start, end) + '"';
      copied = end;
      marked++;
    }
    run = LONG_RUN.exec(text);
  } while (run !== null);
  if (marked === 0) return JSON.parse(text);
  const value: unknown = JSON.parse(out + text.slice(copied));
  const restored = { left: marked };
  const result = unmark(value, restored);
  // A mark that is not a value (a number used as a key, a value overwritten by a duplicate key): let lossless-json decide.
  return restored.left === 0 ? result : parseLossless(text);
}

const MINUS = 0x2d;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const COLON = 0x3a;

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Whether the token at `start` follows `…x":` (whitespace allowed around the
 * colon) where `x` is neither a backslash, nor whitespace, nor one of `[{,:`:
 * then that quote cannot open a string in valid JSON (only those may precede
 * an opening quote), so it closes one and the token is outside any string —
 * known without visiting the quotes before it. Every real message's
 * `"message_unique_id":…` is decided this way. (In invalid JSON the quote may
 * open a string, but then the text is already invalid before the token, and
 * `JSON.parse` rejects it whatever is changed after.)
 */
function isMemberValue(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && isWhitespace(text.charCodeAt(i))) i--;
  if (text.charCodeAt(i) !== COLON) return false;
  i--;
  while (i >= 0 && isWhitespace(text.charCodeAt(i))) i--;
  if (i < 1 || text.charCodeAt(i) !== QUOTE) return false;
  const x = text.charCodeAt(i - 1);
  return !(x === BACKSLASH || isWhitespace(x) || x === 0x5b || x === 0x7b || x === 0x2c || x === COLON);
}

/** Whether the `"` at `q` (inside a string) is escaped: an odd number of backslashes before it. */
function isEscaped(text: string, q: number): boolean {
  let n = 0;
  while (text.charCodeAt(q - 1 - n) === BACKSLASH) n++;
  return (n & 1) === 1;
}

/**
 * Whether `text[start, end)` (digits from `digits`, after an optional minus)
 * is a whole JSON integer token that a double cannot hold exactly. A run that
 * belongs to a fraction or an exponent, or starts with a 0 (not JSON), is
 * left alone: `JSON.parse` then reads (or rejects) it as the lossless parser would.
 */
function isUnsafeIntegerToken(text: string, start: number, digits: number, end: number): boolean {
  if (text.charCodeAt(digits) === 0x30) return false;
  const before = start > 0 ? text.charCodeAt(start - 1) : 0x20;
  // . e E + (and a minus after e/E, which is then `before` of the minus)
  if (before === 0x2e || before === 0x65 || before === 0x45 || before === 0x2b || (start === digits && before === MINUS)) return false;
  const after = text.charCodeAt(end);
  if (after === 0x2e || after === 0x65 || after === 0x45) return false;
  return end - digits > 16 || !Number.isSafeInteger(Number(text.slice(start, end)));
}

function parseLossless(text: string): unknown {
  return losslessParse(text, null, { parseNumber: parseNumberToken, onDuplicateKey: lastKeyWins });
}

/**
 * Turns our marked strings back into integers, in place (a walk is several
 * times faster than a JSON.parse reviver), counting them down in `restored`
 * and stopping once all are back.
 */
function unmark(value: unknown, restored: { left: number }): unknown {
  if (typeof value === 'string') return isMarked(value) ? restore(value, restored) : value;
  if (typeof value === 'object' && value !== null) unmarkIn(value as Record<string, unknown>, restored);
  return value;
}

function unmarkIn(container: Record<string, unknown> | unknown[], restored: { left: number }): void {
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) {
      const v: unknown = container[i];
      if (typeof v === 'string') {
        if (isMarked(v)) container[i] = restore(v, restored);
      } else if (typeof v === 'object' && v !== null) {
        unmarkIn(v as Record<string, unknown>, restored);
      } else continue;
      if (restored.left === 0) return;
    }
    return;
  }
  for (const key in container) {
    const v = container[key];
    if (typeof v === 'string') {
      if (isMarked(v)) container[key] = restore(v, restored);
    } else if (typeof v === 'object' && v !== null) {
      unmarkIn(v as Record<string, unknown>, restored);
    } else continue;
    if (restored.left === 0) return;
  }
}

const isMarked = (s: string): boolean => s.charCodeAt(0) === 1;

function restore(marked: string, restored: { left: number }): bigint {
  restored.left--;
  return BigInt(marked.slice(1));
}

/** True when `text` takes the fast `JSON.parse` path of `parseJson`. */
export function isFastPathJson(text: string): boolean {
  return !LONG_DIGIT_RUN.test(text);
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

/** `undefined` means "omit" (object member) or `null` (array element). */
function write(value: unknown, key: string, stack: object[]): string | undefined {
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
  if (stack.includes(obj)) throw new TypeError('stringifyJson: circular structure');
  stack.push(obj);
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
  stack.pop();
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
  const out = write(value, '', []);
  if (out === undefined) throw new TypeError(`stringifyJson: cannot serialize a top-level ${typeof value}`);
  return out;
}

/** The reference parse: lossless-json with tim-rx's number and duplicate-key rules (what `parseJson` must equal). */
export function parseJsonLossless(text: string): unknown {
  return parseLossless(text);
}
