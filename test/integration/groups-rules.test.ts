/**
 * A representative subset of the permission rules, each × each group type,
 * through the real path: tim-rx → koffi → libtimlocal → emulator. The owner
 * is the client of this process, the member and the outsider run in their
 * own processes. The whole matrix (admins included) runs over the wire
 * protocol in test/emulator/groups-rules.test.ts.
 */
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, type Observable } from 'rxjs';
import { createTimClient, isTimError, type GroupType, type TimClient } from '../../src/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { scratchDir } from '../support/emulator.js';
import { Peer, PeerCallError } from '../support/peer.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';

type Kind = 'private' | 'public' | 'chat-room' | 'av-chat-room';
const KINDS: readonly Kind[] = ['private', 'public', 'chat-room', 'av-chat-room'];
type PerKind<T> = { readonly [K in Kind]: T };
const all = (v: number): PerKind<number> => ({ private: v, public: v, 'chat-room': v, 'av-chat-room': v });
const privateVs = (p: number, others: number): PerKind<number> => ({ private: p, public: others, 'chat-room': others, 'av-chat-room': others });
const avVs = (others: number, av: number): PerKind<number> => ({ private: others, public: others, 'chat-room': others, 'av-chat-room': av });

interface Actors {
  readonly owner: TimClient;
  readonly member: Peer;
  readonly outsider: Peer;
}

/** The callback code of an action: 0, or the code of its TimError. */
type Act = (g: string, who: Actors) => Promise<unknown>;

interface Case {
  readonly rule: string;
  readonly create?: { readonly addOption?: 'forbid' | 'auth' | 'any' };
  readonly act: Act;
  readonly expect: PerKind<number>;
  /** A further check when the action succeeded. */
  readonly then?: (g: string, who: Actors, kind: Kind) => Promise<void>;
}

const own = <T>(o: Observable<T>): Promise<T | undefined> => lastValueFrom(o, { defaultValue: undefined });
const memberIds = async (who: Actors, g: string) => (await firstValueFrom(who.owner.groups.allMembers(g))).map((m) => m.userId);

const CASES: readonly Case[] = [
  { rule: 'the owner dissolves', act: (g, w) => own(w.owner.groups.delete(g)), expect: privateVs(10007, 0) },
  { rule: 'the owner quits', act: (g, w) => own(w.owner.groups.quit(g)), expect: privateVs(0, 10009) },
  { rule: 'the member quits', act: (g, w) => w.member.call('group', 'quit', g), expect: all(0) },
  { rule: 'an outsider joins (add option any)', act: (g, w) => w.outsider.call('group', 'join', g), expect: privateVs(8508, 0),
    then: async (g, w) => { expect(await memberIds(w, g)).to.include('cora'); } },
  { rule: 'an outsider asks to join (add option auth)', create: { addOption: 'auth' }, act: (g, w) => w.outsider.call('group', 'join', g, 'hi'),
    expect: privateVs(8508, 0),
    then: async (g, w, kind) => { expect((await memberIds(w, g)).includes('cora')).to.equal(kind === 'av-chat-room'); } },
  { rule: 'an outsider asks to join (add option forbid)', create: { addOption: 'forbid' }, act: (g, w) => w.outsider.call('group', 'join', g),
    expect: { private: 8508, public: 10007, 'chat-room': 10007, 'av-chat-room': 0 } },
  { rule: 'the member invites', act: (g, w) => w.member.call('group', 'inviteMembers', { groupId: g, userIds: ['cora'] }),
    expect: avVs(0, 10007),
    then: async (g, w, kind) => { expect((await memberIds(w, g)).includes('cora')).to.equal(kind === 'private'); } },
  { rule: 'the member kicks', act: (g, w) => w.member.call('group', 'deleteMembers', { groupId: g, userIds: ['alice'] }), expect: all(10007) },
  { rule: 'the owner kicks the member', act: (g, w) => own(w.owner.groups.deleteMembers({ groupId: g, userIds: ['bert'] })),
    expect: avVs(0, 10007), then: async (g, w) => { expect(await memberIds(w, g)).not.to.include('bert'); } },
  { rule: 'the member changes the introduction', act: (g, w) => w.member.call('group', 'modifyInfo', { groupId: g, introduction: 'mine' }),
    expect: privateVs(0, 10007) },
  { rule: 'the owner transfers ownership', act: (g, w) => own(w.owner.groups.transferOwner(g, 'bert')), expect: avVs(0, 10007) },
  { rule: 'the member makes itself admin', act: (g, w) => w.member.call('group', 'modifyMemberInfo', { groupId: g, userId: 'bert', role: 'admin' }),
    expect: all(10007) },
  { rule: 'the owner mutes the member, who then cannot send', act: (g, w) => own(w.owner.groups.modifyMemberInfo({ groupId: g, userId: 'bert', muteSeconds: 60 })),
    expect: all(0),
    then: async (g, w) => {
      const e = await w.member.call('send', { type: 'group', id: g }, 'hi').catch((x: unknown) => x);
      expect(e instanceof PeerCallError && e.detail.code).to.equal(10017);
    } },
  { rule: 'an outsider lists members', act: (g, w) => w.outsider.call('group', 'memberList', { groupId: g }), expect: all(10007) },
];

/** 0 when `p` resolves; the code of the TimError (in this process or a peer's) when it rejects. */
async function codeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (e) {
    if (e instanceof PeerCallError && e.detail.code !== undefined) return e.detail.code;
    if (isTimError(e)) return e.code;
    throw e;
  }
}

describe('group permission rules through koffi → libtimlocal → emulator (subset × every type)', function () {
  this.timeout(60_000);
  const dir = scratchDir();
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let who: Actors;

  before(async () => {
    emulator = await startEmulator({ port: 0, dbPath: `${dir.path}/rules.db`, sdkAppId: SDK_APP_ID, secretKey: SECRET });
    const owner = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    await own(owner.login('alice', userSig('alice')));
    const [member, outsider] = await Promise.all([Peer.loggedIn(emulator.address, 'bert'), Peer.loggedIn(emulator.address, 'cora')]);
    who = { owner, member, outsider };
  });
  after(async () => {
    await own(who.owner.dispose());
    await Promise.all([who.member.stop(), who.outsider.stop()]);
    await emulator.close();
    dir.dispose();
  });

  /** A fresh group of `kind` owned by alice with bert as a member. */
  async function freshGroup(kind: Kind, addOption: 'forbid' | 'auth' | 'any' = 'any'): Promise<string> {
    const type: GroupType = kind;
    if (kind === 'av-chat-room') {
      const { groupId } = await firstValueFrom(who.owner.groups.create({ name: 'g', type, addOption }));
      await who.member.call('group', 'join', groupId);
      return groupId;
    }
    return (await firstValueFrom(who.owner.groups.create({ name: 'g', type, addOption, members: [{ userId: 'bert' }] }))).groupId;
  }

  for (const c of CASES) {
    for (const kind of KINDS) {
      const expected = c.expect[kind];
      it(`${c.rule} in a ${kind} group → ${expected}`, async () => {
        const g = await freshGroup(kind, c.create?.addOption);
        expect(await codeOf(c.act(g, who))).to.equal(expected);
        if (expected === 0 && c.then) await c.then(g, who, kind);
      });
    }
  }
});
