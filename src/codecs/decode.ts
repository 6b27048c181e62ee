import type * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
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
    const errors = PathReporter.report(result);
    return left({ message: errors.join('; '), errors, raw });
  }
  return right(result.right);
}

/** Encodes a model value to the spec's JSON text (bigints as raw digits). */
export function encodeJson<A, O>(codec: t.Encoder<A, O>, value: A): string {
  return stringifyJson(codec.encode(value));
}
