/**
 * The IPC of benchmark 2's child processes (ffirs-child.ts, timrx-child.ts):
 *   { op: 'setup', library, host, userId } → set up (and log in unless userId is null) → { ready };
 *   { op: 'run', funcName, parse, inFlight, calls, warmup } → { usPerCall, rss };
 *   { op: 'exit' }.
 */

export interface Setup {
  op: 'setup';
  library: string;
  host: string;
  /** Log in first (the raw server accepts any sig); TIMLogout is measured logged out. */
  userId: string | null;
}

export interface Run {
  op: 'run';
  funcName: 'TIMLogout' | 'TIMConvGetConvList';
  /** JSON.parse the reply (the per-call style parses what it uses). */
  parse: boolean;
  inFlight: number;
  calls: number;
  warmup: number;
}

export interface BenchChild {
  setup(m: Setup): Promise<void>;
  call(m: Run): Promise<unknown>;
  /** Before the process exits (default: nothing). */
  exit?(): Promise<void>;
}

/** Runs `calls` calls of `one` with `inFlight` outstanding at a time; returns µs per call. */
export async function runLanes(inFlight: number, calls: number, one: () => Promise<unknown>): Promise<number> {
  let started = 0;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (started < calls) {
      started++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return ((performance.now() - t0) * 1000) / calls;
}

/** Answers the parent's messages with `child`. */
export function serveBenchChild(child: BenchChild): void {
  const send = (m: object): void => void process.send!(m);
  process.on('message', (m: Run | Setup | { op: 'exit' }) => {
    void (async () => {
      if (m.op === 'exit') {
        await child.exit?.();
        process.exit(0);
      }
      if (m.op === 'setup') {
        await child.setup(m);
        send({ ready: true });
        return;
      }
      if (m.warmup > 0) await runLanes(m.inFlight, m.warmup, () => child.call(m));
      const usPerCall = await runLanes(m.inFlight, m.calls, () => child.call(m));
      send({ usPerCall, rss: process.memoryUsage().rss });
    })().catch((e: unknown) => send({ error: String(e) }));
  });
}
