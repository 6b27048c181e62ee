/**
 * The whole permission matrix of the spec ("权限说明" of each group function;
 * ../../../shared/notes/group-rules.md), each rule × each group type, through
 * the wire protocol: one fresh group per case, with an owner, an admin (not in
 * AV chat rooms, where roles cannot change), two members and outsiders.
 * A subset runs through koffi → libtimlocal → emulator in
 * test/integration/groups-rules.test.ts.
 */
import { expect } from 'chai';
import type { ReplyFrame } from '../../src/emulator/wire/codec.js';
import { Harness } from './helpers.js';
import { GroupType, OWNER_FLAG, TYPES, expectCode, okJson, users, type Json, type TypeName, type User } from './groups-helpers.js';

type Actor = 'owner' | 'admin' | 'member' | 'outsider';
type PerType<T> = { readonly [K in TypeName]: T };
/** A TIMResult-free outcome: the callback code, or 'n/a' (no admins in AV chat rooms). */
type Code = number | 'n/a';

interface Cast {
  readonly owner: User;
  readonly admin: User;
  readonly member: User;
  readonly member2: User;
  readonly outsider: User;
}

interface Case {
  readonly rule: string;
  readonly actor: Actor;
  /** Extra CreateGroupParam keys of the fresh group. */
  readonly create?: Json;
  readonly act: (u: User, g: string, cast: Cast) => Promise<ReplyFrame>;
  readonly expect: PerType<Code>;
  /** Per-user result (HandleGroupMemberResult) of the first user, for invite / kick. */
  readonly result?: PerType<number | undefined>;
  /** What must hold afterwards, when the call succeeded. */
  readonly then?: (g: string, cast: Cast, type: TypeName) => Promise<void>;
}

const all = (v: Code): PerType<Code> => ({ Private: v, Public: v, ChatRoom: v, AVChatRoom: v });
const notAv = (v: Code, av: Code): PerType<Code> => ({ Private: v, Public: v, ChatRoom: v, AVChatRoom: av });
const privateVs = (p: Code, others: Code): PerType<Code> => ({ Private: p, Public: others, ChatRoom: others, AVChatRoom: others });
const NA = 'n/a' as const;

const DENY = 10007;

async function memberIds(cast: Cast, g: string): Promise<string[]> {
  return cast.owner.memberIds(g);
}

