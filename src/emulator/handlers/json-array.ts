/** Parsing of JSON array string arguments (lossless, nesting bounded: json-param.ts). */
import { ArgError } from './args.js';
import { parseClientJson } from './json-param.js';

/** Parses `text` (the argument `name`) as a JSON array; throws ArgError (→ 6017) otherwise. */
export function parseArrayParam(text: string, name: string): unknown[] {
  const value = parseClientJson(text, name);
  if (!Array.isArray(value)) throw new ArgError(`${name} must be a JSON array`);
  return value;
}
