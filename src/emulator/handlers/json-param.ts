/** Parsing of JSON string arguments (lossless: 64-bit integers become bigint). */
import { parseJson } from '../../json/lossless.js';
import { ArgError } from './args.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Parses `text` (the argument `name`) as a JSON object; throws ArgError (→ 6017) otherwise. */
export function parseObjectParam(text: string, name: string): JsonObject {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (e) {
    throw new ArgError(`${name} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isJsonObject(value)) throw new ArgError(`${name} must be a JSON object`);
  return value;
}
