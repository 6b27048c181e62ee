/**
 * Lossless JSON for the IM payloads.
 *
 * Some fields are uint64 (`message_unique_id` is always above 2^53), which
 * `JSON.parse` silently rounds. `parseJson` keeps a fast path (plain
 * `JSON.parse`) when the text holds no run of 16 or more digits — every
 * integer of at most 15 digits is exact as a double — and otherwise parses
 * with lossless-json: an integer literal outside the safe range becomes a
 * `bigint`, every other number stays a `number`.
 *
 * `stringifyJson` writes a `bigint` as raw JSON digits (never quoted, never
 * rounded) and otherwise follows `JSON.stringify` for plain data.
 */
import { parse as losslessParse } from 'lossless-json';

/** Length of the shortest digit run that may not fit a double exactly. */
const LONG_DIGIT_RUN = /\d{16}/;
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
 * Parses JSON text. Throws `SyntaxError` on invalid JSON (both paths).
 * Integers outside ±(2^53 - 1) come back as `bigint`; all other numbers as
 * `number`.
 */
export function parseJson(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
  return parseKeyedLongIntegers(text) ?? losslessParse(text, null, { parseNumber: parseNumberToken, onDuplicateKey: lastKeyWins });
}

/**
 * A long integer that is a member value (`"key":12345678901234567890`) —
 * what every real message has in `message_unique_id`. An unescaped `"` can
 * only open or close a string, so `"name":` followed by digits is always a
 * key and its number, never text inside a string.
 */
const KEYED_LONG_INTEGER = /"([A-Za-z0-9_]+)":(-?\d{16,})(?=[,}\s])/g;

/**
 * The fast path for texts whose long integers are all member values: quote
 * them, `JSON.parse`, and turn them back into exact integers
 * (about twice as fast as lossless-json on a typical message). Returns
 * undefined when a long digit run remains elsewhere (in an array, in a
 * string): the caller then parses losslessly.
 */
function parseKeyedLongIntegers(text: string): unknown {
  // Each quoted integer starts with U+0001, written as an escape; a text
  // that already holds that escape is left to the lossless parser, so a
  // marked string after parsing is always one of ours.
  if (text.includes('\\u0001')) return undefined;
  const quoted = text.replace(KEYED_LONG_INTEGER, '"$1":"\\u0001$2"');
  if (LONG_DIGIT_RUN.test(quoted.replace(MARKED_DIGITS, ''))) return undefined;
  return unmark(JSON.parse(quoted));
}

/** Turns our marked strings back into integers, in place (a walk is several times faster than a JSON.parse reviver). */
function unmark(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.charCodeAt(0) === 1 && MARKED_INTEGER.test(value) ? parseNumberToken(value.slice(1)) : value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unmark(value[i]);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = unmark(record[key]);
  }
  return value;
}

/** Our quoted integers, removed before checking that no other long digit run is left. */
const MARKED_DIGITS = /":"\\u0001-?\d{16,}"/g;
const MARKED_INTEGER = /^\u0001-?\d{16,}$/;

/** True when `text` takes the fast `JSON.parse` path of `parseJson`. */
export function isFastPathJson(text: string): boolean {
  return !LONG_DIGIT_RUN.test(text);
}

/** Characters that JSON.stringify escapes (quotes, backslash, controls, surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function stringifyString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

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