const CASES: readonly Case[] = [
  // TIMGroupDelete: Private nobody; others the owner.
  { rule: 'dissolve', actor: 'owner', act: (u, g) => u.dissolve(g), expect: privateVs(DENY, 0) },
  { rule: 'dissolve', actor: 'admin', act: (u, g) => u.dissolve(g), expect: notAv(DENY, NA) },
  { rule: 'dissolve', actor: 'member', act: (u, g) => u.dissolve(g), expect: all(DENY) },
  { rule: 'dissolve', actor: 'outsider', act: (u, g) => u.dissolve(g), expect: all(DENY) },

  // TIMGroupQuit: Private anyone; others everyone but the owner (10009).
  { rule: 'quit', actor: 'owner', act: (u, g) => u.quit(g), expect: privateVs(0, 10009),
    then: async (g, c) => { expect(await c.member.memberIds(g)).not.to.include('o'); } },
  { rule: 'quit', actor: 'admin', act: (u, g) => u.quit(g), expect: notAv(0, NA) },
  { rule: 'quit', actor: 'member', act: (u, g) => u.quit(g), expect: all(0),
    then: async (g, c) => { expect(await memberIds(c, g)).not.to.include('m'); } },
  { rule: 'quit', actor: 'outsider', act: (u, g) => u.quit(g), expect: all(DENY) },

  // TIMGroupJoin: Private never (8508); Public/ChatRoom by add option; AVChatRoom anyone at once.
  { rule: 'join, add option any', actor: 'outsider', create: { create_group_param_add_option: 2 }, act: (u, g) => u.join(g),
    expect: privateVs(8508, 0), then: async (g, c) => { expect(await memberIds(c, g)).to.include('x'); } },
  { rule: 'join, add option auth (a pendency, not a member yet)', actor: 'outsider', create: { create_group_param_add_option: 1 },
    act: (u, g) => u.join(g, 'let me in'), expect: privateVs(8508, 0),
    then: async (g, c, type) => { expect((await memberIds(c, g)).includes('x')).to.equal(type === 'AVChatRoom'); } },
  { rule: 'join, add option forbid', actor: 'outsider', create: { create_group_param_add_option: 0 }, act: (u, g) => u.join(g),
    expect: { Private: 8508, Public: DENY, ChatRoom: DENY, AVChatRoom: 0 } },
  { rule: 'join again', actor: 'member', act: (u, g) => u.join(g), expect: all(10013) },

  // TIMGroupInviteMember: Private pulls in; Public/ChatRoom need the invitee's consent; AVChatRoom never.
  { rule: 'invite', actor: 'member', act: (u, g) => u.invite(g, ['x']), expect: notAv(0, DENY),
    result: { Private: 1, Public: 3, ChatRoom: 3, AVChatRoom: undefined },
    then: async (g, c, type) => { expect((await memberIds(c, g)).includes('x')).to.equal(type === 'Private'); } },
  { rule: 'invite', actor: 'owner', act: (u, g) => u.invite(g, ['x']), expect: notAv(0, DENY) },
  { rule: 'invite', actor: 'outsider', act: (u, g) => u.invite(g, ['y']), expect: all(DENY) },

  // TIMGroupDeleteMember: Private the owner only; Public/ChatRoom owner and admins; AVChatRoom never.
  { rule: 'kick a member', actor: 'owner', act: (u, g) => u.kick(g, ['m2']), expect: notAv(0, DENY),
    result: { Private: 1, Public: 1, ChatRoom: 1, AVChatRoom: undefined }, then: async (g, c) => { expect(await memberIds(c, g)).not.to.include('m2'); } },
  { rule: 'kick a member', actor: 'admin', act: (u, g) => u.kick(g, ['m2']), expect: { Private: DENY, Public: 0, ChatRoom: 0, AVChatRoom: NA },
    result: { Private: undefined, Public: 1, ChatRoom: 1, AVChatRoom: undefined } },
  { rule: 'kick the owner (per-user refusal)', actor: 'admin', act: (u, g) => u.kick(g, ['o']),
    expect: { Private: DENY, Public: 0, ChatRoom: 0, AVChatRoom: NA }, result: { Private: undefined, Public: 0, ChatRoom: 0, AVChatRoom: undefined } },
  { rule: 'kick a member', actor: 'member', act: (u, g) => u.kick(g, ['m2']), expect: all(DENY) },
  { rule: 'kick a member', actor: 'outsider', act: (u, g) => u.kick(g, ['m2']), expect: all(DENY) },

  // TIMGroupModifyGroupInfo, owner flag: the owner, except in AV chat rooms.
  { rule: 'transfer ownership', actor: 'owner', act: (u, g) => u.modifyInfo(g, OWNER_FLAG, { group_modify_info_param_owner: 'm' }),
    expect: notAv(0, DENY) },
  { rule: 'transfer ownership', actor: 'admin', act: (u, g) => u.modifyInfo(g, OWNER_FLAG, { group_modify_info_param_owner: 'a' }),
    expect: notAv(DENY, NA) },
  { rule: 'transfer ownership', actor: 'member', act: (u, g) => u.modifyInfo(g, OWNER_FLAG, { group_modify_info_param_owner: 'm' }),
    expect: all(DENY) },

  // TIMGroupModifyGroupInfo, other fields: Private any member; others owner and admins.
  { rule: 'change the introduction', actor: 'owner', act: (u, g) => u.modifyInfo(g, 4, { group_modify_info_param_introduction: 'i' }), expect: all(0) },
  { rule: 'change the introduction', actor: 'admin', act: (u, g) => u.modifyInfo(g, 4, { group_modify_info_param_introduction: 'i' }), expect: notAv(0, NA) },
  { rule: 'change the introduction', actor: 'member', act: (u, g) => u.modifyInfo(g, 4, { group_modify_info_param_introduction: 'i' }), expect: privateVs(0, DENY) },
  { rule: 'change the introduction', actor: 'outsider', act: (u, g) => u.modifyInfo(g, 4, { group_modify_info_param_introduction: 'i' }), expect: all(DENY) },

  // TIMGroupModifyMemberInfo, role: owner or admin; not in AV chat rooms.
  { rule: 'make a member admin', actor: 'owner', act: (u, g) => u.modifyMember(g, 'm', 2, { group_modify_member_info_member_role: 300 }), expect: notAv(0, DENY) },
  { rule: 'make a member admin', actor: 'admin', act: (u, g) => u.modifyMember(g, 'm', 2, { group_modify_member_info_member_role: 300 }), expect: notAv(0, NA) },
  { rule: 'make a member admin', actor: 'member', act: (u, g) => u.modifyMember(g, 'm2', 2, { group_modify_member_info_member_role: 300 }), expect: all(DENY) },
  { rule: 'demote the owner', actor: 'admin', act: (u, g) => u.modifyMember(g, 'o', 2, { group_modify_member_info_member_role: 200 }), expect: notAv(DENY, NA) },

  // TIMGroupModifyMemberInfo, shutup time: owner or admin, every type.
  { rule: 'mute a member', actor: 'owner', act: (u, g) => u.modifyMember(g, 'm', 4, { group_modify_member_info_shutup_time: 60 }), expect: all(0),
    then: async (g, c) => { expectCode(await c.member.send(g, 'muted?'), 10017); } },
  { rule: 'mute a member', actor: 'admin', act: (u, g) => u.modifyMember(g, 'm', 4, { group_modify_member_info_shutup_time: 60 }), expect: notAv(0, NA) },
  { rule: 'mute a member', actor: 'member', act: (u, g) => u.modifyMember(g, 'm2', 4, { group_modify_member_info_shutup_time: 60 }), expect: all(DENY) },
  { rule: 'mute the owner', actor: 'admin', act: (u, g) => u.modifyMember(g, 'o', 4, { group_modify_member_info_shutup_time: 60 }), expect: notAv(DENY, NA) },

  // TIMGroupModifyMemberInfo, name card: one's own always; others' for owner and admins.
  { rule: 'own name card', actor: 'member', act: (u, g) => u.modifyMember(g, 'm', 8, { group_modify_member_info_name_card: 'me' }), expect: all(0) },
  { rule: "another's name card", actor: 'member', act: (u, g) => u.modifyMember(g, 'm2', 8, { group_modify_member_info_name_card: 'you' }), expect: all(DENY) },
  { rule: "another's name card", actor: 'owner', act: (u, g) => u.modifyMember(g, 'm2', 8, { group_modify_member_info_name_card: 'you' }), expect: all(0) },

  // TIMGroupGetMemberInfoList: members of every type.
  { rule: 'list members', actor: 'member', act: (u, g) => u.members(g), expect: all(0) },
  { rule: 'list members', actor: 'outsider', act: (u, g) => u.members(g), expect: all(DENY) },

  // TIMMsgSendNewMsg to the group: members; muted (also everyone muted) → 10017.
  { rule: 'send a message', actor: 'member', act: (u, g) => u.send(g, 'hi'), expect: all(0) },
  { rule: 'send a message', actor: 'outsider', act: (u, g) => u.send(g, 'hi'), expect: all(DENY) },
  { rule: 'send while everyone is muted', actor: 'member',
    act: async (u, g, c) => {
      okJson(await c.owner.modifyInfo(g, 256, { group_modify_info_param_is_shutup_all: true }));
      return u.send(g, 'hi');
    }, expect: all(10017) },
  { rule: 'send while everyone is muted', actor: 'admin',
    act: async (u, g, c) => {
      okJson(await c.owner.modifyInfo(g, 256, { group_modify_info_param_is_shutup_all: true }));
      return u.send(g, 'hi');
    }, expect: notAv(0, NA) },
];

