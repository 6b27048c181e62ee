/**
 * Groups through the whole path: tim-rx (RxJS) → koffi → libtimlocal (C) →
 * emulator. User A is the client of this process; B and C run in their own
 * processes (test/support/peer-process.ts); extra accounts for paging are
 * made over the wire protocol.
 */
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import {
  createTimClient, isTimError, type Conversation, type GroupMemberInfo, type GroupPendency, type GroupTips, type Message, type TimClient,
} from '../../src/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import { WireClient } from '../emulator/wire-client.js';
import { scratchDir } from '../support/emulator.js';
import { Peer, PeerCallError } from '../support/peer.js';
import { Recorder } from '../support/record.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';

const last = <T>(o: import('rxjs').Observable<T>) => lastValueFrom(o, { defaultValue: undefined as T });

/** Wire-protocol users (accounts for paging tests); closed by the caller. */
async function wireUsers(address: string, ids: readonly string[]): Promise<WireClient[]> {
  return Promise.all(ids.map(async (id) => {
    const c = await WireClient.connect(address, { sdkAppId: SDK_APP_ID });
    const r = await c.call(FunctionId.Login, [arg.str(id), arg.str(userSig(id))]);
    expect(r.code, r.desc).to.equal(0);
    return c;
  }));
}

const reportsOf = (m: Message) => m.elements.flatMap((e) => (e.type === 'groupReport' ? [e] : []));

