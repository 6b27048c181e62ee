/**
 * Benchmark 2 — command overhead.
 *
 * The same C function of the same library (libtimlocal) called three ways,
 * interleaved:
 *   bare koffi   one registered TIMCommCallback, a Map of resolvers keyed by
 *                user_data, JSON.parse of the reply when it carries data;
 *   tim-rx       the public command (cold Observable → KoffiBackend → shared
 *                trampoline → queueMicrotask → lossless parse → decode, by the
 *                hand-written decoders checked against the io-ts codecs),
 *                awaited with lastValueFrom (`tim.logout()` also reports to the state);
 *   (tim-rx transport only: KoffiBackend.call and JSON.parse, to locate the cost);
 *   ffi-rs       Tencent's im_electron_sdk style: every call runs ffi-rs
 *                `load({ library, funcName, retType, paramsType, paramsValue })`
 *                with the signature rebuilt and an inline `funcConstructor`
 *                callback closure (ffi-rs 1.3.7; im_electron_sdk pins 1.0.62,
 *                which is not on the registry). user_data is passed as an
 *                integer: the wrapper passes a string, which libtimlocal would
 *                hand back as a dangling pointer.
 *
 * Commands:
 *   TIMLogout while logged out: libtimlocal answers 0 from its own thread, no server;
 *   TIMConvGetConvList while logged in: a round trip to a raw wire server (worker
 *   thread) that answers 10 conversations (about 9 KB of JSON).
 * Each at 1 command in flight (latency) and 32 in flight (throughput).
 *
 * Bare koffi and tim-rx share one process and one loaded library. ffi-rs runs
 * in a fresh child process per trial (same library file, logged in to the same
 * raw server): the wrapper never releases its per-call callbacks (threadsafe functions), so
 * each call leaves a uv_async handle on the loop that every later wakeup of that
 * loop walks; in the main thread it would slow the other variants down
 * (measured: bare koffi 55 → 270 µs per call after 15k ffi-rs calls). A last
 * table shows that growth within one process.
 *
 * In this process tim-rx gets its callbacks from the library's thread, like
 * bare koffi (libtimlocal's mode is process-wide). tim-rx as a user gets it
 * with libtimlocal (callbacks in batches on the event loop) runs in fresh
 * child processes too (timrx-child.ts), alternating with the ffi-rs ones:
 * the ≥ 3 × target is read on that pair, fresh process against fresh process.
 */
import koffi from 'koffi';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { KoffiBackend, createTimClient, defaultLibraryPath } from '../src/index.js';
import { runLanes } from './lib/bench-child.js';
import { conversationArrayJson } from './lib/payloads.js';
import { RawServerWorker } from './lib/raw-server-client.js';
import { interleave, machine, median, table, verdict } from './lib/report.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const CALLS = { 1: 1000, 32: 2500 } as const;
/**
 * The in-process variants alternate in short blocks, many rounds: a command
 * answered by the library thread costs two thread wake-ups, and on this kind
 * of VM a wake-up across vCPUs costs 50-90 µs against ~4 µs on one vCPU, so
 * the cost of a block depends on where the scheduler put the two threads and
 * on other processes' load, which change within a second ("stalls": blocks at
 * 10 × the usual cost). Long trials let one variant catch a stall or a good
 * placement the others miss; short alternating blocks spread both over all.
 */
const FINE_ROUNDS = Number(process.env['BENCH_FINE_ROUNDS'] ?? 30);
const BLOCK = { 1: 200, 32: 500 } as const;

const server = await RawServerWorker.start();
const convListJson = conversationArrayJson(0, 10);
server.reply(20, 0, '', convListJson);
// Callbacks from the library's thread for tim-rx as for bare koffi (like for like, and as with Tencent's SDK):
// libtimlocal's mode is process-wide, and in host dispatch mode bare koffi's callbacks would wait for tim-rx's dispatch.
const backend = new KoffiBackend({ callbacks: 'library-thread' });
const tim = createTimClient({ sdkAppId: 1400000001, backend, emulatorHost: server.address });

