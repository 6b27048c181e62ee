/**
 * At-least-once delivery through koffi → libtimlocal → emulator: a receiver
 * that died before acknowledging gets its messages after the next login; a
 * client whose ACKs were lost gets them again after a reconnect, and its
 * messages$ emits each message once.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lastValueFrom } from 'rxjs';
import { createTimClient, type Message, type TimClient } from '../../src/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { scratchDir } from '../support/emulator.js';
import { Peer } from '../support/peer.js';
import { Recorder } from '../support/record.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';
import { WireProxy } from '../support/wire-proxy.js';

const textOf = (m: Message): string => m.elements.map((e) => (e.type === 'text' ? e.text : `[${e.type}]`)).join('');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function eventually(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The texts a peer's messages$ emitted so far. */
async function peerTexts(peer: Peer, settleMs: number): Promise<string[]> {
  await sleep(settleMs);
  const texts: string[] = [];
  peer.stream<Message>('messages').subscribe((m) => texts.push(textOf(m))).unsubscribe(); // replayed, synchronous
  return texts;
}

describe('at-least-once delivery of new messages (ACK after the listener), end to end', function () {
  this.timeout(60_000);
  const dir = scratchDir();
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  const peers: Peer[] = [];
  let tim: TimClient | undefined;
  let proxy: WireProxy | undefined;

  const peer = async (userId: string, register: readonly string[] = [], host = emulator.address): Promise<Peer> => {
    const p = await Peer.loggedIn(host, userId, { register });
    peers.push(p);
    return p;
  };

  before(async () => {
    emulator = await startEmulator({ port: 0, dbPath: `${dir.path}/ack.db`, sdkAppId: SDK_APP_ID, secretKey: SECRET, logLevel: 'silent' });
  });
  afterEach(async () => {
    if (tim) await lastValueFrom(tim.dispose(), { defaultValue: undefined });
    tim = undefined;
    for (const p of peers.splice(0)) await p.stop();
    await proxy?.close();
    proxy = undefined;
  });
  after(async () => {
    await emulator.close();
    dir.dispose();
  });

  it('a receiver SIGKILLed before it acknowledged gets the messages after it logs in again, each once; then none', async () => {
    const alice = await peer('alice', ['bob']);
    const doomed = await peer('bob');
    doomed.signal('SIGSTOP'); // its library can read nothing, so it ACKs nothing
    await sleep(100);
    for (const text of ['one', 'two', 'three']) await alice.call('send', { type: 'c2c', id: 'bob' }, text);
    await sleep(200); // the EVENT 1 frames are in the stopped receiver's socket buffer
    doomed.signal('SIGKILL');
    await doomed.exited();

    const again = await peer('bob');
    await again.next<Message>('messages', (m) => textOf(m) === 'three');
    expect(await peerTexts(again, 500), 'delivered again, in order, no duplicates').to.deep.equal(['one', 'two', 'three']);
    await again.stop(); // its library ACKed them after messages$ got them

    const third = await peer('bob');
    expect(await peerTexts(third, 800), 'acknowledged: not delivered again').to.deep.equal([]);
  });

  it('with callbacks on the event loop, a message is acknowledged only after messages$ subscribers ran: a receiver killed inside one gets it again', async () => {
    const alice = await peer('alice', ['erin']);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../support/dying-receiver.ts', import.meta.url)),
      emulator.address, 'erin', userSig('erin')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    await eventually('the receiver to log in', () => out.includes('ready'));
    expect(out).to.include('ready event-loop');

    await alice.call('send', { type: 'c2c', id: 'erin' }, 'die');
    expect(await exited, 'killed inside its messages$ subscriber').to.equal('SIGKILL');

    const again = await peer('erin');
    await again.next<Message>('messages', (m) => textOf(m) === 'die'); // not acknowledged: delivered again
  });

  it('messages$ emits once a message the emulator delivers again after a reconnect whose ACKs were lost', async () => {
    const carol = await peer('carol', ['dave']);
    proxy = await WireProxy.start(emulator.address);
    tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: proxy.address });
    const messages = new Recorder(tim.events.messages$);
    await lastValueFrom(tim.login('dave', userSig('dave')), { defaultValue: undefined });

    proxy.dropAcks = true;
    for (const text of ['x', 'y']) await carol.call('send', { type: 'c2c', id: 'dave' }, text);
    await messages.next((m) => textOf(m) === 'y');
    // ACKs are cumulative (one may cover both): wait for the one of the last EVENT 1 so far.
    await eventually('the ACKs (dropped)', () => proxy!.highestAckDropped > 0n && proxy!.highestAckDropped === proxy!.lastNewMessageToken);
    const eventsBefore = proxy.newMessageEvents.length;

    proxy.dropAcks = false;
    proxy.cut(); // the library reconnects through the proxy and RESUMEs: x and y come again
    await eventually('the redelivery', () => proxy!.newMessageEvents.slice(eventsBefore).join().includes('"y"'));
    await eventually('its ACK', () => proxy!.acksPassed >= 1);
    await carol.call('send', { type: 'c2c', id: 'dave' }, 'z');
    await messages.next((m) => textOf(m) === 'z');
    await sleep(200);
    expect(messages.values.map(textOf)).to.deep.equal(['x', 'y', 'z']);

    const eventsAcked = proxy.newMessageEvents.length;
    const accepted = proxy.accepted;
    proxy.cut(); // everything was acknowledged: nothing comes again
    await eventually('a new connection', () => proxy!.accepted > accepted);
    await sleep(800);
    expect(proxy.newMessageEvents.slice(eventsAcked)).to.deep.equal([]);
    expect(messages.values.map(textOf)).to.deep.equal(['x', 'y', 'z']);
    messages.stop();
  });
});
