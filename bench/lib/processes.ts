/**
 * Processes of the end-to-end benchmark: the emulator CLI, and peers
 * (e2e-peer.ts) driven over IPC.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import TLSSigAPIv2 from 'tls-sig-api-v2';
import { EmulatorProcess } from '../../test/support/emulator.js';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export const SDK_APP_ID = 1400000007;
export const SECRET = 'tim-rx-bench-secret-0123456789abcdef';
const sigApi = new TLSSigAPIv2.Api(SDK_APP_ID, SECRET);
export const userSig = (userId: string): string => sigApi.genUserSig(userId, 86400);

/** `tim-rx emulator` (src/emulator/main.ts) in its own process, with the benchmark's app id and secret. */
export function startEmulatorCli(dbPath: string, port = 0): Promise<EmulatorProcess> {
  return EmulatorProcess.start(dbPath, port, { sdkAppId: SDK_APP_ID, secret: SECRET, logLevel: 'error' });
}

/** User + system CPU time of a process so far (µs; /proc, clock-tick resolution). */
export function cpuMicros(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

/** A child process answering `{ id, op, ...args }` requests with `{ id, ok, value | error }`. */
export class PeerProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const m = raw as { id?: number; ok?: boolean; value?: unknown; error?: string };
      if (m.id === undefined) return;
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.ok) w?.resolve(m.value);
      else w?.reject(new Error(m.error ?? 'peer failed'));
    });
    child.on('exit', (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`peer exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  /** `nodeArgs`: extra node options, e.g. `--cpu-prof` to profile a peer. */
  static async start(script: URL, nodeArgs: readonly string[] = []): Promise<PeerProcess> {
    const child = fork(fileURLToPath(script), [], {
      execArgv: ['--import', 'tsx', ...nodeArgs], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`peer exited early (${code})`)));
    });
    return new PeerProcess(child);
  }

  call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, ...args });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ id: 0, op: 'exit' });
    await exited;
  }
}
