import { expect } from 'chai';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { createTimClient, isTimError, type Conversation, type Message, type TimClient } from '../../src/index.js';
import type { NetworkStatusEvent } from '../../src/streams/events.js';
import { startEmulator } from '../../src/emulator/index.js';
import { EmulatorProcess, scratchDir } from '../support/emulator.js';
import { Peer } from '../support/peer.js';
import { Recorder } from '../support/record.js';
import { SDK_APP_ID, expiredUserSig, forgedUserSig, userSig } from '../support/usersig.js';

const text = (m: Message) => m.elements.map((e) => (e.type === 'text' ? e.text : `[${e.type}]`)).join('');

/** User A: the tim-rx client of this (the test) process. */
function clientA(emulatorHost: string): TimClient {
  return createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost });
}

async function dispose(client: TimClient | undefined): Promise<void> {
  if (client) await lastValueFrom(client.dispose(), { defaultValue: undefined });
}

describe('two users chat through koffi → libtimlocal → emulator', function () {
  this.timeout(60_000);
  const dir = scratchDir();
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let a: TimClient | undefined;
  let b: Peer | undefined;

  before(async () => {
    emulator = await startEmulator({ port: 0, dbPath: `${dir.path}/chat.db`, sdkAppId: SDK_APP_ID, secretKey: 'tim-rx-test-secret-0123456789abcdef' });
  });
  afterEach(async () => {
    await dispose(a);
    a = undefined;
    await b?.stop();
    b = undefined;
  });
  after(async () => {
    await emulator.close();
    dir.dispose();
  });

  it('exchanges text messages both ways; each side sees sender, conversation, seq and text; B has unread 1', async () => {
    a = clientA(emulator.address);
    const aMessages = new Recorder(a.events.messages$);
    await lastValueFrom(a.login('alice', userSig('alice')), { defaultValue: undefined });
    b = await Peer.loggedIn(emulator.address, 'bob');

    const sent = (await firstValueFrom(a.messages.send({ type: 'c2c', id: 'bob' }, 'hello bob'))).message;
    expect(sent).to.deep.include({ conversation: { type: 'c2c', id: 'bob' }, sender: 'alice', isFromSelf: true, status: 'sent' });
    expect(sent.seq).to.equal(1n);

    const atB = await b.next<Message>('messages', (m) => text(m) === 'hello bob');
    expect(atB).to.deep.include({ conversation: { type: 'c2c', id: 'alice' }, sender: 'alice', isFromSelf: false });
    expect(atB.seq).to.equal(sent.seq);
    expect(atB.rand).to.equal(sent.rand);

    const bConversations = await b.call<readonly Conversation[]>('list');
    const withAlice = bConversations.find((c) => c.key.id === 'alice');
    expect(withAlice?.key.type).to.equal('c2c');
    expect(withAlice?.unreadCount).to.equal(1);
    expect(withAlice?.lastMessage && text(withAlice.lastMessage)).to.equal('hello bob');

    await b.call('send', { type: 'c2c', id: 'alice' }, 'hi alice');
    const atA = await aMessages.next((m) => text(m) === 'hi alice');
    expect(atA).to.deep.include({ conversation: { type: 'c2c', id: 'bob' }, sender: 'bob', isFromSelf: false });
    expect(atA.seq).to.equal(1n);
    expect(atA.uniqueId).to.be.a('bigint');
    expect(atA.uniqueId! > 2n ** 53n).to.equal(true);

    const aConversations = await firstValueFrom(a.conversations.list());
    expect(aConversations.find((c) => c.key.id === 'bob')?.unreadCount).to.equal(1);
  });

  it('a second login of the same user from another process kicks the first', async () => {
    a = clientA(emulator.address);
    const kicked = new Recorder(a.events.kickedOffline$);
    await lastValueFrom(a.login('carol', userSig('carol')), { defaultValue: undefined });
    b = await Peer.loggedIn(emulator.address, 'carol');
    await kicked.next();
    // Kicked means logged out: the next call needs a login again.
    const err = await firstValueFrom(a.conversations.list()).catch((e: unknown) => e);
    expect(isTimError(err, 6014)).to.equal(true);
  });

  it('an expired sig fails login with 70001 and emits userSigExpired$; a forged sig is refused', async () => {
    a = clientA(emulator.address);
    const expired = new Recorder(a.events.userSigExpired$);
    const err = await lastValueFrom(a.login('dave', expiredUserSig('dave'))).catch((e: unknown) => e);
    expect(isTimError(err, 70001), String(err)).to.equal(true);
    expect((err as { kind: string }).kind).to.equal('async');
    await expired.next();

    const forged = await lastValueFrom(a.login('dave', forgedUserSig('dave'))).catch((e: unknown) => e);
    expect(isTimError(forged, 70003), String(forged)).to.equal(true);
    const otherUsers = await lastValueFrom(a.login('dave', userSig('erin'))).catch((e: unknown) => e);
    expect(isTimError(otherUsers, 70013), String(otherUsers)).to.equal(true);
  });
});

describe('the emulator is killed and restarted on the same port and database', function () {
  this.timeout(90_000);
  const dir = scratchDir();
  let emulator: EmulatorProcess | undefined;
  let a: TimClient | undefined;
  let b: Peer | undefined;

  after(async () => {
    await dispose(a);
    await b?.stop();
    await emulator?.stop('SIGTERM');
    dir.dispose();
  });

  it('reports Disconnected then Connected, resumes the session, and keeps every acknowledged message', async () => {
    const db = `${dir.path}/restart.db`;
    emulator = await EmulatorProcess.start(db);
    a = clientA(emulator.address);
    const status = new Recorder<NetworkStatusEvent>(a.events.networkStatus$);
    await lastValueFrom(a.login('frank', userSig('frank')), { defaultValue: undefined });
    b = await Peer.loggedIn(emulator.address, 'grace');

    const acked: Message[] = [];
    for (const word of ['one', 'two', 'three']) {
      acked.push((await firstValueFrom(a.messages.send({ type: 'c2c', id: 'grace' }, word))).message);
    }

    await emulator.stop('SIGKILL');
    const lost = await status.next((s) => s.status === 'disconnected');
    expect(lost.code).to.equal(9508);
    emulator = await EmulatorProcess.start(db, emulator.port);
    const index = status.values.indexOf(lost);
    await status.next((s) => s.status === 'connected' && status.values.indexOf(s) > index, 20_000);

    // Both users are logged in again by the library (RESUME), without a new login call.
    const graceView = await waitForConversation(b, 'frank', (c) => c.unreadCount === 3, 20_000);
    expect(graceView.lastMessage && text(graceView.lastMessage)).to.equal('three');
    expect(graceView.lastMessage?.seq).to.equal(acked[2]!.seq);
    const four = (await firstValueFrom(a.messages.send({ type: 'c2c', id: 'grace' }, 'four'))).message;
    expect(four.seq).to.equal(4n);
  });
});

/** Polls B's conversation list until `frank`'s conversation satisfies `ok`. */
async function waitForConversation(peer: Peer, id: string, ok: (c: Conversation) => boolean, ms: number): Promise<Conversation> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const found = (await peer.call<readonly Conversation[]>('list')).find((c) => c.key.id === id);
      if (found && ok(found)) return found;
      last = found;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`conversation ${id} never matched; last: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
