import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SDK_APP_ID, SECRET } from './usersig.js';

/** A scratch folder removed by `dispose`. */
export function scratchDir(prefix = 'tim-rx-test-'): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

export interface EmulatorProcessOptions {
  readonly sdkAppId?: number;
  readonly secret?: string;
  readonly logLevel?: string;
  /** More command-line flags (e.g. limits). */
  readonly args?: readonly string[];
  /** Soft open-file limit of the process (`ulimit -n`, through sh). */
  readonly openFiles?: number;
  /** Keep what the process writes to stderr (`stderr`) instead of passing it through. */
  readonly captureStderr?: boolean;
}

/** The emulator CLI in its own process, so a test can SIGKILL and restart it (benchmarks use it too). */
export class EmulatorProcess {
  private readonly errLines: string[] = [];

  private constructor(private readonly child: ChildProcess, readonly address: string) {
    child.stderr?.on('data', (chunk: Buffer) => this.errLines.push(chunk.toString()));
  }

  /** What the process wrote to stderr so far (with `captureStderr`). */
  get stderr(): string {
    return this.errLines.join('');
  }

  static async start(dbPath: string, port = 0, options: EmulatorProcessOptions = {}): Promise<EmulatorProcess> {
    const main = fileURLToPath(new URL('../../src/emulator/main.ts', import.meta.url));
    const argv = [process.execPath, '--import', 'tsx', main, '--port', String(port), '--db', dbPath,
      '--sdkappid', String(options.sdkAppId ?? SDK_APP_ID), '--secret', options.secret ?? SECRET, '--log-level', options.logLevel ?? 'warn',
      ...(options.args ?? [])];
    const stdio = ['ignore', 'pipe', options.captureStderr === true ? 'pipe' : 'inherit'] as const;
    const child = options.openFiles === undefined
      ? spawn(argv[0]!, argv.slice(1), { stdio: [...stdio] })
      : spawn('/bin/sh', ['-c', `ulimit -n ${options.openFiles} && exec "$@"`, 'sh', ...argv], { stdio: [...stdio] });
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 15_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /(\d+\.\d+\.\d+\.\d+:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`emulator exited (${code}): ${out}`));
      });
    });
    child.stdout!.resume();
    return new EmulatorProcess(child, address);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get port(): number {
    return Number(this.address.split(':')[1]);
  }

  /** Ends the process with `signal` and waits for it. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill(signal);
    return exited;
  }
}
