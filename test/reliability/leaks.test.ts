/**
 * Leaks: commands unsubscribed before their reply (100k in the full run).
 * In a child process with --expose-gc (leak-child.ts): live koffi
 * registrations stay constant, no request stays pending, the heap after
 * forced GC stays flat.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scaled } from './scale.js';

const COMMANDS = scaled(20_000, 100_000);
const MiB = 2 ** 20;

interface Sample { after: number; heap: number; callbacks: number; pending: number }

describe('reliability: leaks', function () {
  this.timeout(scaled(120_000, 600_000));

  it(`${COMMANDS} commands unsubscribed before their reply: koffi registrations constant, nothing pending, heap flat`, async () => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./leak-child.ts', import.meta.url)), String(COMMANDS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), scaled(110_000, 590_000));
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code, out).to.equal(0);
    const { samples } = JSON.parse(out.trim().split('\n').pop()!) as { samples: Sample[] };
    const table = samples.map((s) => `${s.after}: heap ${(s.heap / MiB).toFixed(2)} MiB, ${s.callbacks} callbacks, ${s.pending} pending`).join('; ');
    const first = samples[0]!;
    for (const s of samples) {
      expect(s.callbacks, table).to.equal(first.callbacks);
      expect(s.pending, table).to.equal(0);
    }
    const heaps = samples.map((s) => s.heap);
    expect((Math.max(...heaps) - first.heap) / MiB, `heap growth (${table})`).to.be.below(4);
    console.log(`      ${table}`);
  });
});
