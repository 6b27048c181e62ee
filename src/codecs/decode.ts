import type * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { parseJson, stringifyJson } from '../json/lossless.js';

/** Why a payload did not decode: the io-ts paths, one line each, and the raw text. */
export interface DecodeFailure {
  readonly message: string;
  readonly errors: readonly string[];
  readonly raw: string;
}

/** Parses `raw` losslessly (64-bit integers stay exact) and decodes it with `codec`. */
export function decodeJson<A>(codec: t.Decoder<unknown, A>, raw: string): Either<DecodeFailure, A> {
  let value: unknown;
  try {
    value = parseJson(raw);
  } catch (e) {
    const message = `not JSON: ${(e as Error).message}`;
    return left({ message, errors: [message], raw });
  }
  return decodeValue(codec, value, raw);
}

/** Decodes an already parsed value (`raw` is what to show when it fails). */
export function decodeValue<A>(codec: t.Decoder<unknown, A>, value: unknown, raw = String(value)): Either<DecodeFailure, A> {
  let result: t.Validation<A>;
  try {
    result = codec.decode(value);
  } catch (e) {
    // A codec can only throw on pathological input (e.g. nesting deep enough to exhaust the stack).
    const message = `could not be decoded: ${e instanceof Error ? e.message : String(e)}`;
    return left({ message, errors: [message], raw });
  }
  if (isLeft(result)) {
    const errors = result.left.map(describe);
    return left({ message: errors.join('; '), errors, raw });
  }
  return right(result.right);
}

/** `path.to.key: what was expected (got value)` — the path in the spec's JSON keys. */
function describe(error: t.ValidationError): string {
  const path = error.context
    .filter((entry, i, all) => i > 0 && entry.key !== '' && (!/^\d+$/.test(entry.key) || isArrayIndex(all[i - 1]?.type)))
    .map((entry) => entry.key)
    .join('.');
  const expected = error.message ?? `expected ${error.context[error.context.length - 1]?.type.name ?? 'a valid value'}`;
  return `${path || '(root)'}: ${expected} (got ${preview(error.value)})`;
}

/** Whether the parent codec is an array (its numeric keys are indices worth showing). */
function isArrayIndex(parent: t.Decoder<unknown, unknown> | undefined): boolean {
  return parent !== undefined && /^(Readonly)?Array</.test(parent.name);
}

/** A short description of `value` whose cost does not depend on its size or depth. */
function preview(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return `an object {${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', ...' : ''}}`;
  }
  return String(value);
}

/** Encodes a model value to the spec's JSON text (bigints as raw digits). */
export function encodeJson<A, O>(codec: t.Encoder<A, O>, value: A): string {
  return stringifyJson(codec.encode(value));
}
