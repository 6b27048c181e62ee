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
  const result = codec.decode(value);
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

function preview(value: unknown): string {
  try {
    const text = typeof value === 'bigint' ? `${value}` : JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** Encodes a model value to the spec's JSON text (bigints as raw digits). */
export function encodeJson<A, O>(codec: t.Encoder<A, O>, value: A): string {
  return stringifyJson(codec.encode(value));
}
