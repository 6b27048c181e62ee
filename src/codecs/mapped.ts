import * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';

/**
 * A codec between the spec's JSON shape (`raw`, with the C key names) and the
 * idiomatic model. The model type is inferred from `decode`, so it is written
 * once; `encode` writes the spec's keys back.
 */
export function mapped<R extends t.Any, A>(
  name: string,
  raw: R,
  decode: (r: t.TypeOf<R>) => A,
  encode: (a: A) => t.TypeOf<R>,
): t.Type<A, t.OutputOf<R>, unknown> {
  return new t.Type<A, t.OutputOf<R>, unknown>(
    name,
    (u): u is A => {
      try {
        return isRight(raw.decode(raw.encode(encode(u as A))));
      } catch {
        return false;
      }
    },
    (u, c) => {
      const r = raw.validate(u, c);
      return isRight(r) ? t.success(decode(r.right as t.TypeOf<R>)) : r;
    },
    (a) => raw.encode(encode(a)) as t.OutputOf<R>,
  );
}

/** `T` with every key whose type admits `undefined` made optional. */
export type Optionalized<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
} extends infer O ? { [K in keyof O]: O[K] } : never;

/** Drops the keys whose value is undefined: models and encoded JSON carry only what was set. */
export function defined<T extends Record<string, unknown>>(o: T): Optionalized<T> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o as unknown as Optionalized<T>;
}
