/**
 * A small argument parser shared by the `tim-rx` commands: `--name value`,
 * `--name=value`, boolean `--flag`, positionals, `-h` / `--help`. Every
 * mistake is a `UsageError` whose message the command prints with its usage.
 */

export interface OptionSpec {
  /** The option without its dashes. */
  readonly name: string;
  /** Placeholder of the value (`N`, `HOST:PORT`); absent for a boolean flag. */
  readonly value?: string;
  readonly help: string;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  /** Options given with a value (flags map to `"true"`). */
  readonly options: ReadonlyMap<string, string>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], maxPositionals = 0): ParsedArgs {
  const options = new Map<string, string>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '-h' || token === '--help') {
      help = true;
      continue;
    }
    if (!token.startsWith('-') || token === '-') {
      if (positionals.length >= maxPositionals) throw new UsageError(`unexpected argument "${token}"`);
      positionals.push(token);
      continue;
    }
    if (!token.startsWith('--')) throw new UsageError(`unknown option ${token}`);
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const spec = specs.find((s) => s.name === name);
    if (spec === undefined) throw new UsageError(`unknown option --${name}`);
    if (spec.value === undefined) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options.set(name, 'true');
      continue;
    }
    const value = eq >= 0 ? token.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value (${spec.value})`);
    options.set(name, value);
  }
  return { options, positionals, help };
}

/** `  --name VALUE   help`, aligned. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const heads = specs.map((s) => `--${s.name}${s.value === undefined ? '' : ` ${s.value}`}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return specs.map((s, i) => `  ${heads[i]!.padEnd(width)}${s.help}`).join('\n');
}

/**
 * A decimal integer in `min..max`, or a UsageError naming the option, the
 * kind of number it takes and its `unit` (`seconds`, `bytes`, …) if any:
 * `--expire must be a positive integer (seconds), got "-5"`.
 */
export function parseInteger(text: string, what: string, min: number, max: number, unit?: string): number {
  const of = unit === undefined ? '' : ` (${unit})`;
  const kind = min >= 1 ? 'a positive integer' : 'a non-negative integer';
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be ${kind}${of}, got "${text}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${what} must be in ${min}..${max}${of}, got ${text}`);
  return n;
}

/** Where a command writes; tests pass their own. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: CommandIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};
