/**
 * `npm run bench [-- name …]`: runs the benchmarks one after the other, each in
 * its own process (the C SDK is process-global, and memory needs a clean heap),
 * and prints their tables. Names: inbound, commands, derived-state, memory, e2e, files, json, db-check.
 * Environment: BENCH_ROUNDS (rounds per cell), BENCH_MEMORY_N, BENCH_E2E_FLOOD,
 * BENCH_E2E_PACED_SECONDS, BENCH_DB_CHECK_MESSAGES. Numbers are printed, never asserted.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { machine } from './lib/report.js';

const all = ['inbound', 'commands', 'derived-state', 'memory', 'e2e', 'files', 'json', 'db-check'] as const;
const chosen = process.argv.slice(2);
for (const name of chosen) {
  if (!(all as readonly string[]).includes(name)) {
    console.error(`unknown benchmark ${name}; choose from ${all.join(', ')}`);
    process.exit(2);
  }
}
const names = chosen.length > 0 ? chosen : all;

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`# tim-rx benchmarks\n\n${machine()}; load average before: ${load()}\n`);
const started = Date.now();
let failed = 0;
for (const name of names) {
  const t0 = Date.now();
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script], { stdio: 'inherit' });
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : null)));
  });
  console.log(`\n(${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s${code === 0 ? '' : `, FAILED with exit code ${code}`}; load average ${load()})\n`);
  if (code !== 0) failed++;
}
console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed > 0 ? 1 : 0);
