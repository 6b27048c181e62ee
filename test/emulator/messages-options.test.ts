import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { expect } from 'chai';
import { runEmulatorCli, type CliIo } from '../../src/emulator/cli.js';
import { EmulatorOptionsError, startEmulator } from '../../src/emulator/index.js';
import { APP_ID, SECRET, tempDir } from './helpers.js';

describe('emulator: message options (revoke time limit, hook)', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('startEmulator refuses a negative or fractional revoke time limit and a hook that is not a function', async () => {
    const base = { port: 0, dbPath: join(tmp.dir, 'o.db'), sdkAppId: APP_ID, secretKey: SECRET, logLevel: 'silent' as const };
    for (const bad of [{ revokeTimeLimitSeconds: -1 }, { revokeTimeLimitSeconds: 1.5 }, { messageHook: 'x' as never }]) {
      const err = await startEmulator({ ...base, ...bad }).then((e) => e.close(), (e: unknown) => e);
      expect(err).to.be.instanceOf(EmulatorOptionsError);
    }
  });

  it('the command line takes --revoke-time-limit and refuses a bad value (exit 2)', async () => {
    const errLines: string[] = [];
    const io: CliIo = { out: () => undefined, err: (l) => errLines.push(l), signals: new EventEmitter() as unknown as CliIo['signals'] };
    const code = await runEmulatorCli(['--sdkappid', String(APP_ID), '--secret', SECRET, '--revoke-time-limit', 'soon'], io);
    expect(code).to.equal(2);
    expect(errLines[0]).to.match(/--revoke-time-limit must be a non-negative integer \(seconds\)/);
  });
});
