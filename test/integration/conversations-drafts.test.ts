/**
 * Conversation functions (create, delete, drafts) through koffi →
 * libtimlocal → emulator, and that everything the message and conversation
 * functions store survives a SIGKILL of the emulator.
 */
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import {
  createTimClient, isTimError, sentMessage, type Conversation, type ConversationEvent, type Message, type TimClient,
} from '../../src/index.js';
import type { NetworkStatusEvent } from '../../src/streams/events.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { EmulatorProcess, scratchDir } from '../support/emulator.js';
import { Peer } from '../support/peer.js';
import { Recorder } from '../support/record.js';
import { retry } from '../support/retry.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';

const textOf = (m: Message | undefined) => (m?.elements[0] as { text?: string } | undefined)?.text;
const find = (list: readonly Conversation[], id: string) => list.find((c) => c.key.id === id);
const changed = (e: ConversationEvent, kind: string, id: string): e is Extract<ConversationEvent, { conversations: unknown }> =>
  e.kind === kind && 'conversations' in e && e.conversations.some((c) => c.key.id === id);

describe('conversations through koffi → libtimlocal → emulator: create, delete, drafts', function () {
  this.timeout(60_000);
  const dir = scratchDir();
  let emulator: RunningEmulator;
  let a: TimClient;
  let events: Recorder<ConversationEvent>;

  before(async () => {
    emulator = await startEmulator({ port: 0, dbPath: `${dir.path}/conv.db`, sdkAppId: SDK_APP_ID, secretKey: SECRET, unknownAccounts: 'refuse' });
    a = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    events = new Recorder(a.events.conversationEvents$);
    await lastValueFrom(a.login('dora', userSig('dora')), { defaultValue: undefined });
    await lastValueFrom(a.logout(), { defaultValue: undefined });
    await lastValueFrom(a.login('alice', userSig('alice')), { defaultValue: undefined });
  });
  after(async () => {
    await lastValueFrom(a.dispose(), { defaultValue: undefined });
    await emulator.close();
    dir.dispose();
  });

  it('creates a conversation (returned, and announced as added); creating it again returns it; an unknown peer is 20003', async () => {
    const DORA = { type: 'c2c', id: 'dora' } as const;
    const created = await firstValueFrom(a.conversations.create(DORA));
    expect(created).to.deep.include({ key: DORA, unreadCount: 0 });
    expect(created.lastMessage).to.equal(undefined);
    await events.next((e) => changed(e, 'add', 'dora'));
    expect(await firstValueFrom(a.conversations.create(DORA))).to.deep.equal(created);
    const err = await firstValueFrom(a.conversations.create({ type: 'c2c', id: 'ghost' })).catch((e: unknown) => e);
    expect(isTimError(err, 20003), String(err)).to.equal(true);
  });

  it('sets a draft (in the list and in an update event) and cancels it', async () => {
    const DORA = { type: 'c2c', id: 'dora' } as const;
    await lastValueFrom(a.conversations.setDraft(DORA, { message: 'half a thought', userDefine: 'cursor=4', editTime: 1_700_000_000 }), { defaultValue: undefined });
    const update = await events.next((e) => changed(e, 'update', 'dora') && e.conversations[0]!.draft !== undefined);
    expect('conversations' in update && update.conversations[0]!.draft).to.deep.equal({
      message: { elements: [{ type: 'text', text: 'half a thought' }] }, userDefine: 'cursor=4', editTime: 1_700_000_000,
    });
    expect(find(await firstValueFrom(a.conversations.list()), 'dora')?.draft?.userDefine).to.equal('cursor=4');
    await lastValueFrom(a.conversations.cancelDraft(DORA), { defaultValue: undefined });
    await events.next((e) => changed(e, 'update', 'dora') && e.conversations[0]!.draft === undefined);
    expect(find(await firstValueFrom(a.conversations.list()), 'dora')?.draft).to.equal(undefined);
  });

  it('deletes a conversation (announced as deleted); deleting it again is 6004', async () => {
    const DORA = { type: 'c2c', id: 'dora' } as const;
    await lastValueFrom(a.conversations.delete(DORA), { defaultValue: undefined });
    await events.next((e) => changed(e, 'delete', 'dora'));
    expect(find(await firstValueFrom(a.conversations.list()), 'dora')).to.equal(undefined);
    const err = await lastValueFrom(a.conversations.delete(DORA)).catch((e: unknown) => e);
    expect(isTimError(err, 6004), String(err)).to.equal(true);
  });
});

