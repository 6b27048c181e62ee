/**
 * Read reports with receipts, and revoke, through koffi → libtimlocal →
 * emulator: user A in this process, user B in a child process.
 */
import { expect } from 'chai';
import { lastValueFrom } from 'rxjs';
import { isTimError, sentMessage, type Conversation, type Message, type MessageLocator, type MessageReceipt } from '../../src/index.js';
import { Peer, PeerCallError } from '../support/peer.js';
import { Recorder } from '../support/record.js';
import { twoUsers, type TwoUsers } from '../support/two-users.js';

const BOB = { type: 'c2c', id: 'bob' } as const;
const ALICE = { type: 'c2c', id: 'alice' } as const;
const RECEIPTS = { userConfig: { readReceipt: true } };
const textOf = (m: Message) => (m.elements[0] as { text?: string }).text;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The error code a peer call failed with. */
async function peerCode(p: Promise<unknown>): Promise<number | undefined> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  return e instanceof PeerCallError ? e.detail.code : undefined;
}

async function unreadAtB(b: Peer, id: string): Promise<number | undefined> {
  return (await b.call<readonly Conversation[]>('list')).find((c) => c.key.id === id)?.unreadCount;
}

/** A and B; B (bob, who also registered carol) always sends read receipts. Tencent's rule: an unknown peer is refused. */
function setup(db: string, aConfig: typeof RECEIPTS | undefined, now?: () => number): Promise<TwoUsers> {
  return twoUsers({ db, aConfig, emulator: { unknownAccounts: 'refuse', ...(now ? { now } : {}) }, b: { register: ['carol'], config: RECEIPTS } });
}

describe('read reports and revoke through koffi → libtimlocal → emulator', function () {
  this.timeout(60_000);
  let clock = Date.now();
  let s: TwoUsers;
  let receipts: Recorder<MessageReceipt>;
  let revokes: Recorder<MessageLocator>;

  before(async () => {
    s = await setup('state.db', RECEIPTS, () => clock);
    receipts = new Recorder(s.a.events.receipts$);
    revokes = new Recorder(s.a.events.revokes$);
  });
  after(async () => {
    await s.dispose();
  });

  it('B reports read up to a message: B\'s unread drops, A gets a receipt and sees its messages peer-read; then all of it', async () => {
    const { a, b } = s;
    for (const t of ['r1', 'r2', 'r3']) await lastValueFrom(a.messages.send(BOB, t));
    const second = await b.next<Message>('messages', (m) => textOf(m) === 'r2');
    await b.next<Message>('messages', (m) => textOf(m) === 'r3');
    expect(await unreadAtB(b, 'alice')).to.equal(3);

    await b.call('messages', 'reportRead', ALICE, second);
    expect(await unreadAtB(b, 'alice')).to.equal(1);
    const receipt = await receipts.next();
    expect(receipt).to.deep.include({ conversation: BOB, isPeerRead: true });
    expect(receipt.timestamp).to.be.greaterThan(0);
    const history = await lastValueFrom(a.messages.getList(BOB, { count: 3 }));
    expect(history.map((m) => [textOf(m), m.isPeerRead])).to.deep.equal([['r3', false], ['r2', true], ['r1', true]]);

    await b.call('messages', 'reportRead', ALICE);
    expect(await unreadAtB(b, 'alice')).to.equal(0);
    await receipts.next((r) => r !== receipt);
  });

  it('reporting read on an unknown peer fails with 20003, on a conversation B does not have with 6004', async () => {
    expect(await peerCode(s.b.call('messages', 'reportRead', { type: 'c2c', id: 'ghost' }))).to.equal(20003);
    expect(await peerCode(s.b.call('messages', 'reportRead', { type: 'c2c', id: 'carol' }))).to.equal(6004);
  });

  it('A revokes its message: revokes$ fires on both sides; B\'s history shows it revoked and its unread count drops', async () => {
    const { a, b } = s;
    const oops = await lastValueFrom(a.messages.send(BOB, 'oops').pipe(sentMessage()));
    await b.next<Message>('messages', (m) => textOf(m) === 'oops');
    expect(await unreadAtB(b, 'alice')).to.equal(1);
    await lastValueFrom(a.messages.revoke(BOB, oops), { defaultValue: undefined });
    const atA = await revokes.next((l) => l.seq === oops.seq);
    expect(atA).to.deep.include({ conversation: BOB, isRevoked: true, isSelf: true, rand: oops.rand, time: oops.serverTime, revoker: 'alice' });
    const atB = await b.next<MessageLocator>('revokes', (l) => l.seq === oops.seq && l.rand === oops.rand);
    expect(atB).to.deep.include({ conversation: ALICE, isSelf: false });
    const [last] = await b.call<Message[][]>('messages', 'getList', ALICE, { count: 1 }).then((r) => r[0]!);
    expect(last).to.deep.include({ status: 'revoked', revoker: 'alice' });
    expect(await unreadAtB(b, 'alice')).to.equal(0);
  });

  it('only the sender may revoke (7014), and only within the time limit (20016)', async () => {
    const { a, b } = s;
    const mine = await lastValueFrom(a.messages.send(BOB, 'mine').pipe(sentMessage()));
    const atB = await b.next<Message>('messages', (m) => textOf(m) === 'mine');
    expect(await peerCode(b.call('messages', 'revoke', ALICE, atB))).to.equal(7014);
    clock += 121_000;
    const late = await lastValueFrom(a.messages.revoke(BOB, mine)).catch((e: unknown) => e);
    expect(isTimError(late, 20016), String(late)).to.equal(true);
  });
});

describe('read receipts disabled by the sender (TIMSetConfig)', function () {
  this.timeout(60_000);
  let s: TwoUsers;
  before(async () => {
    s = await setup('no-receipts.db', undefined);
  });
  after(async () => {
    await s.dispose();
  });

  it('B\'s read report lowers B\'s unread count but sends A no receipt', async () => {
    const receipts = new Recorder(s.a.events.receipts$);
    await lastValueFrom(s.a.messages.send(BOB, 'quiet'));
    await s.b.next<Message>('messages', (m) => textOf(m) === 'quiet');
    await s.b.call('messages', 'reportRead', ALICE);
    expect(await unreadAtB(s.b, 'alice')).to.equal(0);
    await sleep(500);
    expect(receipts.values).to.deep.equal([]);
  });
});
