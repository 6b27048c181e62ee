/**
 * The newest login wins, also over a reconnect (docs/wire-protocol.md,
 * "Session generations"), through koffi → libtimlocal → the emulator in its
 * own process: client X is logged in as alice; the emulator is SIGKILLed and
 * restarted on the same port and database; before X gets back (its
 * connections go through a proxy that refuses them meanwhile), client Y logs
 * in as alice. X's RESUME is refused: its connection$ ends in `kicked`, and
 * Y stays connected. With nobody else logging in, X resumes and stays connected.
 */
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { createTimClient, isTimError, type ConnectionState, type Message, type TimClient } from '../../src/index.js';
import { seedGeneration, storedGeneration } from '../emulator/generation-seed.js';
import { EmulatorProcess, scratchDir } from '../support/emulator.js';
import { Peer } from '../support/peer.js';
import { Recorder } from '../support/record.js';
import { retry } from '../support/retry.js';
import { SDK_APP_ID, userSig } from '../support/usersig.js';
import { WireProxy } from '../support/wire-proxy.js';

const textOf = (m: Message): string => m.elements.map((e) => (e.type === 'text' ? e.text : `[${e.type}]`)).join('');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a session taken over while its client was disconnected ends visibly (RESUME after an emulator restart)', function () {
  this.timeout(90_000);
  const dir = scratchDir();
  let emulator: EmulatorProcess | undefined;
  let proxy: WireProxy | undefined;
  let x: TimClient | undefined;
  const peers: Peer[] = [];

  const peer = async (userId: string): Promise<Peer> => {
    const p = await Peer.loggedIn(emulator!.address, userId);
    peers.push(p);
    return p;
  };

  /** X, logged in as alice through the proxy; its connection states recorded. */
  const loggedInX = async (): Promise<Recorder<ConnectionState>> => {
    proxy = await WireProxy.start(emulator!.address);
    x = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: proxy.address });
    const states = new Recorder(x.state.connection$);
    await lastValueFrom(x.login('alice', userSig('alice')), { defaultValue: undefined });
    await states.next((s) => s.status === 'connected');
    return states;
  };

  /** SIGKILL, then a new emulator process on the same port and database. */
  const killAndRestart = async (db: string): Promise<void> => {
    const port = emulator!.port;
    await emulator!.stop('SIGKILL');
    emulator = await EmulatorProcess.start(db, port);
  };

  afterEach(async () => {
    if (x) await lastValueFrom(x.dispose(), { defaultValue: undefined });
    x = undefined;
    for (const p of peers.splice(0)) await p.stop();
    await proxy?.close();
    proxy = undefined;
    await emulator?.stop('SIGTERM');
    emulator = undefined;
  });
  after(() => dir.dispose());

  it('X ends in kicked when Y logged in as the same user before X reconnected; Y stays connected and chats', async () => {
    const db = `${dir.path}/takeover.db`;
    emulator = await EmulatorProcess.start(db);
    const states = await loggedInX();
    const bob = await peer('bob');

    proxy!.refuse = true; // X cannot get back until Y has logged in
    await killAndRestart(db);
    await states.next((s) => s.status === 'disconnected');
    const y = await peer('alice');

    proxy!.refuse = false;
    const end = await states.next((s) => s.status === 'kicked', 20_000);
    expect(end).to.deep.equal({ status: 'kicked', userId: 'alice' });
    await sleep(300);
    expect(x!.state.connection.status, 'kicked is an end: later network news changes nothing').to.equal('kicked');
    const after = await firstValueFrom(x!.conversations.list()).then(() => undefined, (e: unknown) => e);
    expect(isTimError(after) && after.code, 'X is logged out').to.equal(6014);

    await y.call('send', { type: 'c2c', id: 'bob' }, 'Y here');
    expect(textOf(await bob.next<Message>('messages', (m) => textOf(m) === 'Y here'))).to.equal('Y here');
    await bob.call('send', { type: 'c2c', id: 'alice' }, 'hi Y');
    await y.next<Message>('messages', (m) => textOf(m) === 'hi Y');
    expect(await kickedCount(y)).to.equal(0);
  });

  /** With nobody else logging in, X (its account's generation seeded to `seed` first, if given) resumes after a restart. */
  const resumesAfterRestart = async (db: string, seed?: bigint): Promise<void> => {
    emulator = await EmulatorProcess.start(db);
    if (seed !== undefined) seedGeneration(db, 'alice', seed);
    const states = await loggedInX();
    if (seed !== undefined) expect(storedGeneration(db, 'alice')).to.equal(seed + 1n);
    const bob = await peer('bob');
    const kicked = new Recorder(x!.events.kickedOffline$);

    await killAndRestart(db);
    const lost = await states.next((s) => s.status === 'disconnected');
    await states.next((s) => s.status === 'connected' && states.values.indexOf(s) > states.values.indexOf(lost), 20_000);
    await firstValueFrom(x!.conversations.list()); // resumed: the server serves alice on this connection
    await sleep(300);
    expect(x!.state.connection).to.deep.equal({ status: 'connected', userId: 'alice' });
    expect(kicked.values).to.deep.equal([]);

    const received = new Recorder(x!.events.messages$);
    // bob's library reconnects on its own backoff: its send may find it still offline (6200).
    await retry(() => bob.call('send', { type: 'c2c', id: 'alice' }, 'welcome back'));
    await received.next((m) => textOf(m) === 'welcome back');
    kicked.stop();
    received.stop();
  };

  it('with nobody else logging in, X resumes after the restart and stays connected', async () => {
    await resumesAfterRestart(`${dir.path}/plain.db`);
  });

  it('past 2^53 too: X, logged in at generation 2^53 + 1, resumes after the restart (libtimlocal keeps all 64 bits)', async () => {
    await resumesAfterRestart(`${dir.path}/past-2-53.db`, 2n ** 53n);
  });
});

/** How many kicked-offline events a peer has seen so far (replayed). */
async function kickedCount(peer: Peer): Promise<number> {
  await sleep(100);
  let n = 0;
  peer.stream('kickedOffline').subscribe(() => n++).unsubscribe();
  return n;
}
