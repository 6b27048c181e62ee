/**
 * The slow path of `parseJson` (lossless.ts): integer literals that a double
 * cannot hold are quoted with a mark, the text goes through `JSON.parse`, and
 * the marked strings are turned back into bigints.
 *
 * Every step is linear in the text, whatever the text (issue 12): each
 * character is visited a bounded number of times — the searches only move
 * forward, a backward look covers the whitespace or backslashes right before
 * one token — and a bigint is made only from an integer of at most
 * `MAX_INTEGER_DIGITS` digits.
 */
import { closingQuote, isEscaped } from './string-literal.js';

/**
 * A run of 16 or more digits: the shortest that may not fit a double exactly.
 * Spelled out rather than `\d{16,}`, which V8's regexp engine scans about
 * nine times slower (it then costs as much as `JSON.parse` itself).
 */
const LONG_DIGIT_RUN_SOURCE = '\\d'.repeat(16) + '+';
const LONG_DIGIT_RUN = new RegExp(LONG_DIGIT_RUN_SOURCE);
const LONG_RUN = new RegExp(LONG_DIGIT_RUN_SOURCE, 'g');

/**
 * The longest integer literal made into a bigint (the bound Python sets for
 * the same reason, CVE-2020-10735): decimal-to-bigint conversion grows faster
 * than the number of digits, so a text of one huge integer would otherwise
 * cost far more per byte than any other. An unsigned 64-bit integer has 20.
 */
export const MAX_INTEGER_DIGITS = 4300;

/** True when `text` holds no run of 16 digits: every number in it is exact as a double. */
export function hasNoLongDigitRun(text: string): boolean {
  return !LONG_DIGIT_RUN.test(text);
}

/** A text with its unsafe integers marked and its strings that began with the mark escaped. */
export interface MarkedText {
  readonly text: string;
  /** How many strings `restoreMarked` has to turn back (integers, then strings that began with the mark). */
  readonly marked: number;
}

const MINUS = 0x2d;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const COLON = 0x3a;
/** The mark: a string beginning with U+0001 (spelled `\u0001`; JSON has no other spelling for it). */
const MARK = 1;
/** After the mark, U+0002 says "a string of the text that began with the mark", not an integer. */
const ESCAPED = 2;
const MARK_OPENING = '"\\u0001';

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Quotes the integer literals of `text` that a double cannot hold with the
 * mark, so that `JSON.parse` of the result, then `restoreMarked`, gives what
 * a lossless parse of `text` gives; and `JSON.parse` of the result throws
 * exactly when it throws on `text`.
 *
 * Why the result is valid JSON exactly when `text` is: a literal is quoted
 * only where it is outside every string and not followed by `:` (a string
 * there would be a key, a number there is an error), and a string can stand
 * wherever a number can, as a value; the strings of the text that begin with
 * the mark get a U+0002 after it, inside the string (see `escapeMarkedStrings`).
 */
export function markUnsafeIntegers(source: string): MarkedText {
  const escaped = escapeMarkedStrings(source);
  const text = escaped.text;
  let out = '';
  let copied = 0;
  let marked = escaped.marked;
  const strings = new StringTracker(text);
  LONG_RUN.lastIndex = 0;
  // `test` and a look back over the run rather than `exec`, whose match objects cost ten times the rest of the loop.
  while (LONG_RUN.test(text)) {
    const end = LONG_RUN.lastIndex;
    const at = runStart(text, end - 16);
    const start = at > 0 && text.charCodeAt(at - 1) === MINUS ? at - 1 : at;
    const outside = isMemberValue(text, start) ? strings.outsideAt(end) : strings.outsideBefore(at, end);
    if (outside && isUnsafeIntegerToken(text, start, at, end) && !isFollowedByColon(text, end)) {
      out += text.slice(copied, start) + MARK_OPENING + text.slice(start, end) + '"';
      copied = end;
      marked++;
    }
  }
  return copied === 0 ? escaped : { text: out + text.slice(copied), marked };
}

/**
 * The first digit of the run of digits that holds `i`: a match of `LONG_RUN`
 * starts where its run does (the one before it ended at a non-digit).
 */