describe('emulator groups: the permission matrix (each rule × each group type, wire protocol)', function () {
  this.timeout(20_000);
  let h: Harness;
  let cast: Cast;

  before(async () => {
    h = await new Harness().start();
    const [owner, admin, member, member2, outsider] = await users(h, 'o', 'a', 'm', 'm2', 'x', 'y');
    cast = { owner: owner!, admin: admin!, member: member!, member2: member2!, outsider: outsider! };
  });
  after(async () => {
    await h.close();
  });

  /** A fresh group of `type`: o owner; a admin (not AV); m, m2 members. */
  async function freshGroup(type: TypeName, extra: Json = {}): Promise<string> {
    if (type === 'AVChatRoom') {
      const g = await cast.owner.create(type, extra);
      okJson(await cast.member.join(g));
      okJson(await cast.member2.join(g));
      return g;
    }
    return cast.owner.create(type, {
      ...extra,
      create_group_param_group_member_array: [
        { group_member_info_identifier: 'a', group_member_info_member_role: 300 },
        { group_member_info_identifier: 'm' },
        { group_member_info_identifier: 'm2' },
      ],
    });
  }

  for (const c of CASES) {
    for (const type of TYPES) {
      const code = c.expect[type];
      if (code === NA) continue;
      it(`${c.rule} by the ${c.actor} in a ${type} group → ${code}`, async () => {
        const g = await freshGroup(type, c.create);
        const r = await c.act(cast[c.actor], g, cast);
        expectCode(r, code);
        const result = c.result?.[type];
        if (result !== undefined) {
          const first = (okJson(r) as Json[])[0]!;
          expect(Object.entries(first).find(([k]) => k.endsWith('_result'))?.[1]).to.equal(result);
        }
        if (code === 0 && c.then) await c.then(g, cast, type);
      });
    }
  }

  it('covers every group type of the matrix', () => {
    expect(Object.keys(GroupType).sort()).to.deep.equal([...TYPES].sort());
  });
});
