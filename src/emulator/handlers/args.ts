/**
 * Checked access to the arguments of a CALL. A mismatch throws ArgError,
 * which the dispatcher answers with 6017 (ERR_INVALID_PARAMETERS).
 */
import type { WireArg } from '../wire/codec.js';
import { ArgTag } from '../wire/constants.js';

export class ArgError extends Error {
  override readonly name = 'ArgError';
}

const TAG_NAMES = ['NULL', 'string', 'i64', 'u64'];

export function expectArgCount(args: readonly WireArg[], n: number): void {
  if (args.length !== n) throw new ArgError(`expects ${n} argument(s), got ${args.length}`);
}

function at(args: readonly WireArg[], i: number, name: string): WireArg {
  const a = args[i];
  if (a === undefined) throw new ArgError(`argument ${name} (#${i + 1}) is missing`);
  return a;
}

/** A tag-1 string argument. */
export function stringArg(args: readonly WireArg[], i: number, name: string): string {
  const a = at(args, i, name);
  if (a.tag !== ArgTag.String) throw new ArgError(`argument ${name} must be a string, got ${TAG_NAMES[a.tag] ?? a.tag}`);
  return a.value;
}

/** A tag-1 string or tag-0 NULL argument. */
export function nullableStringArg(args: readonly WireArg[], i: number, name: string): string | null {
  const a = at(args, i, name);
  return a.tag === ArgTag.Null ? null : stringArg(args, i, name);
}

function integerAt(args: readonly WireArg[], i: number, name: string): bigint {
  const a = at(args, i, name);
  if (a.tag !== ArgTag.Int64 && a.tag !== ArgTag.Uint64) {
    throw new ArgError(`argument ${name} must be an integer, got ${TAG_NAMES[a.tag] ?? a.tag}`);
  }
  return a.value;
}

/** A tag-2 or tag-3 integer argument in 0..max, as a bigint (all 64 bits kept). */
export function u64Arg(args: readonly WireArg[], i: number, name: string, max: bigint): bigint {
  const n = integerAt(args, i, name);
  if (n < 0n || n > max) throw new ArgError(`argument ${name} is out of range: ${n}`);
  return n;
}

/** A tag-2 or tag-3 integer argument that fits a JS safe integer. */
export function intArg(args: readonly WireArg[], i: number, name: string): number {
  const value = integerAt(args, i, name);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new ArgError(`argument ${name} is out of range: ${value}`);
  return n;
}