describe('nothing the message and conversation functions store is lost when the emulator is killed', function () {
  this.timeout(90_000);
  const dir = scratchDir();
  let emulator: EmulatorProcess | undefined;
  let a: TimClient | undefined;
  let b: Peer | undefined;

  after(async () => {
    if (a) await lastValueFrom(a.dispose(), { defaultValue: undefined });
    await b?.stop();
    await emulator?.stop('SIGTERM');
    dir.dispose();
  });

  it('drafts, read state, revokes, deletions and imported messages survive a SIGKILL and restart', async () => {
    const db = `${dir.path}/persist.db`;
    emulator = await EmulatorProcess.start(db);
    a = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    const status = new Recorder<NetworkStatusEvent>(a.events.networkStatus$);
    b = await Peer.loggedIn(emulator.address, 'bob');
    await lastValueFrom(a.login('alice', userSig('alice')), { defaultValue: undefined });
    const BOB = { type: 'c2c', id: 'bob' } as const;
    const ALICE = { type: 'c2c', id: 'alice' } as const;

    const sent: Message[] = [];
    for (const t of ['p1', 'p2', 'p3', 'p4']) sent.push(await lastValueFrom(a.messages.send(BOB, t).pipe(sentMessage())));
    await lastValueFrom(a.messages.revoke(BOB, sent[1]!), { defaultValue: undefined });
    await lastValueFrom(a.messages.delete(BOB, sent[0]!), { defaultValue: undefined });
    await lastValueFrom(a.messages.import(BOB, [{ elements: [{ type: 'text', text: 'old' }], serverTime: 1_500_000_000 }]), { defaultValue: undefined });
    await lastValueFrom(a.conversations.setDraft(BOB, { message: 'unsent', editTime: 1_700_000_001 }), { defaultValue: undefined });
    const p3AtB = await b.next<Message>('messages', (m) => textOf(m) === 'p3');
    await b.call('messages', 'reportRead', ALICE, p3AtB);
    const before = find(await firstValueFrom(a.conversations.list()), 'bob');
    expect(before?.draft?.editTime).to.equal(1_700_000_001);

    await emulator.stop('SIGKILL');
    const lost = await status.next((s) => s.status === 'disconnected');
    emulator = await EmulatorProcess.start(db, emulator.port);
    const i = status.values.indexOf(lost);
    await status.next((s) => s.status === 'connected' && status.values.indexOf(s) > i, 20_000);

    const after = await retry(() => firstValueFrom(a!.conversations.list()));
    const conv = find(after, 'bob')!;
    expect(conv.draft).to.deep.equal(before!.draft);
    expect(textOf(conv.lastMessage)).to.equal('p4');
    const history = await lastValueFrom(a.messages.getList(BOB, { count: 10, direction: 'newer' }));
    expect(history.map((m) => [textOf(m), m.status, m.isPeerRead])).to.deep.equal([
      ['old', 'imported', false], ['p2', 'revoked', true], ['p3', 'sent', true], ['p4', 'sent', false],
    ]);
    // B reconnects on its own schedule (its library's backoff): its first calls may still find it offline (6200).
    expect(find(await retry(() => b!.call<readonly Conversation[]>('list')), 'alice')?.unreadCount).to.equal(1);
    expect((await retry(() => b!.call<Message[][]>('messages', 'getList', ALICE, { count: 10 })))[0]!.map(textOf)).to.deep.equal(['p4', 'p3', 'p2', 'p1']);
  });
});
