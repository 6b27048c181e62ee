/**
 * Errors say what is wrong (issue 17, item 4): a missing string argument is
 * named before the C call; a UserSig refused for its signature (70003) says
 * which secret the chat (and its demo peer) used and how to pass another; a
 * connection attempt that fails names the address tried.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { createTimClient, isTimError, TimError, type TimClient } from '../../src/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { runDemoPeer } from '../../src/cli/chat/demo-peer.js';
import { loginFailure } from '../../src/cli/chat/login-failure.js';
import { DEFAULT_CHAT_SECRET } from '../../src/cli/chat/options.js';
import { makeUserSig } from '../../src/cli/usersig.js';
import type { NetworkStatusEvent } from '../../src/streams/events.js';
import { scratchDir } from '../support/emulator.js';
import { Recorder } from '../support/record.js';
import { SDK_APP_ID, userSig } from '../support/usersig.js';

async function failure(call: Promise<unknown>): Promise<TimError> {
  const e = await call.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof TimError)) throw new Error(`expected a TimError, got ${String(e)}`);
  return e;
}

const done = (o: Parameters<typeof lastValueFrom>[0]): Promise<unknown> => lastValueFrom(o, { defaultValue: undefined });

describe('errors that say what is wrong', function () {
  this.timeout(30_000);
  const dir = scratchDir();
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let tim: TimClient | undefined;

  before(async () => {
    // Started as the README's Quickstart starts one: with its own secret, not the chat's.
    emulator = await startEmulator({ port: 0, dbPath: `${dir.path}/errors.db`, sdkAppId: SDK_APP_ID, secretKey: 'MY_KEY' });
  });
  afterEach(async () => {
    if (tim) await done(tim.dispose());
    tim = undefined;
  });
  after(async () => {
    await emulator.close();
    dir.dispose();
  });

  it('a missing or non-string argument is named (sync -4), without calling the C function', async () => {
    tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    const unset = await failure(done(tim.login('alice', undefined as unknown as string)));
    expect(unset).to.include({ kind: 'sync', code: -4, api: 'TIMLogin' });
    expect(unset.message).to.equal('TIMLogin failed (sync -4): bad arguments: user_sig is missing (undefined)');
    const nul = await failure(done(tim.login('alice', null as unknown as string)));
    expect(nul.desc).to.equal('bad arguments: user_sig is missing (NULL)');
    const id = await failure(done(tim.login(undefined as unknown as string, 'sig')));
    expect(id.desc).to.equal('bad arguments: user_id is missing (undefined)');
    const num = await failure(done(tim.login('alice', 42 as unknown as string)));
    expect(num.desc).to.equal('bad arguments: user_sig must be a string, got number');
    const conv = await failure(firstValueFrom(tim.messages.send({ type: 'c2c', id: undefined as unknown as string }, 'hi')));
    expect(conv).to.include({ kind: 'sync', code: -4, api: 'TIMMsgSendNewMsg', desc: 'bad arguments: conv_id is missing (undefined)' });
    // Nothing reached the emulator: a later, correct login works.
    await done(tim.login('alice', makeUserSig(SDK_APP_ID, 'MY_KEY', 'alice')));
  });

  it('the chat\'s login refused with 70003 says it used the built-in secret and how to pass one', async () => {
    tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    const e = await failure(done(tim.login('alice', makeUserSig(SDK_APP_ID, DEFAULT_CHAT_SECRET, 'alice'))));
    expect(isTimError(e, 70003)).to.equal(true);
    const line = loginFailure(e, { userSig: undefined, secret: DEFAULT_CHAT_SECRET });
    expect(line).to.match(/^TIMLogin failed: 70003 /);
    expect(line).to.include('the chat signs UserSigs with its built-in development secret; this emulator was started with another: pass --secret KEY');
    expect(loginFailure(e, { userSig: undefined, secret: 'OTHER' })).to.include('the secret given (--secret or TIM_RX_SECRET)');
    expect(loginFailure(e, { userSig: 'sig', secret: DEFAULT_CHAT_SECRET })).to.include('--usersig');
    // Other failures keep their plain line.
    expect(loginFailure(TimError.sync('TIMLogin', -2), { userSig: undefined, secret: DEFAULT_CHAT_SECRET })).to.equal('TIMLogin failed: -2 TIMLogin returned -2');
  });

  it('the demo peer fails with the same line', async () => {
    const run = runDemoPeer({ emulator: emulator.address, user: 'bot', peer: 'alice', sdkAppId: SDK_APP_ID, secret: DEFAULT_CHAT_SECRET }, new Promise(() => undefined));
    const e = await run.then(() => undefined, (err: unknown) => err);
    expect(e).to.be.instanceOf(Error);
    expect((e as Error).message).to.match(/^demo peer: TIMLogin failed: 70003 .*built-in development secret.*pass --secret KEY/);
  });

  describe('a port held by something that is not an emulator', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    before(async () => {
      // Accepts and answers garbage instead of a WELCOME.
      server = createServer((s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
        s.end(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    after(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('the failed attempt and the queued login name the address tried', async () => {
      const port = (server.address() as { port: number }).port;
      const address = `127.0.0.1:${port}`;
      tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: address });
      const status = new Recorder<NetworkStatusEvent>(tim.events.networkStatus$);
      const e = await failure(done(tim.login('alice', userSig('alice'))));
      expect(e).to.include({ kind: 'async', code: 6200 });
      expect(e.desc).to.match(new RegExp(`^no network: connection attempt to ${address}: `));
      const failed = await status.next((s) => s.status === 'connect-failed');
      expect(failed.desc).to.match(new RegExp(`^${address}: `));
      // Queued behind the next attempt, or refused between attempts: either way the address is named.
      const again = await failure(done(tim.login('alice', userSig('alice'))));
      expect(again.desc).to.match(new RegExp(`^no network: (connection attempt to|not connected to the server at) ${address}`));
      status.stop();
    });
  });
});
