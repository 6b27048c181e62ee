/**
 * Benchmark 4 — memory: 1M commands and 1M events through one tim-rx client
 * on libtimlocal; heap (after forced GC) and live koffi registrations
 * (`koffi.stats().callbacks`) at the start, along the way and at the end.
 * Run with --expose-gc (bench/run.ts does).
 *
 *   commands  `tim.logout()` while logged out (libtimlocal answers from its
 *             thread without a server), 32 in flight;
 *   events    EVENT 1 frames (one message each, no 19-digit unique id so the
 *             run stays short) written by a raw wire server in a worker
 *             thread, in chunks of 10k, each chunk received on messages$
 *             before the next is written.
 * BENCH_MEMORY_N changes the count (default 1,000,000 of each).
 */
import koffi from 'koffi';
import { lastValueFrom } from 'rxjs';
import { KoffiBackend, createTimClient } from '../src/index.js';
import { messageArrayJson } from './lib/payloads.js';
import { recvNewMsgFrames } from './lib/raw-server.js';
import { RawServerWorker } from './lib/raw-server-client.js';
import { collect, machine, table, until, verdict } from './lib/report.js';

const N = Number(process.env['BENCH_MEMORY_N'] ?? 1_000_000);
const CHUNK = 10_000;
const MiB = 2 ** 20;

if (!(globalThis as { gc?: unknown }).gc) throw new Error('run with node --expose-gc');

const server = await RawServerWorker.start();
server.reply(20, 0, '', '[]');
const backend = new KoffiBackend();
const tim = createTimClient({ sdkAppId: 1400000001, backend, emulatorHost: server.address });
let received = 0;
tim.events.messages$.subscribe(() => received++);
server.prepare('chunk', recvNewMsgFrames(messageArrayJson(1, false), CHUNK));

async function commands(n: number): Promise<void> {
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started < n) {
      started++;
      await lastValueFrom(tim.logout(), { defaultValue: undefined });
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
}

async function events(n: number): Promise<void> {
  for (let sent = 0; sent < n; sent += CHUNK) {
    const target = received + CHUNK;
    await server.blast('chunk');
    await until('a chunk of messages', () => received >= target, 60_000);
  }
}

interface Sample { phase: string; heap: number; rss: number; callbacks: number; pending: number; seconds: number }
const samples: Sample[] = [];
let t0 = performance.now();
async function sample(phase: string): Promise<Sample> {
  await collect();
  const m = process.memoryUsage();
  const s = { phase, heap: m.heapUsed, rss: m.rss, callbacks: koffi.stats().callbacks, pending: backend.pendingRequests, seconds: (performance.now() - t0) / 1000 };
  samples.push(s);
  return s;
}

// Warm-up: the state's first login, JIT, rxjs internals, socket buffers.
await lastValueFrom(tim.login('bob', 'any-sig'), { defaultValue: undefined });
await commands(10_000);
await events(CHUNK * 2);
const base = await sample('start (after 10k commands + 20k events of warm-up)');
t0 = performance.now();
const quarter = Math.ceil(N / 4 / CHUNK) * CHUNK;
const fmtN = (n: number) => n.toLocaleString('en-US');
for (let q = 1; q <= 4; q++) {
  await commands(quarter);
  await sample(`commands ${fmtN(q * quarter)}`);
}
const receivedBefore = received;
for (let q = 1; q <= 4; q++) {
  await events(quarter);
  await sample(`events ${fmtN(q * quarter)} (messages$ saw ${fmtN(received - receivedBefore)})`);
}
const last = samples[samples.length - 1]!;
const afterCommands = samples[4]!;

console.log(`## 4. Memory (${fmtN(4 * quarter)} commands, then ${fmtN(4 * quarter)} events; heap after forced GC)\n`);
console.log(machine());
console.log('');
console.log(table(['after', 'heapUsed MiB', 'growth MiB', 'RSS MiB', 'koffi callbacks', 'pending requests', 's'], samples.map((s) => [
  s.phase, (s.heap / MiB).toFixed(1), ((s.heap - base.heap) / MiB).toFixed(2), (s.rss / MiB).toFixed(0), s.callbacks, s.pending, s.seconds.toFixed(1),
])));
const growth = (last.heap - base.heap) / MiB;
console.log(`\nheap growth ${growth.toFixed(2)} MiB: ${verdict(growth, '<', 10)}; koffi registrations ${base.callbacks} → ${afterCommands.callbacks} → ${last.callbacks}: ${
  base.callbacks === last.callbacks && afterCommands.callbacks === base.callbacks ? 'constant (met)' : 'CHANGED (missed)'}`);

await lastValueFrom(tim.dispose(), { defaultValue: undefined });
await server.close();
process.exit(0);
