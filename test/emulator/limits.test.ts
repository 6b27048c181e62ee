import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { DEFAULT_LIMITS, defaultMaxConnections, EmulatorOptionsError, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { resolveLimits } from '../../src/emulator/limits.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import { closedWithin, rawSocket } from '../support/pressure.js';
import { APP_ID, SECRET, makeSig, tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

describe('emulator: resource limits (options)', () => {
  const tmp = tempDir();
  after(() => tmp.remove());
  const base = { port: 0, sdkAppId: APP_ID, secretKey: SECRET, logLevel: 'silent' as const };

  it('takes each default when left out; the connection default stays under the open-file limit', () => {
    const limits = resolveLimits({ idleTimeoutMs: 5 });
    expect(limits).to.deep.equal({ maxConnections: defaultMaxConnections(), ...DEFAULT_LIMITS, idleTimeoutMs: 5 });
    const files = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (files !== null) expect(defaultMaxConnections()).to.equal(Math.max(1, Math.min(1000, Number(files[1]) - 64)));
  });

  it('startEmulator refuses a limit out of range, fractional, or a hard output bound not above the pause bound', async () => {
    const bad = [{ maxConnections: 0 }, { helloTimeoutMs: 1.5 }, { maxHelloBytes: 10 }, { outputPauseBytes: 1000 },
      { outputPauseBytes: 2 * 1024 * 1024, outputLimitBytes: 2 * 1024 * 1024 }];
    for (const limits of bad) {
      const err = await startEmulator({ ...base, dbPath: join(tmp.dir, 'o.db'), limits }).then((e) => e.close(), (e: unknown) => e);
      expect(err, JSON.stringify(limits)).to.be.instanceOf(EmulatorOptionsError).with.property('message').that.matches(/^limits\.\w+/);
    }
  });

  it('at the connection limit with every socket logged in, a new socket is closed at once with a warning; one logging out makes room', async () => {
    const lines: string[] = [];
    let emulator: RunningEmulator | undefined;
    const clients: WireClient[] = [];
    try {
      emulator = await startEmulator({ ...base, dbPath: join(tmp.dir, 'full.db'), logLevel: 'warn', logSink: (_, l) => lines.push(l), limits: { maxConnections: 2 } });
      for (const user of ['ann', 'ben']) {
        const c = await WireClient.connect(emulator.address, { sdkAppId: APP_ID });
        clients.push(c);
        expect((await c.call(FunctionId.Login, [arg.str(user), arg.str(makeSig(user))])).code).to.equal(0);
      }
      const refused = await rawSocket(emulator.address);
      expect(await closedWithin(refused, 3000)).to.equal(true);
      expect(lines.join('\n')).to.match(/connection limit reached \(2 sockets, all logged in\): refused a new connection from 127\.0\.0\.1:\d+/);

      expect((await clients[1]!.call(FunctionId.Logout)).code).to.equal(0);
      const next = await WireClient.connect(emulator.address, { sdkAppId: APP_ID });
      clients.push(next);
      expect((await next.call(FunctionId.Login, [arg.str('cid'), arg.str(makeSig('cid'))])).code).to.equal(0);
      expect(await clients[1]!.waitClosed(3000), 'the socket logged out was evicted').to.equal(true);
    } finally {
      for (const c of clients) c.close();
      await emulator?.close();
    }
  });
});
