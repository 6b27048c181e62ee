/**
 * Benchmark — the database check at emulator start (issue 12, "Database
 * integrity at start"): the time `PRAGMA quick_check` (the default) and
 * `PRAGMA integrity_check` (`--db-check full`) add to opening an emulator
 * database of BENCH_DB_CHECK_MESSAGES C2C messages (default 100,000, among
 * 100 users, written through the emulator's Store), side by side with an
 * open without a check, interleaved over BENCH_ROUNDS rounds (default 5).
 * The file is in the OS page cache (warm): a cold read adds the disk's time
 * to read the file once. Numbers are printed, never asserted.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../src/emulator/storage/store.js';
import { fmt, interleave, median, table } from './lib/report.js';

const MESSAGES = Number(process.env['BENCH_DB_CHECK_MESSAGES'] ?? 100_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const USERS = 100;

const dir = mkdtempSync(join(tmpdir(), 'tim-rx-bench-db-check-'));
const path = join(dir, 'history.db');
try {
  const store = Store.open(path);
  for (let u = 0; u < USERS; u++) store.ensureAccount(`user${u}`, 1);
  for (let done = 0; done < MESSAGES; done += 10_000) {
    store.transaction(() => {
      for (let i = done; i < Math.min(MESSAGES, done + 10_000); i++) {
        store.sendC2C({
          convType: 1, sender: `user${i % USERS}`, receiver: `user${(i * 7 + 1) % USERS}`, rand: i, serverTime: 1_700_000_000 + i,
          clientTime: 1_700_000_000 + i, priority: 1, isOnline: false,
          elems: JSON.stringify([{ elem_type: 0, text_elem_content: `message ${i}: ${'lorem ipsum '.repeat(1 + (i % 20))}` }]),
        });
      }
    });
  }
  store.close();

  const timed = (check: 'none' | 'quick_check' | 'integrity_check') => (): number => {
    const t0 = process.hrtime.bigint();
    const db = new Database(path);
    if (check !== 'none') {
      const r = db.pragma(check, { simple: true });
      if (r !== 'ok') throw new Error(`${check}: ${String(r)}`);
    }
    db.close();
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const samples = await interleave(ROUNDS, {
    open: timed('none'),
    quick: timed('quick_check'),
    full: timed('integrity_check'),
  });
  const base = median(samples.open);
  const mb = statSync(path).size / 2 ** 20;
  console.log(`## Database check at start: ${MESSAGES.toLocaleString('en')} messages, ${fmt(mb)} MiB file (warm cache), median of ${ROUNDS}\n`);
  console.log(table(['variant', 'ms', 'ms per 100k messages', '× quick_check'], [
    ['open only', fmt(base), fmt((base * 100_000) / MESSAGES), ''],
    ['open + quick_check (default)', fmt(median(samples.quick)), fmt((median(samples.quick) * 100_000) / MESSAGES), '1'],
    ['open + integrity_check (--db-check full)', fmt(median(samples.full)), fmt((median(samples.full) * 100_000) / MESSAGES),
      fmt(median(samples.full) / median(samples.quick))],
  ]));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
