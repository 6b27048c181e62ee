/**
 * Hand-written decoders for the hot structures (messages, conversations),
 * beside their io-ts codecs, which stay the source of truth.
 *
 * A fast decoder reads the raw value with the readers below and builds the
 * model directly (no intersections, no intermediate raw object, no
 * `defined()`). It must accept exactly what the codec accepts and return
 * exactly the codec's value; when anything does not match it throws
 * `MISMATCH` and the io-ts codec decides instead (and describes why), so
 * diagnostics and TimError texts stay the codec's. Property tests
 * (test/codecs/fast-decode.test.ts) hold both to the same results.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { safeIntOf, u64Of } from './primitives.js';

/** Thrown by a reader when the value is not what the codec accepts (pre-allocated: no stack trace to build). */
export const MISMATCH = new Error('the fast decoder does not decide this value');

/** A `validate` that tries `fast` first; `codec` validates (and reports) whatever `fast` does not accept. */
function fastFirst<A>(codec: t.Decoder<unknown, A>, fast: (u: unknown) => A): t.Validate<unknown, A> {
  return (u, c) => {
    let a: A;
    try {
      a = fast(u);
    } catch {
      return codec.validate(u, c);
    }
    return t.success(a);
  };
}

/** `codec` with `fast` tried first. */
export function withFastPath<A, O>(codec: t.Type<A, O, unknown>, fast: (u: unknown) => A): t.Type<A, O, unknown> {
  return new t.Type<A, O, unknown>(codec.name, codec.is, fastFirst(codec, fast), codec.encode);
}

/** A model object under construction (the fast decoders fill one in the codec's key order). */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Sets `o[k]` when `v` is defined (the codecs' `defined()`, without deleting keys). */
export function put<T, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

/** For each model key, the raw key it comes from and the reader of its optional value. */
export type OptionalFields<T> = { readonly [K in keyof T]?: readonly [rawKey: string, read: (u: unknown) => T[K] | undefined] };

/**
 * Reads the optional fields of `spec` from `raw` and sets the defined ones
 * on `o`, in the spec's key order (write it in the model's order); returns `o`.
 */
export function putFields<T>(o: Mutable<T>, raw: Readonly<Record<string, unknown>>, spec: OptionalFields<T>): Mutable<T> {
  for (const k in spec) {
    const [rawKey, read] = spec[k]!;
    put(o, k, read(raw[rawKey]));
  }
  return o;
}

/** A decoder of arrays from a decoder of items: a new array, as io-ts builds one when the items change. */
export function arrayOf<A>(fast: (u: unknown) => A): (u: unknown) => A[] {
  return (u) => {
    if (!Array.isArray(u)) throw MISMATCH;
    const out = new Array<A>(u.length);
    for (let i = 0; i < u.length; i++) out[i] = fast(u[i]);
    return out;
  };
}

/**
 * `t.readonlyArray(item)` (same type, name and `.type`) with `fast` tried on
 * every element first; when one is not accepted, the array codec decides.
 */
export function readonlyArrayOf<C extends t.Mixed>(item: C, fast: (u: unknown) => t.TypeOf<C>): t.ReadonlyArrayC<C> {
  const codec = t.readonlyArray(item);
  return new t.ReadonlyArrayType(codec.name, codec.is, fastFirst(codec, arrayOf(fast)), codec.encode, item);
}

/** A value decoded by an io-ts codec (for the rare parts of a hot structure). */
export function via<A>(codec: t.Decoder<unknown, A>, u: unknown): A {
  const r = codec.decode(u);
  if (isLeft(r)) throw MISMATCH;
  return r.right;
}

/** io-ts `UnknownRecord`: what `t.type` and `t.partial` accept. */
export function record(u: unknown): Readonly<Record<string, unknown>> {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) throw MISMATCH;
  const tag = Object.prototype.toString.call(u);
  if (tag !== '[object Object]' && tag !== '[object Window]') throw MISMATCH;
  return u as Readonly<Record<string, unknown>>;
}

export function str(u: unknown): string {
  if (typeof u !== 'string') throw MISMATCH;
  return u;
}

export function optStr(u: unknown): string | undefined {
  if (u === undefined) return undefined;
  if (typeof u !== 'string') throw MISMATCH;
  return u;
}

export function optBool(u: unknown): boolean | undefined {
  if (u === undefined) return undefined;
  if (typeof u !== 'boolean') throw MISMATCH;
  return u;
}

export function num(u: unknown): number {
  if (typeof u !== 'number') throw MISMATCH;
  return u;
}

/** `Int`: a safe integer, or a bigint in the safe range. */
export function int(u: unknown): number {
  const n = safeIntOf(u);
  if (n === undefined) throw MISMATCH;
  return n;
}

export function optInt(u: unknown): number | undefined {
  return u === undefined ? undefined : int(u);
}

/** `Seconds`: a non-negative `Int`. */
export function optSeconds(u: unknown): number | undefined {
  if (u === undefined) return undefined;
  const n = int(u);
  if (n < 0) throw MISMATCH;
  return n;
}

/** `U64`: a bigint, a safe integer or a decimal string, in [0, 2^64). */
export function optU64(u: unknown): bigint | undefined {
  if (u === undefined) return undefined;
  const v = u64Of(u);
  if (v === undefined) throw MISMATCH;
  return v;
}

/** An enum of `enumCodec`: its model name for the raw value. */
export function enumOf<N extends string>(codec: { readonly read: (u: unknown) => N | undefined }, u: unknown): N {
  const n = codec.read(u);
  if (n === undefined) throw MISMATCH;
  return n;
}

export function optEnumOf<N extends string>(codec: { readonly read: (u: unknown) => N | undefined }, u: unknown): N | undefined {
  return u === undefined ? undefined : enumOf(codec, u);
}
