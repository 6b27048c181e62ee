/**
 * Parsing of the JSON string arguments a client sends (lossless: 64-bit
 * integers become bigint), at the emulator's edge: a text nested deeper than
 * `MAX_JSON_DEPTH` is refused before `JSON.parse` sees it (issue 12), since
 * `JSON.parse` pays 20–30 times more per byte for deep nesting than for
 * ordinary text. The client's decoders (src/codecs) do not pay for this
 * check: the JSON they read comes from the emulator.
 */
import { parseJson } from '../../json/lossless.js';
import { closingQuote } from '../../json/string-literal.js';
import { ArgError } from './args.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The deepest nesting of arrays and objects a client's JSON text may have
 * (a top-level `[]` is level 1). No structure of the API nests more than
 * about 10 levels; the bound leaves room for an element deeper than the
 * element check's own bound (`MAX_ELEMENT_DEPTH`, 64) inside the deepest
 * envelope (a TIMMsgImportMsgList array, message, element array: 3 levels),
 * so that such an element is still refused by that check, with its own code
 * (6016). Unbounded nesting (`[[[…]]]`) costs `JSON.parse` 20–30 times an
 * ordinary text per byte; within the bound, the costliest texts (many small
 * containers) cost 10–20 times: what is left is bounded by the size of a
 * CALL (limits.ts, `maxCallBytes`; docs/benchmarks.md).
 */
export const MAX_JSON_DEPTH = 128;

const QUOTE = 0x22;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * The deepest nesting of arrays and objects in `text`, counted outside
 * string literals (an escaped quote does not end one), in one pass that
 * stops as soon as it exceeds `bound` (then returns `bound + 1`). On valid
 * JSON it is the depth of the parsed value; on invalid text, a number that
 * `JSON.parse` makes moot by throwing.
 *
 * Linear: a string literal is skipped to its closing quote
 * (json/string-literal.ts).
 */
export function jsonNesting(text: string, bound = Infinity): number {
  let depth = 0;
  let deepest = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i + 1);
      if (i < 0) return deepest;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > bound) return bound + 1;
      }
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Parses `text`, the JSON argument `name` of a client's call; throws ArgError
 * (→ 6017) when it is invalid or nested deeper than `MAX_JSON_DEPTH`.
 */
export function parseClientJson(text: string, name: string): unknown {
  if (jsonNesting(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ArgError(`${name} nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return parseJson(text);
  } catch (e) {
    throw new ArgError(`${name} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Parses `text` (the argument `name`) as a JSON object; throws ArgError (→ 6017) otherwise. */
export function parseObjectParam(text: string, name: string): JsonObject {
  const value = parseClientJson(text, name);
  if (!isJsonObject(value)) throw new ArgError(`${name} must be a JSON object`);
  return value;
}
