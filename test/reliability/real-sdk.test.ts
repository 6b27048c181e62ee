/**
 * Real SDK: 100 init/uninit cycles of Tencent's libImSDK.so through tim-rx,
 * inside `unshare -n` (a network namespace without network), then a natural
 * exit: no crash, exit code 0, threads and memory stable. Reports itself
 * skipped, with the reason, when the library was not fetched
 * (`bash scripts/fetch-real-sdk.sh`) or `unshare -n` is not permitted.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastJsonLine, realSdkLibrary as library, realSdkSkipReason } from '../support/real-sdk.js';

const CYCLES = 100;
const child = fileURLToPath(new URL('./real-sdk-cycles-child.ts', import.meta.url));


describe("reliability: Tencent's libImSDK.so, init/uninit cycles inside unshare -n", function () {
  this.timeout(240_000);

  it(`survives ${CYCLES} init/uninit cycles and exits cleanly`, async function () {
    const reason = realSdkSkipReason();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'tim-rx-real-sdk-cycles-'));
    try {
      const run = spawn('unshare', ['-n', process.execPath, '--import', 'tsx', child, library, dir, String(CYCLES)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      run.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        const timer = setTimeout(() => run.kill('SIGKILL'), 220_000);
        run.once('exit', (c, s) => {
          clearTimeout(timer);
          resolve({ code: c, signal: s });
        });
      });
      expect({ code, signal }, stderr.slice(-2000)).to.deep.equal({ code: 0, signal: null });
      const report = lastJsonLine(stdout) as {
        cycles: number; statusSeen: number; samples: { cycle: number; threads: number; rssMiB: number }[];
      };
      expect(report.cycles).to.equal(CYCLES);
      expect(report.statusSeen, 'cycles in which the SDK reported its network status').to.equal(CYCLES);
      const first = report.samples[0]!;
      const last = report.samples[report.samples.length - 1]!;
      // The SDK's threads outlive TIMUninit but are reused: the count must not grow with the cycles.
      expect(last.threads - first.threads, JSON.stringify(report.samples)).to.be.at.most(4);
      expect(last.rssMiB - first.rssMiB, JSON.stringify(report.samples)).to.be.below(64);
      console.log(`      threads ${first.threads} → ${last.threads}, RSS ${first.rssMiB} → ${last.rssMiB} MiB over ${CYCLES} cycles`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
