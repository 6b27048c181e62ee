import * as t from 'io-ts';

/**
 * An unsigned 64-bit integer as `bigint`, never a rounded number. Accepts a
 * safe JSON number, a bigint (what the lossless parser yields above 2^53) or
 * a decimal string; encodes to a bigint, which `stringifyJson` writes as raw
 * digits.
 */
export const U64 = new t.Type<bigint, bigint, unknown>(
  'U64',
  (u): u is bigint => typeof u === 'bigint' && u >= 0n && u < 1n << 64n,
  (u, c) => {
    const v = u64Of(u);
    return v !== undefined ? t.success(v) : t.failure(u, c, 'expected an unsigned 64-bit integer');
  },
  (a) => a,
);

/** A 32-bit-or-smaller integer (or a count), as a JS number. */
export const Int = new t.Type<number, number, unknown>(
  'Int',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u),
  (u, c) => {
    const n = safeIntOf(u);
    return n !== undefined ? t.success(n) : t.failure(u, c, 'expected a safe integer');
  },
  (a) => a,
);

/** UTC seconds (message times, edit times). */
export const Seconds = new t.Type<number, number, unknown>('Seconds', Int.is, (u, c) => {
  const r = Int.validate(u, c);
  return r._tag === 'Right' && r.right < 0 ? t.failure(u, c, 'expected non-negative seconds') : r;
}, (a) => a);

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const U64_END = 1n << 64n;
const U64_DIGITS = /^\d{1,20}$/;

/** What `Int` accepts, as a number: a safe integer, or a bigint in the safe range. The one rule `Int` and the fast decoders share. */
export function safeIntOf(u: unknown): number | undefined {
  if (typeof u === 'number' && Number.isSafeInteger(u)) return u;
  if (typeof u === 'bigint' && u >= MIN_SAFE && u <= MAX_SAFE) return Number(u);
  return undefined;
}

/** What `U64` accepts, as a bigint: a bigint, a safe integer or a decimal string, in [0, 2^64). */
export function u64Of(u: unknown): bigint | undefined {
  let v: bigint;
  if (typeof u === 'bigint') v = u;
  else if (typeof u === 'number' && Number.isSafeInteger(u)) v = BigInt(u);
  else if (typeof u === 'string' && U64_DIGITS.test(u)) v = BigInt(u);
  else return undefined;
  return v >= 0n && v < U64_END ? v : undefined;
}

/**
 * A C enum carried as a number in JSON and as a string literal in the model.
 * Unknown numbers fail to decode (with the list of known values). `read`
 * gives the model name of a raw value (or undefined), for hand-written decoders.
 */
export function enumCodec<const M extends Readonly<Record<number, string>>>(name: string, values: M) {
  type Name = Extract<M[keyof M], string>;
  const byName = new Map<string, number>(Object.entries(values).map(([k, v]) => [v, Number(k)]));
  const known = Object.entries(values).map(([k, v]) => `${k} (${v})`).join(', ');
  const read = (u: unknown): Name | undefined => {
    const n = typeof u === 'bigint' ? Number(u) : u;
    return typeof n === 'number' && n in values ? (values[n] as Name) : undefined;
  };
  const codec = new t.Type<Name, number, unknown>(
    name,
    (u): u is Name => typeof u === 'string' && byName.has(u),
    (u, c) => {
      const v = read(u);
      return v !== undefined ? t.success(v) : t.failure(u, c, `expected one of ${known}`);
    },
    (a) => byName.get(a) as number,
  );
  return Object.assign(codec, { read });
}