describe('groups through koffi → libtimlocal → emulator', function () {
  this.timeout(60_000);
  const dir = scratchDir();
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let a: TimClient;
  let b: Peer;
  let c: Peer;
  let aTips: Recorder<GroupTips>;
  let aMessages: Recorder<Message>;
  const wire: WireClient[] = [];

  before(async () => {
    emulator = await startEmulator({ port: 0, dbPath: `${dir.path}/groups.db`, sdkAppId: SDK_APP_ID, secretKey: SECRET });
    a = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    aTips = new Recorder(a.events.groupTips$);
    aMessages = new Recorder(a.events.messages$);
    await last(a.login('alice', userSig('alice')));
    [b, c] = await Promise.all([Peer.loggedIn(emulator.address, 'bob'), Peer.loggedIn(emulator.address, 'carol')]);
  });
  after(async () => {
    for (const w of wire) w.close();
    await last(a.dispose());
    await Promise.all([b.stop(), c.stop()]);
    await emulator.close();
    dir.dispose();
  });

  it('pendency flow: B asks to join an approval group; owner A lists, accepts; B is in and gets the report and the tip', async () => {
    const { groupId } = await firstValueFrom(a.groups.create({ name: 'approval', type: 'public', addOption: 'auth' }));
    expect(groupId).to.match(/^@TGS#/);
    await b.call('group', 'join', groupId, 'let me in');
    const page = await firstValueFrom(a.groups.pendencyList());
    const mine = page.pendencies.filter((p) => p.groupId === groupId);
    expect(mine).to.have.length(1);
    expect(mine[0]).to.deep.include({ fromUserId: 'bob', type: 'join-request', handled: 'not-handled', applyMessage: 'let me in' });
    expect(page.unreadCount).to.be.greaterThan(0);
    expect((await b.call<{ pendencies: GroupPendency[] }>('group', 'pendencyList')).pendencies).to.deep.equal([]);

    await last(a.groups.accept(mine[0]!, 'welcome'));
    const members = await firstValueFrom(a.groups.allMembers(groupId));
    expect(members.map((m) => [m.userId, m.role])).to.deep.equal([['alice', 'owner'], ['bob', 'member']]);
    const report = await b.next<Message>('messages', (m) => reportsOf(m).some((r) => r.reportType === 'add-accept' && r.groupId === groupId));
    expect(report.conversation).to.deep.equal({ type: 'system', id: '' });
    expect(reportsOf(report)[0]).to.deep.include({ opUser: 'alice', message: 'welcome' });
    const bTip = await b.next<GroupTips>('groupTips', (t) => t.groupId === groupId);
    expect(bTip).to.deep.include({ kind: 'joined', joinType: 'apply', userIds: ['bob'], opUser: 'alice', memberCount: 2 });
    await aTips.next((t) => t.groupId === groupId && t.kind === 'joined');

    const again = await last(a.groups.accept(mine[0]!)).catch((e: unknown) => e);
    expect(isTimError(again, 10024), String(again)).to.equal(true);
    const handled = (await firstValueFrom(a.groups.pendencyList())).pendencies.find((p) => p.groupId === groupId)!;
    expect(handled).to.deep.include({ handled: 'handled-by-me', handleResult: 'accepted' });
  });

  it('messages reach every member with the group seq; tips reach exactly the members; a kicked member gets a report, not a tip', async () => {
    const { groupId } = await firstValueFrom(a.groups.create({
      name: 'team', type: 'private', members: [{ userId: 'bob' }, { userId: 'carol', role: 'admin' }],
    }));
    const sent = (await b.call<Message>('send', { type: 'group', id: groupId }, 'hello team'));
    expect(sent.conversation).to.deep.equal({ type: 'group', id: groupId });
    expect(sent.seq).to.equal(1n);
    const atA = await aMessages.next((m) => m.conversation.id === groupId && m.elements[0]?.type === 'text');
    expect(atA).to.deep.include({ sender: 'bob', isFromSelf: false, seq: 1n });
    const atC = await c.next<Message>('messages', (m) => m.conversation.id === groupId);
    expect(atC.seq).to.equal(1n);
    const second = (await firstValueFrom(a.messages.send({ type: 'group', id: groupId }, 'hi'))).message;
    expect(second.seq).to.equal(2n);
    const list = await firstValueFrom(a.conversations.list());
    expect(list.find((x: Conversation) => x.key.id === groupId)?.unreadCount).to.equal(1);

    const kicked = await firstValueFrom(a.groups.deleteMembers({ groupId, userIds: ['carol', 'nobody'] }));
    expect(kicked).to.deep.equal([{ userId: 'carol', result: 'ok' }, { userId: 'nobody', result: 'failed' }]);
    const tip = await b.next<GroupTips>('groupTips', (t) => t.groupId === groupId && t.kind === 'kicked');
    expect(tip).to.deep.include({ userIds: ['carol'], opUser: 'alice' });
    await aTips.next((t) => t.groupId === groupId && t.kind === 'kicked');
    const report = await c.next<Message>('messages', (m) => reportsOf(m).some((r) => r.reportType === 'kicked' && r.groupId === groupId));
    expect(reportsOf(report)[0]!.opUser).to.equal('alice');
    // Everything C's groupTips$ emitted so far (the peer replays it): no kick tip for C.
    await new Promise((r) => setTimeout(r, 200));
    const cTips: GroupTips[] = [];
    c.stream<GroupTips>('groupTips').subscribe((t) => cTips.push(t)).unsubscribe();
    expect(cTips.filter((t) => t.groupId === groupId).map((t) => t.kind)).to.deep.equal([]);
  });

  it('info changes, admin set and ownership transfer arrive as typed tips; info list answers per id', async () => {
    const { groupId } = await firstValueFrom(a.groups.create({ name: 'club', type: 'chat-room', members: [{ userId: 'bob' }] }));
    await last(a.groups.modifyInfo({ groupId, name: 'the club', introduction: 'about us', isAllMuted: true }));
    const info = await b.next<GroupTips>('groupTips', (t) => t.groupId === groupId && t.kind === 'info-changed');
    expect(info.kind === 'info-changed' && info.changes).to.deep.equal([
      { field: 'name', value: 'the club' }, { field: 'introduction', value: 'about us' }, { field: 'all-muted', value: true }]);
    await last(a.groups.modifyMemberInfo({ groupId, userId: 'bob', role: 'admin', nameCard: 'Bobby' }));
    await b.next<GroupTips>('groupTips', (t) => t.groupId === groupId && t.kind === 'admin-granted');
    const card = await b.next<GroupTips>('groupTips', (t) => t.groupId === groupId && t.kind === 'member-info-changed');
    expect(card.kind === 'member-info-changed' && card.members.map((m: GroupMemberInfo) => [m.userId, m.nameCard, m.role])).to.deep.equal([['bob', 'Bobby', 'admin']]);
    await last(a.groups.transferOwner(groupId, 'bob'));
    const owner = await b.next<GroupTips>('groupTips', (t) => t.kind === 'info-changed' && t.changes.some((x) => x.field === 'owner'));
    expect(owner.groupId).to.equal(groupId);

    const results = await firstValueFrom(a.groups.infoList([groupId, 'no such group']));
    expect(results[0]).to.deep.include({ groupId, ok: true });
    expect(results[0]!.ok && results[0]!.info).to.deep.include({ name: 'the club', owner: 'bob', type: 'chat-room', isAllMuted: true, memberCount: 2 });
    expect(results[1]).to.deep.include({ groupId: 'no such group', ok: false, code: 10010 });
    const joined = await firstValueFrom(a.groups.joinedList());
    expect(joined.find((g) => g.groupId === groupId)?.self?.role).to.equal('member');
  });

  it('member lists page by next_seq (61 members = 2 pages); pendencies page by start time (25 requests, 10 a page)', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `pm${String(i).padStart(2, '0')}`);
    wire.push(...await wireUsers(emulator.address, ids));
    const { groupId } = await firstValueFrom(a.groups.create({ name: 'big', type: 'private' }));
    const invited = await firstValueFrom(a.groups.inviteMembers({ groupId, userIds: ids }));
    expect(invited.every((r) => r.result === 'ok')).to.equal(true);
    const pages = await firstValueFrom(a.groups.memberPages(groupId).pipe(toArray()));
    expect(pages.map((p) => p.length)).to.deep.equal([50, 11]);
    expect(pages.flat().map((m) => m.userId)).to.deep.equal(['alice', ...ids]);
    const owners = await firstValueFrom(a.groups.allMembers(groupId, ['owner']));
    expect(owners.map((m) => m.userId)).to.deep.equal(['alice']);

    const approval = (await firstValueFrom(a.groups.create({ name: 'queue', type: 'public', addOption: 'auth' }))).groupId;
    const applicants = ids.slice(0, 25);
    for (const [i, id] of applicants.entries()) {
      const r = await wire[wire.length - ids.length + i]!.call(FunctionId.GroupJoin, [arg.str(approval), arg.str(`from ${id}`)]);
      expect(r.code, r.desc).to.equal(0);
    }
    const pendencyPages = await firstValueFrom(a.groups.pendencyPages(10).pipe(toArray()));
    const queue = pendencyPages.flatMap((p) => p.pendencies).filter((p) => p.groupId === approval);
    expect(queue.map((p) => p.fromUserId)).to.deep.equal([...applicants].reverse());
    expect(pendencyPages.every((p) => p.pendencies.length <= 10)).to.equal(true);
    await last(a.groups.reportPendencyRead(queue[0]!.addTime));
    expect((await firstValueFrom(a.groups.pendencyList())).unreadCount).to.equal(0);
  });

  it('errors carry the spec codes: joining a Private group 8508, quitting as a public owner 10009, a muted member 10017', async () => {
    const priv = (await firstValueFrom(a.groups.create({ name: 'p', type: 'private' }))).groupId;
    const denied = await b.call('group', 'join', priv).catch((e: unknown) => e);
    expect(denied instanceof PeerCallError && denied.detail.code).to.equal(8508);
    const pub = (await firstValueFrom(a.groups.create({ name: 'q', type: 'public', members: [{ userId: 'bob' }] }))).groupId;
    const quit = await last(a.groups.quit(pub)).catch((e: unknown) => e);
    expect(isTimError(quit, 10009), String(quit)).to.equal(true);
    await last(a.groups.modifyMemberInfo({ groupId: pub, userId: 'bob', muteSeconds: 60 }));
    const muted = await b.call('send', { type: 'group', id: pub }, 'can I talk?').catch((e: unknown) => e);
    expect(muted instanceof PeerCallError && muted.detail.code).to.equal(10017);
  });
});