// ---- bare koffi, on the same (already pinned) library ----
koffi.proto('void BenchCommCallback(int32_t code, const char *desc, const char *json_params, const void *user_data)');
const lib = koffi.load(defaultLibraryPath);
const bareLogout = lib.func('int TIMLogout(BenchCommCallback *cb, const void *user_data)');
const bareConvList = lib.func('int TIMConvGetConvList(BenchCommCallback *cb, const void *user_data)');
const barePending = new Map<number, (r: { code: number; json: string }) => void>();
let bareId = 1;
const bareCallback = koffi.register((code: number, _desc: string, json: string, ud: bigint | null) => {
  try {
    const id = Number(ud ?? 0);
    const resolve = barePending.get(id);
    barePending.delete(id);
    resolve?.({ code, json });
  } catch {
    /* never throw into native code */
  }
}, koffi.pointer('BenchCommCallback'));
function bare(fn: (cb: unknown, ud: bigint) => unknown, parse: boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = bareId++;
    barePending.set(id, ({ code, json }) => (code === 0 ? resolve(parse ? JSON.parse(json) : undefined) : reject(new Error(`code ${code}`))));
    const rc = fn(bareCallback, BigInt(id)) as number;
    if (rc !== 0) {
      barePending.delete(id);
      reject(new Error(`TIMResult ${rc}`));
    }
  });
}

// ---- ffi-rs, per-call style of im_electron_sdk: a fresh child process per trial ----
interface FfiResult { usPerCall: number; rss: number }
interface FfiChild { run: (m: object) => Promise<FfiResult>; stop: () => Promise<void> }
let ffiUsers = 0;
/** ffirs-child.ts (Tencent's per-call ffi-rs style), or timrx-child.ts (tim-rx as a user gets it with libtimlocal). */
async function benchChild(login: boolean, script: string): Promise<FfiChild> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (): Promise<FfiResult> => new Promise((resolve, reject) => {
    child.once('message', (r: FfiResult & { error?: string }) => (r.error ? reject(new Error(r.error)) : resolve(r)));
    child.once('exit', (code, signal) => reject(new Error(`ffi-rs child exited (${code ?? signal})`)));
  });
  const ready = next();
  child.send({ op: 'setup', library: defaultLibraryPath, host: server.address, userId: login ? `ffi${++ffiUsers}` : null });
  await ready;
  return {
    run: (m) => {
      const r = next();
      child.send({ op: 'run', ...m });
      return r;
    },
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.send({ op: 'exit' });
    }),
  };
}

/**
 * Warm-up calls before the measured ones, each at its best: ffi-rs fresh (it
 * only gets slower as its callbacks pile up: the last table), tim-rx once
 * V8 has compiled its command path (its first ~2000 commands run mostly
 * interpreted: 100+ µs each, then ~10 µs).
 */
const CHILD_WARMUP = { ffirs: 200, timrx: 3000 } as const;

async function childRun(
  funcName: 'TIMLogout' | 'TIMConvGetConvList', parse: boolean, inFlight: number, calls: number, child: keyof typeof CHILD_WARMUP = 'ffirs',
): Promise<number> {
  const script = child === 'ffirs' ? './lib/ffirs-child.ts' : './lib/timrx-child.ts';
  const w = await benchChild(funcName === 'TIMConvGetConvList', script);
  try {
    return (await w.run({ funcName, parse, inFlight, calls, warmup: CHILD_WARMUP[child] })).usPerCall;
  } finally {
    await w.stop();
  }
}

/** CPU time of the main (JS) thread so far, in µs (Linux: /proc schedstat), or NaN. */
function mainThreadCpuUs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    return Number.NaN;
  }
}

/** µs of wall time and of main-thread CPU per command over `calls` commands. */
async function runWithCpu(inFlight: number, calls: number, one: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = mainThreadCpuUs();
  const wall = await runLanes(inFlight, calls, one);
  return { wall, cpu: (mainThreadCpuUs() - c0) / calls };
}

interface Variants {
  readonly bare: () => Promise<unknown>;
  readonly timrx: () => Promise<unknown>;
  /** tim-rx's transport alone (KoffiBackend.call), the reply JSON.parsed like bare: where the rest of the cost is not. */
  readonly transport: () => Promise<unknown>;
  readonly ffirs: [name: 'TIMLogout' | 'TIMConvGetConvList', parse: boolean];
}
const rows: (string | number)[][] = [];
const ffiRows: (string | number)[][] = [];
let timrxLogoutSequential = Number.NaN;
async function measure(label: string, v: Variants): Promise<void> {
  for (const inFlight of [1, 32] as const) {
    const calls = CALLS[inFlight];
    await runLanes(inFlight, 200, v.bare); // warm-up (each ffi-rs child warms up itself)
    await runLanes(inFlight, 200, v.timrx);
    await runLanes(inFlight, 200, v.transport);
    const block = BLOCK[inFlight];
    const cpu: Record<'bare' | 'timrx', number[]> = { bare: [], timrx: [] };
    const timed = (name: 'bare' | 'timrx', one: () => Promise<unknown>) => async (): Promise<number> => {
      const r = await runWithCpu(inFlight, block, one);
      cpu[name].push(r.cpu);
      return r.wall;
    };
    const s = await interleave(FINE_ROUNDS, {
      bare: timed('bare', v.bare),
      timrx: timed('timrx', v.timrx),
      transport: () => runLanes(inFlight, block, v.transport),
    });
    const fs = await interleave(ROUNDS, {
      ffirs: () => childRun(v.ffirs[0], v.ffirs[1], inFlight, calls),
      child: () => childRun(v.ffirs[0], v.ffirs[1], inFlight, calls, 'timrx'),
    });
    const [b, t, x, f, c] = [median(s.bare), median(s.timrx), median(s.transport), median(fs.ffirs), median(fs.child)];
    const [cb, ct] = [median(cpu.bare), median(cpu.timrx)];
    if (v.ffirs[0] === 'TIMLogout' && inFlight === 1) timrxLogoutSequential = t;
    rows.push([label, inFlight, b, t, x, t / b, cb, ct, ct / cb, verdict(t / b, '≤', 1.3)]);
    ffiRows.push([label, inFlight, f, t, f / t, c, f / c, verdict(f / c, '≥', 3)]);
  }
}

