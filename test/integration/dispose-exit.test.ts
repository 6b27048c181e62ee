/**
 * `tim.dispose()` as the README uses it, end to end: a logged-in client in
 * its own process (koffi → libtimlocal → the emulator) whose last action is
 * `tim.dispose()` lets that process exit by itself. An initialized client
 * keeps the process alive until its disposal, so a `dispose()` that did
 * nothing until subscribed left the process running for ever; here the
 * wait is bounded and a process still running after it is killed and fails
 * the test.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { scratchDir } from '../support/emulator.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';

const CHILD = fileURLToPath(new URL('./dispose-exit-child.ts', import.meta.url));
/** Far above the few seconds a child needs to start, log in and dispose on a busy machine. */
const EXIT_BOUND_MS = 30_000;

interface Ending { code: number | null; signal: NodeJS.Signals | null; stillRunning: boolean; stdout: string }

function runChild(args: readonly string[]): Promise<Ending> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let stillRunning = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const bound = setTimeout(() => {
      stillRunning = true;
      child.kill('SIGKILL');
    }, EXIT_BOUND_MS);
    child.on('close', (code, signal) => {
      clearTimeout(bound);
      resolve({ code, signal, stillRunning, stdout });
    });
  });
}

describe('tim.dispose() lets a process end (koffi → libtimlocal → emulator, the README\'s usage)', function () {
  this.timeout(EXIT_BOUND_MS + 20_000);
  const dir = scratchDir('tim-rx-dispose-');
  let emulator: RunningEmulator | undefined;

  before(async () => {
    emulator = await startEmulator({ port: 0, dbPath: `${dir.path}/dispose.db`, sdkAppId: SDK_APP_ID, secretKey: SECRET, logLevel: 'warn' });
  });
  after(async () => {
    await emulator?.close();
    dir.dispose();
  });

  for (const how of ['call', 'await'] as const) {
    it(how === 'call' ? 'a bare `tim.dispose()` (not awaited, not subscribed) as the last action: the process exits by itself, code 0'
      : '`await tim.dispose()` as the last action: it resolves, and the process exits by itself, code 0', async () => {
      const user = `dispose-${how}`;
      const ending = await runChild([emulator!.address, user, userSig(user), how]);
      expect(ending.stdout, 'the child logged in first').to.include('logged in');
      expect(ending.stillRunning, `still running ${EXIT_BOUND_MS} ms after; its output:\n${ending.stdout}`).to.equal(false);
      expect([ending.code, ending.signal]).to.deep.equal([0, null]);
      if (how === 'await') expect(ending.stdout).to.include('disposed');
    });
  }
});
