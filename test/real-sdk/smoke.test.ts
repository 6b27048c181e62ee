import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastJsonLine, realSdkLibrary as library, realSdkSkipReason } from '../support/real-sdk.js';

const child = fileURLToPath(new URL('./smoke-child.ts', import.meta.url));


describe("Tencent's libImSDK.so through the same koffi backend (inside unshare -n)", function () {
  this.timeout(60_000);

  it('reports its version, fails to connect, refuses a list before login with 6014, uninits and exits 0', function () {
    const reason = realSdkSkipReason();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    // No network at all: a fresh network namespace has only a loopback interface, and it is down.
    const dir = mkdtempSync(join(tmpdir(), 'tim-rx-real-sdk-'));
    const run = spawnSync('unshare', ['-n', process.execPath, '--import', 'tsx', child, library, dir], {
      encoding: 'utf8', timeout: 50_000,
    });
    rmSync(dir, { recursive: true, force: true });
    expect(run.status, `exit ${run.status} signal ${run.signal}\n${run.stderr}`).to.equal(0);
    const report = lastJsonLine(run.stdout) as {
      version: string; callbacks: string; statuses: { status: string; code: number }[]; listError: { kind: string; code: number } | null;
    };
    expect(report.version).to.match(/^8\.\d+\.\d+$/);
    expect(report.callbacks, "no host dispatch in Tencent's library: callbacks from its thread").to.equal('library-thread');
    const kinds = report.statuses.map((s) => s.status);
    expect(kinds[0]).to.equal('connecting');
    expect(kinds).to.include('connect-failed');
    expect(report.listError).to.deep.include({ kind: 'async', code: 6014 });
  });
});