await measure('TIMLogout (logged out: answered by the library)', {
  bare: () => bare(bareLogout, false),
  timrx: () => lastValueFrom(tim.logout(), { defaultValue: undefined }),
  transport: () => lastValueFrom(backend.call('TIMLogout', [])),
  ffirs: ['TIMLogout', false],
});
await lastValueFrom(tim.login('bob', 'any-sig: the raw server accepts every login'), { defaultValue: undefined });
await measure('TIMConvGetConvList (10 conversations from the server)', {
  bare: () => bare(bareConvList, true),
  timrx: () => firstValueFrom(tim.conversations.list()),
  transport: () => lastValueFrom(backend.call('TIMConvGetConvList', [])).then((r) => JSON.parse(r.json) as unknown),
  ffirs: ['TIMConvGetConvList', true],
});

// The wrapper's closures are never released: one process, block after block.
const degradation: (string | number)[][] = [];
{
  const w = await benchChild(false, './lib/ffirs-child.ts');
  let rss0 = 0;
  let total = 0;
  for (let block = 0; block < 5; block++) {
    const r = await w.run({ funcName: 'TIMLogout', parse: false, inFlight: 1, calls: 3000, warmup: 0 });
    total += 3000;
    if (block === 0) rss0 = r.rss;
    degradation.push([total, r.usPerCall, r.usPerCall / timrxLogoutSequential, ((r.rss - rss0) / 2 ** 20).toFixed(1)]);
  }
  await w.stop();
}

console.log('## 2. Command overhead (µs per command; lower is better)\n');
console.log(machine());
console.log(`bare, tim-rx, transport: ${FINE_ROUNDS} interleaved rounds of ${BLOCK[1]} (1 in flight) or ${BLOCK[32]} (32) commands per cell, medians of the blocks; ffi-rs: ${ROUNDS} child processes of ${CALLS[1]} or ${CALLS[32]} calls; libtimlocal, same process, same library; ffi-rs 1.3.7.`);
console.log('main-thread CPU: time the JS thread spent on a CPU per command (schedstat), which wake-up latency does not inflate.\n');
console.log(table(['command', 'in flight', 'bare koffi µs', 'tim-rx µs', 'tim-rx transport only µs', 'tim-rx / bare', 'bare main-thread CPU µs', 'tim-rx main-thread CPU µs', 'CPU tim-rx / bare', 'target'], rows));
console.log(`\nAgainst the ffi-rs per-call style (${ROUNDS} fresh child processes each, alternating): tim-rx as above (in this process, callbacks from the library's thread), and tim-rx as a user gets it with libtimlocal in a fresh child process of its own (callbacks on the event loop, the default). Warm-up calls first: ffi-rs ${CHILD_WARMUP.ffirs} (fresh: it only gets slower), tim-rx ${CHILD_WARMUP.timrx} (until V8 has compiled its command path).\n`);
console.log(table(['command', 'in flight', 'ffi-rs per-call µs', 'tim-rx, library thread µs', 'ffi-rs / that', 'tim-rx default, own process µs', 'ffi-rs / that', 'target (tim-rx default)'], ffiRows));
console.log('\nffi-rs per-call style in one long-lived process (TIMLogout, 1 in flight): cost per call and RSS growth as unreleased callbacks accumulate\n');
console.log(table(['calls made', 'µs per call (last 3000)', 'vs tim-rx TIMLogout (1 in flight) above', 'RSS growth since the first 3000 MiB'], degradation));

await lastValueFrom(tim.dispose(), { defaultValue: undefined });
await server.close();
// ffi-rs callbacks are threadsafe functions that are never released (as in the wrapper): they hold the loop open.
process.exit(0);
