import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface ChildResult {
  error?: string;
  disposedWithInjector: boolean;
  disposalFailures: string[];
  control: { field: number; dom: string; zones: boolean[]; domAfterManualDetectChanges: string };
  zoned: {
    initial: { counter: string; status: string; unread: string };
    counter: string; unread: string; items: string[]; zones: boolean[]; getter: number;
  };
}

/** Runs inbox-child.ts (Angular + zone.js in their own process) and returns what it reports. */
function runChild(): Promise<ChildResult> {
  const script = fileURLToPath(new URL('./inbox-child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ChildResult);
      } catch {
        reject(new Error(`child exited ${code} without a result: ${out}`));
      }
    });
  });
}

describe('Angular: change detection sees emissions that native callbacks cause (TestBed, zone.js, koffi → C → emulator)', function () {
  this.timeout(90_000);
  let result: ChildResult;

  before(async () => {
    result = await runChild();
    expect(result.error, result.error).to.equal(undefined);
  });

  it('control: over the raw client, a field set from a native callback is not rendered (the emission ran outside the zone)', () => {
    expect(result.control.field).to.equal(1);
    expect(result.control.dom).to.equal('0');
    expect(result.control.zones).to.deep.equal([true, false]); // the replayed value at subscribe, then the callback's
    expect(result.control.domAfterManualDetectChanges).to.equal('1');
  });

  it('over inject(Tim), the same component and the example InboxComponent re-render by themselves', () => {
    expect(result.zoned.initial).to.deep.equal({ counter: '1', status: 'connected', unread: '1' });
    expect(result.zoned.counter).to.equal('2');
    expect(result.zoned.unread).to.equal('2');
    expect(result.zoned.items).to.deep.equal(['bob (2)']);
    expect(result.zoned.zones.every(Boolean)).to.equal(true);
    expect(result.zoned.getter).to.equal(2);
  });

  it('the client is disposed when the injector that provides it is destroyed', () => {
    expect(result.disposedWithInjector).to.equal(true);
  });

  it('a disposal that fails on destroy reaches the app\'s ErrorHandler as a TimError', () => {
    expect(result.disposalFailures).to.deep.equal(['sync TIMUninit -1']);
  });
});
