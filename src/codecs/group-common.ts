/** Pieces shared by the group codecs: custom fields, 2019 key spellings, modify flags. */
import * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';

/**
 * `*_custom_info` (B12a): v8 writes an array of
 * `{<prefix>_custom_string_info_key, _value}`; 2019 (≤ 4.4.716) a map.
 * The model is a map; encoding writes v8's array.
 */
export function customInfo(prefix: string) {
  const keyKey = `${prefix}_custom_string_info_key`;
  const valueKey = `${prefix}_custom_string_info_value`;
  type Entry = Record<string, string>;
  return new t.Type<Readonly<Record<string, string>>, readonly Entry[], unknown>(
    `${prefix}_custom_info`,
    (u): u is Readonly<Record<string, string>> => typeof u === 'object' && u !== null && !Array.isArray(u)
      && Object.values(u).every((v) => typeof v === 'string'),
    (u, c) => {
      if (Array.isArray(u)) {
        const out: Record<string, string> = {};
        for (const e of u) {
          const k = (e as Entry | null)?.[keyKey];
          const v = (e as Entry | null)?.[valueKey] ?? '';
          if (typeof k !== 'string' || typeof v !== 'string') return t.failure(u, c, `expected {${keyKey}, ${valueKey}} strings`);
          out[k] = v;
        }
        return t.success(out);
      }
      if (typeof u === 'object' && u !== null && Object.values(u).every((v) => typeof v === 'string')) {
        return t.success({ ...(u as Record<string, string>) });
      }
      return t.failure(u, c, 'expected an array of custom strings or a map');
    },
    (a) => Object.entries(a).map(([k, v]) => ({ [keyKey]: k, [valueKey]: v })),
  );
}

/**
 * A codec that also reads old key spellings (reference § 1 item 5: 2019
 * `group_detial_info_*`, `…memeber…`, `…lastest_seq`): the input's keys are
 * renamed to v8's before `codec` decodes them. Encoding writes v8's keys.
 */
export function withLegacyKeys<A, O>(codec: t.Type<A, O, unknown>, rename: (key: string) => string): t.Type<A, O, unknown> {
  return new t.Type<A, O, unknown>(
    codec.name,
    codec.is,
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return codec.validate(u, c);
      const renamed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(u)) {
        const key = rename(k);
        if (key === k || !(key in u)) renamed[key] = v;
      }
      return codec.validate(renamed, c);
    },
    codec.encode,
  );
}

/**
 * A bitwise-OR flag of a modify param as an unsigned 32-bit number: the
 * owner bit (0x80000000) arrives as -2147483648 (jsoncpp, the spec's own
 * example) or 2147483648; both are normalised with `>>> 0` (reference § 1 item 3).
 */
export const ModifyFlag = new t.Type<number, number, unknown>(
  'ModifyFlag',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 0xffffffff,
  (u, c) => {
    const n = typeof u === 'bigint' ? Number(u) : u;
    return typeof n === 'number' && Number.isInteger(n) && n >= -0x80000000 && n <= 0xffffffff ? t.success(n >>> 0) : t.failure(u, c, 'expected a 32-bit flag');
  },
  // Written as C's int, like the SDK's jsoncpp: the owner bit becomes -2147483648.
  (a) => a | 0,
);

/** Decodes `u` with `codec`, or undefined (for best-effort nested views). */
export function tryDecode<A>(codec: t.Decoder<unknown, A>, u: unknown): A | undefined {
  if (u === undefined) return undefined;
  const r = codec.decode(u);
  return isRight(r) ? r.right : undefined;
}
