/**
 * Where a JSON string literal ends, found without parsing: its closing `"`
 * is the first one not preceded by an odd run of backslashes. Shared by the
 * lossless parser's scan (unsafe-integers.ts) and the emulator's nesting
 * check (handlers/json-param.ts).
 */

const BACKSLASH = 0x5c;

/** Whether the `"` at `q` is escaped: an odd number of backslashes before it. */
export function isEscaped(text: string, q: number): boolean {
  let n = 0;
  while (text.charCodeAt(q - 1 - n) === BACKSLASH) n++;
  return (n & 1) === 1;
}

/**
 * The first unescaped `"` at or after `from`, or -1. Linear over a text when
 * called from one string's start to the next: each run of backslashes is
 * walked back once (it stops at the character before the run).
 */
export function closingQuote(text: string, from: number): number {
  let q = text.indexOf('"', from);
  while (q !== -1 && isEscaped(text, q)) q = text.indexOf('"', q + 1);
  return q;
}
