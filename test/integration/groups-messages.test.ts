/**
 * Group conversations through the whole path (tim-rx → koffi → libtimlocal →
 * emulator), one representative case per rule that joins messages and
 * groups: who reads and revokes, group sends with uploads and the message
 * hook, the conversation's group type and receive option in the unread
 * total, and group tips subtracted exactly once when the client ignores
 * them. User A is the client of this process (it sets
 * `ignoreGroupTipsUnread`); B and C run in their own processes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { filter, firstValueFrom, lastValueFrom, timeout, toArray, type Observable } from 'rxjs';
import {
  createTimClient, isTimError, sentMessage, type Conversation, type ConversationKey, type Message, type MessageLocator,
  type SendEvent, type TimClient,
} from '../../src/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { scratchDir } from '../support/emulator.js';
import { Peer, PeerCallError } from '../support/peer.js';
import { Recorder } from '../support/record.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';

const last = <T>(o: Observable<T>) => lastValueFrom(o, { defaultValue: undefined as T });
const all = <T>(o: Observable<T>): Promise<T[]> => lastValueFrom(o.pipe(toArray()));
const group = (id: string): ConversationKey => ({ type: 'group', id });
const textOf = (m: Message) => m.elements.map((e) => (e.type === 'text' ? e.text : `[${e.type}]`)).join('');
const codeOf = (e: unknown) => (e instanceof PeerCallError ? e.detail.code : isTimError(e) ? e.code : String(e));

describe('group messages through koffi → libtimlocal → emulator: access, uploads and hook, type and receive option, tips', function () {
  this.timeout(60_000);
  const dir = scratchDir();
  let emulator: RunningEmulator;
  let a: TimClient;
  let b: Peer;
  let c: Peer;
  let revokes: Recorder<MessageLocator>;
  let updates: Recorder<Message>;

  /** Resolves once A's state holds the conversation `id` in a form `ok` accepts. */
  const stateOf = (id: string, ok: (c: Conversation) => boolean) => firstValueFrom(a.state.conversation$(group(id)).pipe(
    filter((x): x is Conversation => x !== undefined && ok(x)), timeout(10_000)));

  before(async () => {
    emulator = await startEmulator({
      port: 0, dbPath: `${dir.path}/group-messages.db`, sdkAppId: SDK_APP_ID, secretKey: SECRET,
      messageHook: (m) => {
        const t = m.elements[0]?.['text_elem_content'];
        return m.convType === 'group' && typeof t === 'string' && t.includes('heck')
          ? { elements: [{ elem_type: 0, text_elem_content: t.replace('heck', '****') }] } : undefined;
      },
    });
    a = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address, config: { userConfig: { ignoreGroupTipsUnread: true } } });
    revokes = new Recorder(a.events.revokes$);
    updates = new Recorder(a.events.messageUpdates$);
    await last(a.login('alice', userSig('alice')));
    [b, c] = await Promise.all([Peer.loggedIn(emulator.address, 'bob'), Peer.loggedIn(emulator.address, 'carol')]);
  });
  after(async () => {
    await last(a.dispose());
    await Promise.all([b.stop(), c.stop()]);
    await emulator.close();
    dir.dispose();
  });

  it('only members read a group\'s history (10007); an admin revokes a member\'s message, a member cannot revoke the owner\'s (10032)', async () => {
    const { groupId } = await firstValueFrom(a.groups.create({
      name: 'acl', type: 'public', members: [{ userId: 'bob', role: 'admin' }, { userId: 'carol' }],
    }));
    const fromC = await c.call<Message>('send', group(groupId), 'from carol');
    await b.next<Message>('messages', (m) => m.conversation.id === groupId && m.seq === fromC.seq);
    await b.call('messages', 'revoke', group(groupId), fromC);
    const locator = await revokes.next((l) => l.conversation?.id === groupId);
    expect(locator).to.deep.include({ seq: fromC.seq, isSelf: false, revoker: 'bob' });
    const history = await firstValueFrom(a.messages.getList(group(groupId), { count: 10 }));
    expect(history.find((m) => m.seq === fromC.seq)).to.deep.include({ status: 'revoked', revoker: 'bob' });

    const fromA = await lastValueFrom(a.messages.send(group(groupId), 'from alice').pipe(sentMessage()));
    expect(codeOf(await c.call('messages', 'revoke', group(groupId), fromA).catch((e: unknown) => e))).to.equal(10032);

    const closed = (await firstValueFrom(a.groups.create({ name: 'closed', type: 'private', members: [{ userId: 'bob' }] }))).groupId;
    await lastValueFrom(a.messages.send(group(closed), 'members only'));
    expect(codeOf(await c.call('messages', 'getList', group(closed), { count: 10 }).catch((e: unknown) => e))).to.equal(10007);
    const atB = (await b.call<Message[][]>('messages', 'getList', group(closed), { count: 10 }))[0]!;
    expect(atB.map(textOf)).to.include('members only');
  });

  it('a group send uploads its file with progress; the members get the filled-in element; the hook\'s change comes back by messageUpdates$', async () => {
    const { groupId } = await firstValueFrom(a.groups.create({ name: 'files', type: 'private', members: [{ userId: 'bob' }] }));
    writeFileSync(join(dir.path, 'brief.pdf'), Buffer.alloc(120_000, 5));
    const events: SendEvent[] = await all(a.messages.send(group(groupId), {
      elements: [{ type: 'text', text: 'the brief' }, { type: 'file', path: join(dir.path, 'brief.pdf') }],
    }));
    const sent = events.at(-1);
    if (sent?.type !== 'sent') throw new Error('no sent event');
    expect(events.filter((e) => e.type === 'progress').at(-1)).to.deep.include({ index: 1, current: 120_000, total: 120_000 });
    expect(sent.message.elements[1]).to.deep.include({ type: 'file', name: 'brief.pdf', size: 120_000 });
    const atB = await b.next<Message>('messages', (m) => m.conversation.id === groupId && m.seq === sent.message.seq);
    expect(atB.elements).to.deep.equal(sent.message.elements);

    const mild = await lastValueFrom(a.messages.send(group(groupId), 'what the heck').pipe(sentMessage()));
    expect(textOf(mild)).to.equal('what the heck');
    expect(textOf(await updates.next((m) => m.conversation.id === groupId && m.seq === mild.seq))).to.equal('what the ****');
    expect(textOf(await b.next<Message>('messages', (m) => m.conversation.id === groupId && m.seq === mild.seq))).to.equal('what the ****');
  });

  it('the conversation carries the group type and the receive option; "do not disturb" and AV chat rooms stay out of totalUnread$', async () => {
    const { groupId } = await firstValueFrom(a.groups.create({ name: 'quiet', type: 'chat-room', members: [{ userId: 'bob' }] }));
    await b.call('send', group(groupId), 'first');
    await stateOf(groupId, (x) => x.unreadCount === 1);
    expect(a.state.conversation(group(groupId))).to.deep.include({ groupType: 'chat-room', receiveOption: 'receive' });
    await last(a.messages.reportRead(group(groupId)));
    await stateOf(groupId, (x) => x.unreadCount === 0);

    await last(a.groups.modifyMemberInfo({ groupId, userId: 'alice', receiveOption: 'not-notify' }));
    await stateOf(groupId, (x) => x.receiveOption === 'not-notify');
    const total = a.state.totalUnread;
    await b.call('send', group(groupId), 'second');
    await stateOf(groupId, (x) => x.unreadCount === 1);
    expect([a.state.unread(group(groupId)), a.state.totalUnread]).to.deep.equal([1, total]);

    const live = (await b.call<{ groupId: string }>('group', 'create', { name: 'live', type: 'av-chat-room' })).groupId;
    await last(a.groups.join(live));
    await b.call('send', group(live), 'on air');
    const room = await stateOf(live, (x) => x.unreadCount === 1);
    expect(room).to.deep.include({ groupType: 'av-chat-room', receiveOption: 'receive' });
    expect(a.state.totalUnread).to.equal(total);
  });

  it('ignoreGroupTipsUnread: the server counts a tip (as v8 does), the state leaves it out once; a recomputed count agrees', async () => {
    const { groupId } = await firstValueFrom(a.groups.create({ name: 'tips', type: 'public', addOption: 'any', members: [{ userId: 'bob' }] }));
    const real = await b.call<Message>('send', group(groupId), 'real');
    await stateOf(groupId, (x) => x.unreadCount === 1);
    const total = a.state.totalUnread;
    await c.call('group', 'join', groupId); // a join tip; carol is its operator, alice counts it
    await stateOf(groupId, (x) => x.unreadCount === 2);
    expect([a.state.unread(group(groupId)), a.state.totalUnread]).to.deep.equal([1, total]);
    await b.call('messages', 'revoke', group(groupId), real); // the server recomputes alice's count: the tip only
    await stateOf(groupId, (x) => x.unreadCount === 1);
    expect([a.state.unread(group(groupId)), a.state.totalUnread]).to.deep.equal([0, total - 1]);
    await last(a.messages.reportRead(group(groupId)));
    await stateOf(groupId, (x) => x.unreadCount === 0);
    expect(a.state.totalUnread).to.equal(total - 1);
  });
});
