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
    const v = toBigInt(u);
    return v !== undefined && v >= 0n && v < 1n << 64n ? t.success(v) : t.failure(u, c, 'expected an unsigned 64-bit integer');
  },
  (a) => a,
);

/** A 32-bit-or-smaller integer (or a count), as a JS number. */
export const Int = new t.Type<number, number, unknown>(
  'Int',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u),
  (u, c) => {
    if (typeof u === 'number' && Number.isSafeInteger(u)) return t.success(u);
    if (typeof u === 'bigint' && u >= BigInt(Number.MIN_SAFE_INTEGER) && u <= BigInt(Number.MAX_SAFE_INTEGER)) return t.success(Number(u));
    return t.failure(u, c, 'expected a safe integer');
  },
  (a) => a,
);

/** UTC seconds (message times, edit times). */
export const Seconds = new t.Type<number, number, unknown>('Seconds', Int.is, (u, c) => {
  const r = Int.validate(u, c);
  return r._tag === 'Right' && r.right < 0 ? t.failure(u, c, 'expected non-negative seconds') : r;
}, (a) => a);

function toBigInt(u: unknown): bigint | undefined {
  if (typeof u === 'bigint') return u;
  if (typeof u === 'number' && Number.isSafeInteger(u)) return BigInt(u);
  if (typeof u === 'string' && /^\d{1,20}$/.test(u)) return BigInt(u);
  return undefined;
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
