/**
 * tim-rx as a user gets it with libtimlocal (createTimClient, default
 * KoffiBackend: callbacks run in batches on the event loop), in a child
 * process of its own like the ffi-rs per-call style it is compared with
 * (ffirs-child.ts; same IPC, same library, same raw server): a fresh
 * process against a fresh process.
 *
 * IPC: { op: 'setup', library, host, userId } → createTimClient + login → { ready };
 *      { op: 'run', funcName, parse, inFlight, calls, warmup } → { usPerCall, rss };
 *      { op: 'exit' }.
 */
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { KoffiBackend, createTimClient, type TimClient } from '../../src/index.js';

interface Run {
  op: 'run';
  funcName: 'TIMLogout' | 'TIMConvGetConvList';
  inFlight: number;
  calls: number;
  warmup: number;
}

interface Setup {
  op: 'setup';
  library: string;
  host: string;
  userId: string | null;
}

let tim: TimClient | undefined;
let backend: KoffiBackend | undefined;

async function setup(m: Setup): Promise<void> {
  backend = new KoffiBackend({ library: m.library });
  tim = createTimClient({ sdkAppId: 1400000001, emulatorHost: m.host, backend });
  if (m.userId !== null) await lastValueFrom(tim.login(m.userId, 'any-sig'), { defaultValue: undefined });
}

function call(funcName: Run['funcName']): Promise<unknown> {
  return funcName === 'TIMLogout'
    ? lastValueFrom(tim!.logout(), { defaultValue: undefined })
    : firstValueFrom(tim!.conversations.list());
}

async function run(m: Run, calls: number): Promise<number> {
  let started = 0;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (started < calls) {
      started++;
      await call(m.funcName);
    }
  };
  await Promise.all(Array.from({ length: m.inFlight }, lane));
  return ((performance.now() - t0) * 1000) / calls;
}

const send = (m: object): void => void process.send!(m);
process.on('message', (m: Run | Setup | { op: 'exit' }) => {
  void (async () => {
    if (m.op === 'exit') {
      if (tim) await lastValueFrom(tim.dispose(), { defaultValue: undefined });
      process.exit(0);
    }
    if (m.op === 'setup') {
      await setup(m);
      send({ ready: true, callbacks: backend!.callbackDelivery });
      return;
    }
    if (m.warmup > 0) await run(m, m.warmup);
    const usPerCall = await run(m, m.calls);
    send({ usPerCall, rss: process.memoryUsage().rss });
  })().catch((e: unknown) => send({ error: String(e) }));
});
