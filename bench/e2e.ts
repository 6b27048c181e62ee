/**
 * Benchmark 5 — emulator end to end.
 *
 * Seven processes: the emulator CLI (`src/emulator/main.ts`, SQLite file in a
 * temp dir), and three sender → receiver pairs, each user in its own process:
 *   tim-rx  alice → bob: createTimClient → koffi → libtimlocal → emulator →
 *           libtimlocal → koffi → bob's `messages$`, as a user gets it with
 *           libtimlocal (callbacks run in batches on the event loop);
 *   thread  erin → frank: the same with callbacks from the library's thread
 *           (KoffiBackend `callbacks: 'library-thread'`, the only way with
 *           Tencent's SDK);
 *   raw     carol → dave: bare wire-protocol sockets (no koffi, no tim-rx):
 *           what the emulator itself allows on this machine.
 * Per round, interleaved: a flood (FLOOD messages, WINDOW sends in flight;
 * messages/s from the first send to the last arrival on the receiver) and a
 * paced run at 1,000 msg/s (latency from the send call to the receiver's
 * stream, p50/p99).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeerProcess, cpuMicros, startEmulatorCli, userSig } from './lib/processes.js';
import { interleave, machine, median, quantile, table, verdict } from './lib/report.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const FLOOD = Number(process.env['BENCH_E2E_FLOOD'] ?? 5_000);
const WINDOW = 64;
const PACED_RATE = 1000;
const PACED_SECONDS = Number(process.env['BENCH_E2E_PACED_SECONDS'] ?? 3);

const dir = mkdtempSync(join(tmpdir(), 'tim-rx-bench-e2e-'));
const emulator = await startEmulatorCli(join(dir, 'bench.db'));
const peerScript = new URL('./lib/e2e-peer.ts', import.meta.url);
const [alice, bob, carol, dave, erin, frank] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => PeerProcess.start(peerScript)));
const start = (p: PeerProcess, userId: string, mode: 'timrx' | 'raw', callbacks?: 'library-thread') =>
  p.call('start', { mode, host: emulator.address, userId, userSig: userSig(userId), ...(callbacks ? { callbacks } : {}) });
await start(bob!, 'bob', 'timrx');
await start(dave!, 'dave', 'raw');
await start(frank!, 'frank', 'timrx', 'library-thread');
await start(alice!, 'alice', 'timrx');
await start(carol!, 'carol', 'raw');
await start(erin!, 'erin', 'timrx', 'library-thread');

const pairs = {
  timrx: { sender: alice!, receiver: bob!, to: 'bob' },
  thread: { sender: erin!, receiver: frank!, to: 'frank' },
  raw: { sender: carol!, receiver: dave!, to: 'dave' },
};
type Mode = keyof typeof pairs;
const MODES = Object.keys(pairs) as Mode[];
const LABELS: Record<Mode, string> = {
  timrx: 'tim-rx (koffi + libtimlocal, both ends; callbacks on the event loop, the default)',
  thread: "tim-rx, callbacks from the library's thread (as with Tencent's SDK)",
  raw: 'raw wire sockets (emulator ceiling)',
};
interface Received { first: number; last: number; latencies: number[] }
let tagNo = 0;

/** CPU µs per message of each process during the floods, per mode. */
const cpu = Object.fromEntries(MODES.map((m) => [m, { sender: [] as number[], emulator: [] as number[], receiver: [] as number[] }])) as
  Record<Mode, { sender: number[]; emulator: number[]; receiver: number[] }>;
async function flood(mode: Mode, n = FLOOD): Promise<number> {
  const { sender, receiver, to } = pairs[mode];
  const tag = `f${++tagNo}`;
  const cpu0 = [await sender.call<number>('cpu'), cpuMicros(emulator.pid), await receiver.call<number>('cpu')];
  const arrived = receiver.call<Received>('expect', { tag, n });
  const sent = await sender.call<{ start: number; failures: number }>('flood', { tag, to, n, window: WINDOW });
  if (sent.failures > 0) throw new Error(`${mode}: ${sent.failures} sends failed`);
  const r = await arrived;
  await new Promise((resolve) => setTimeout(resolve, 50)); // the conversation events that follow the last message
  const cpu1 = [await sender.call<number>('cpu'), cpuMicros(emulator.pid), await receiver.call<number>('cpu')];
  cpu[mode].sender.push((cpu1[0]! - cpu0[0]!) / n);
  cpu[mode].emulator.push((cpu1[1]! - cpu0[1]!) / n);
  cpu[mode].receiver.push((cpu1[2]! - cpu0[2]!) / n);
  return n / ((r.last - sent.start) / 1000);
}

const latencies = Object.fromEntries(MODES.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
async function paced(mode: Mode): Promise<number> {
  const { sender, receiver, to } = pairs[mode];
  const tag = `p${++tagNo}`;
  const n = PACED_RATE * PACED_SECONDS;
  const arrived = receiver.call<Received>('expect', { tag, n });
  const sent = await sender.call<{ failures: number }>('paced', { tag, to, rate: PACED_RATE, seconds: PACED_SECONDS });
  if (sent.failures > 0) throw new Error(`${mode}: ${sent.failures} paced sends failed`);
  const r = await arrived;
  latencies[mode].push(...r.latencies);
  return quantile(r.latencies, 0.99);
}

for (const mode of MODES) await flood(mode, 1000); // warm-up
for (const c of Object.values(cpu)) for (const list of Object.values(c)) list.length = 0;
const floods = await interleave(ROUNDS, Object.fromEntries(MODES.map((m) => [m, () => flood(m)])) as Record<Mode, () => Promise<number>>);
const p99s = await interleave(ROUNDS, Object.fromEntries(MODES.map((m) => [m, () => paced(m)])) as Record<Mode, () => Promise<number>>);

const rows = MODES.map((mode) => {
  const l = latencies[mode];
  const rate = median(floods[mode]);
  const p50 = quantile(l, 0.5);
  const p99 = quantile(l, 0.99);
  return [
    LABELS[mode],
    rate, p50, median(p99s[mode]), p99, quantile(l, 1),
    mode === 'timrx' ? `${verdict(rate, '≥', 10_000)}; ${verdict(p99, '<', 20)}` : mode === 'thread' ? 'information' : 'reference',
  ];
});
const ratio = median(floods.timrx) / median(floods.raw);

console.log('## 5. Emulator end to end (C2C, sender and receiver in separate processes, emulator CLI in a third)\n');
console.log(machine());
console.log(`flood: ${FLOOD.toLocaleString('en-US')} messages, ${WINDOW} in flight, ${ROUNDS} interleaved rounds (median); paced: ${PACED_RATE} msg/s for ${PACED_SECONDS} s per round, latencies of all rounds pooled.\n`);
console.log(table(['path', 'flood msg/s', 'paced p50 ms', 'paced p99 ms (median of rounds)', 'paced p99 ms (pooled)', 'max ms', 'target'], rows));
console.log(`\ntim-rx flood rate / raw wire rate: ${ratio.toFixed(2)} (callbacks from the library's thread: ${(median(floods.thread) / median(floods.raw)).toFixed(2)})`);
console.log('\nCPU time per message during the floods (µs, user + system, median of rounds):\n');
console.log(table(['path', 'sender process', 'emulator process', 'receiver process', 'total'], MODES.map((mode) => {
  const [s, e, r] = [median(cpu[mode].sender), median(cpu[mode].emulator), median(cpu[mode].receiver)];
  return [LABELS[mode], s, e, r, s + e + r];
})));

await Promise.all([alice!, bob!, carol!, dave!, erin!, frank!].map((p) => p.stop()));
await emulator.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