function runStart(text: string, i: number): number {
  while (i > 0 && isDigit(text.charCodeAt(i - 1))) i--;
  return i;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * Where the strings of a text are, found by visiting its `"` characters in
 * order; a member value's position (`outsideAt`) is known without visiting
 * the quotes before it. The next quote found is kept, so no stretch of the
 * text is searched twice (searching again from each digit run to the next
 * quote, which may be the end of the text, was quadratic: issue 12).
 */
class StringTracker {
  private inString = false;
  /** The string state is known at this position. */
  private scanned = 0;
  /** The first `"` at or after `scanned` (-1: none left), when `searched`. */
  private nextQuote = -1;
  private searched = false;

  constructor(private readonly text: string) {}

  /** Whether `[at, end)` (digits) is outside every string, visiting the quotes before `at`. */
  outsideBefore(at: number, end: number): boolean {
    let q = this.searched && (this.nextQuote === -1 || this.nextQuote >= this.scanned) ? this.nextQuote : this.text.indexOf('"', this.scanned);
    while (q !== -1 && q < at) {
      if (!this.inString || !isEscaped(this.text, q)) this.inString = !this.inString;
      this.scanned = q + 1;
      q = this.text.indexOf('"', this.scanned);
    }
    this.nextQuote = q;
    this.searched = true;
    this.scanned = end;
    return !this.inString;
  }

  /** A member value ends at `end`, outside every string. */
  outsideAt(end: number): boolean {
    this.inString = false;
    this.scanned = end;
    return true;
  }
}

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

/** Whether the next character after `end` other than whitespace is `:` (a number there is an invalid key). */
function isFollowedByColon(text: string, end: number): boolean {
  let i = end;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === COLON;
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

/**
 * Makes every string value of the text that begins with the mark distinct
 * from a marked integer: `"\u0001…` becomes `"\u0001\u0002…`, which
 * `restoreMarked` undoes. A `"` followed by `\u0001` and preceded by an even
 * number of backslashes either opens a string or closes one (then the text is
 * invalid at the backslash right after it, and stays so); a key (the string
 * is followed by `:`) is left as it is, since no mark is ever a key.
 */
function escapeMarkedStrings(text: string): MarkedText {
  let at = text.indexOf(MARK_OPENING);
  if (at === -1) return { text, marked: 0 };
  let out = '';
  let copied = 0;
  let marked = 0;
  while (at !== -1) {
    if (isEscaped(text, at)) {
      at = text.indexOf(MARK_OPENING, at + 1);
      continue;
    }
    const close = closingQuote(text, at + 1);
    if (close === -1) break;
    if (!isFollowedByColon(text, close + 1)) {
      const afterMark = at + MARK_OPENING.length;
      out += text.slice(copied, afterMark) + '\\u0002';
      copied = afterMark;
      marked++;
    }
    at = text.indexOf(MARK_OPENING, close + 1);
  }
  return copied === 0 ? { text, marked: 0 } : { text: out + text.slice(copied), marked };
}

type Container = Record<string, unknown> | unknown[];

/**
 * Turns the marked strings of `JSON.parse(markUnsafeIntegers(t).text)` back
 * into integers (and the escaped strings back into themselves), in place,
 * stopping once `marked` are back (fewer when a later duplicate key replaced
 * one: then the whole value is visited). A walk with its own stack: no
 * nesting depth exhausts it. Throws `RangeError` for an integer of more than
 * `MAX_INTEGER_DIGITS` digits.
 */
export function restoreMarked(value: unknown, marked: number): unknown {
  if (typeof value === 'string') return isMarked(value) ? restore(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  let left = marked;
  const stack: Container[] = [value as Container];
  for (let c = stack.pop(); c !== undefined; c = stack.pop()) {
    if (Array.isArray(c)) {
      for (let i = 0; i < c.length; i++) {
        const v: unknown = c[i];
        if (typeof v === 'string') {
          if (!isMarked(v)) continue;
          c[i] = restore(v);
          if (--left === 0) return value;
        } else if (typeof v === 'object' && v !== null) stack.push(v as Container);
      }
      continue;
    }
    for (const key in c) {
      const v = c[key];
      if (typeof v === 'string') {
        if (!isMarked(v)) continue;
        setOwn(c, key, restore(v));
        if (--left === 0) return value;
      } else if (typeof v === 'object' && v !== null) stack.push(v as Container);
    }
  }
  return value;
}

/** `o[key] = v`, also for the key `__proto__` (an own property made by `JSON.parse`, not the prototype). */
function setOwn(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  else o[key] = v;
}

const isMarked = (s: string): boolean => s.charCodeAt(0) === MARK;

function restore(s: string): bigint | string {
  if (s.charCodeAt(1) === ESCAPED) return s[0]! + s.slice(2);
  const digits = s.charCodeAt(1) === MINUS ? s.length - 2 : s.length - 1;
  if (digits > MAX_INTEGER_DIGITS) {
    throw new RangeError(`parseJson: an integer literal of ${digits} digits is longer than ${MAX_INTEGER_DIGITS}`);
  }
  return BigInt(s.slice(1));
}
