/** Parsing of JSON array string arguments (lossless). */
import { parseJson } from '../../json/lossless.js';
import { ArgError } from './args.js';

/** Parses `text` (the argument `name`) as a JSON array; throws ArgError (→ 6017) otherwise. */
export function parseArrayParam(text: string, name: string): unknown[] {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (e) {
    throw new ArgError(`${name} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(value)) throw new ArgError(`${name} must be a JSON array`);
  return value;
}
