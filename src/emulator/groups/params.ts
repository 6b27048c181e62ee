/**
 * Typed reads of the JSON parameters of the group functions. A key of the
 * wrong type throws ArgError (→ 6017, naming the key); the SDK would coerce
 * it silently (reference § B.0), the emulator says so instead.
 */
import { ArgError } from '../handlers/args.js';
import { isJsonObject, type JsonObject } from '../handlers/json-param.js';
import type { CustomEntry } from './store.js';

export function optString(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ArgError(`${key} must be a string`);
  return v;
}

export function optInt(o: JsonObject, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'bigint') throw new ArgError(`${key} is out of range: ${v}`);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ArgError(`${key} must be an integer`);
  return v;
}

export function optUint(o: JsonObject, key: string): number | undefined {
  const v = optInt(o, key);
  if (v !== undefined && v < 0) throw new ArgError(`${key} must not be negative`);
  return v;
}

/** A uint64 (cursor or time) as a number; values above 2^53 are refused. */
export function optU64(o: JsonObject, key: string): number | undefined {
  return optUint(o, key);
}

export function optBool(o: JsonObject, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ArgError(`${key} must be true or false`);
  return v;
}

export function optObject(o: JsonObject, key: string): JsonObject | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isJsonObject(v)) throw new ArgError(`${key} must be an object`);
  return v;
}

export function optArray(o: JsonObject, key: string): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new ArgError(`${key} must be an array`);
  return v;
}

export function stringArray(o: JsonObject, key: string): string[] {
  const a = optArray(o, key) ?? [];
  a.forEach((s, i) => {
    if (typeof s !== 'string') throw new ArgError(`${key}[${i}] must be a string`);
  });
  return a as string[];
}

/**
 * `*_custom_info`: the v8 array of {`<prefix>_custom_string_info_key`, `_value`}
 * or the 2019 map {key: value}.
 */
export function customInfo(o: JsonObject, key: string, prefix: string): CustomEntry[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (isJsonObject(v)) {
    return Object.entries(v).map(([k, value]) => {
      if (typeof value !== 'string') throw new ArgError(`${key}.${k} must be a string`);
      return { key: k, value };
    });
  }
  if (!Array.isArray(v)) throw new ArgError(`${key} must be an array or an object`);
  return v.map((e, i) => {
    if (!isJsonObject(e)) throw new ArgError(`${key}[${i}] must be an object`);
    const k = e[`${prefix}_custom_string_info_key`];
    const value = e[`${prefix}_custom_string_info_value`] ?? '';
    if (typeof k !== 'string' || typeof value !== 'string') throw new ArgError(`${key}[${i}] needs a string key and value`);
    return { key: k, value };
  });
}

export const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');
