/**
 * The group rules of the message functions (src/emulator/groups/access.ts),
 * over the wire, for every group type: who reads a group's history, who acts
 * on its own copy, who revokes whose message (and with which code), and who
 * hears of a revoke.
 */
import { expect } from 'chai';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { Harness } from './helpers.js';
import { TYPES, eventually, okJson, settle, users, type Json, type TypeName, type User } from './groups-helpers.js';
import { convCall, text } from './message-helpers.js';

const DENY = 10007;
const NOT_FOUND = 10010;
const REVOKE_DENY = 10032;

/** TIMConvCreate's arguments for the group conversation `g`. */
const convArgs = (g: string) => [arg.str(g), arg.i64(2)];

describe('emulator groups: who may use the message functions on a group conversation', function () {
  this.timeout(60_000);
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  /** A group of `type`: owner o, admin ad (not in AV chat rooms), members m, m2; f was a member and left; x never was. */
  async function setup(type: TypeName) {
    h = await new Harness().start();
    const [o, ad, m, m2, f, x] = (await users(h, 'o', 'ad', 'm', 'm2', 'f', 'x')) as [User, User, User, User, User, User];
    const av = type === 'AVChatRoom';
    const g = await o.create(type, av ? {} : {
      create_group_param_group_member_array: [
        { group_member_info_identifier: 'ad', group_member_info_member_role: 300 },
        { group_member_info_identifier: 'm' }, { group_member_info_identifier: 'm2' }, { group_member_info_identifier: 'f' },
      ],
    });
    if (av) for (const u of [ad, m, m2, f]) okJson(await u.join(g));
    const fromF = okJson(await f.send(g, 'before leaving')) as Json;
    await eventually(() => expect(m.received().some((r) => r['message_seq'] === fromF['message_seq'])).to.equal(true));
    okJson(await f.quit(g));
    return { o, ad, m, m2, f, x, g, av, fromF };
  }

  for (const type of TYPES) {
    it(`${type}: members read the history; outsiders and former members get 10007; own-copy functions also serve whoever has the conversation`, async () => {
      const { o, ad, m, f, x, g, fromF } = await setup(type);
      const sent = okJson(await m.send(g, 'hello')) as Json;
      const list = { msg_getmsglist_param_count: 5 };
      const locator = [{ message_locator_seq: sent['message_seq'], message_locator_rand: sent['message_rand'], message_locator_is_self: false }];
      const outcomes = async (u: User) => ({
        getList: (await convCall(u.c, FunctionId.MsgGetMsgList, g, list, 2)).code,
        find: (await convCall(u.c, FunctionId.MsgFindByMsgLocatorList, g, locator, 2)).code,
        revokeOwn: u === f ? (await convCall(u.c, FunctionId.MsgRevoke, g, fromF, 2)).code : 'n/a',
        reportRead: (await convCall(u.c, FunctionId.MsgReportReaded, g, null, 2)).code,
        delete: (await convCall(u.c, FunctionId.MsgDelete, g, { msg_delete_param_msg: {} }, 2)).code,
        save: (await convCall(u.c, FunctionId.MsgSaveMsg, g, text('a note'), 2)).code,
        convCreate: (await u.c.call(FunctionId.ConvCreate, convArgs(g))).code,
      });
      const member = { getList: 0, find: 0, revokeOwn: 'n/a', reportRead: 0, delete: 0, save: 0, convCreate: 0 };
      expect(await outcomes(o), 'owner').to.deep.equal(member);
      expect(await outcomes(ad), 'admin / member').to.deep.equal(member);
      // f left but keeps its conversation: its own copy is its own; the group's history and revokes are not.
      expect(await outcomes(f), 'former member').to.deep.equal({ ...member, getList: DENY, find: DENY, revokeOwn: DENY });
      // x never had the conversation: 10007 everywhere (read report on a conversation it does not have would be 6004 after that).
      expect(await outcomes(x), 'outsider').to.deep.equal({
        getList: DENY, find: DENY, revokeOwn: 'n/a', reportRead: DENY, delete: DENY, save: DENY, convCreate: DENY,
      });
      expect((await convCall(o.c, FunctionId.MsgGetMsgList, 'no such group', list, 2)).code).to.equal(NOT_FOUND);
    });
  }

  it('a dissolved group: its history is gone for everyone (10010); former members still clear or delete their copy', async () => {
    const { o, m, g } = await setup('Public');
    okJson(await o.dissolve(g));
    expect((await convCall(m.c, FunctionId.MsgGetMsgList, g, {}, 2)).code).to.equal(NOT_FOUND);
    expect((await convCall(m.c, FunctionId.MsgReportReaded, g, null, 2)).code).to.equal(0);
    expect((await m.c.call(FunctionId.ConvCreate, convArgs(g))).code).to.equal(0);
    expect((await convCall(m.c, FunctionId.MsgDelete, g, { msg_delete_param_msg: {} }, 2)).code).to.equal(0);
  });

  for (const type of TYPES) {
    it(`${type}: the owner and admins revoke the messages of members they outrank; members only their own; tips never (10032)`, async () => {
      const { o, ad, m, m2, g, av, fromF } = await setup(type);
      const byId: Record<string, User> = { o, ad, m, m2 };
      type Case = readonly [actor: string, sender: string, expected: number];
      const cases: Case[] = [
        ['m', 'm', 0], ['m', 'm2', REVOKE_DENY], ['m', 'o', REVOKE_DENY], ['o', 'm', 0], ['o', 'o', 0],
        ...(av ? [] : [['ad', 'm', 0], ['ad', 'o', REVOKE_DENY], ['o', 'ad', 0], ['m', 'ad', REVOKE_DENY], ['ad', 'ad', 0]] as Case[]),
      ];
      const outcomes: Case[] = [];
      for (const [actor, sender] of cases) {
        const sent = okJson(await byId[sender]!.send(g, `${sender} for ${actor}`)) as Json;
        outcomes.push([actor, sender, (await convCall(byId[actor]!.c, FunctionId.MsgRevoke, g, sent, 2)).code]);
      }
      expect(outcomes).to.deep.equal(cases);
      // f's message (f left the group): the owner may revoke it (a non-member ranks lowest), a member may not.
      expect((await convCall(m.c, FunctionId.MsgRevoke, g, fromF, 2)).code).to.equal(REVOKE_DENY);
      expect((await convCall(o.c, FunctionId.MsgRevoke, g, fromF, 2)).code).to.equal(0);
      // A tip (f quitting) is not an ordinary message.
      const history = okJson(await convCall(o.c, FunctionId.MsgGetMsgList, g, { msg_getmsglist_param_count: 100 }, 2)) as Json[];
      const tip = history.find((x) => x['message_sender'] === '@TIM#SYSTEM')!;
      expect((await convCall(o.c, FunctionId.MsgRevoke, g, tip, 2)).code).to.equal(REVOKE_DENY);
    });
  }

  it('a revoke is told to the current members only (EVENT 3 and 6); a former member\'s count is corrected silently', async () => {
    const { o, ad, m, m2, f, x, g } = await setup('Public');
    const sent = okJson(await m.send(g, 'oops')) as Json;
    okJson(await o.kick(g, ['m2']));
    await settle();
    const before = new Map([o, ad, m, m2, f, x].map((u) => [u.id, u.c.allEvents.length]));
    const unreadOf = async (u: User) => ((okJson(await u.call(FunctionId.ConvGetConvList)) as Json[])
      .find((c) => c['conv_id'] === g)?.['conv_unread_num']);
    expect(await unreadOf(m2)).to.equal(3); // f's message, f's quit tip, 'oops' (the kick tip goes to those who remain)
    okJson(await convCall(ad.c, FunctionId.MsgRevoke, g, sent, 2));
    await settle();
    const got = (u: User, id: number) => u.c.allEvents.slice(before.get(u.id)).filter((e) => e.eventId === id).length;
    expect([o, ad, m, m2, f, x].map((u) => [u.id, got(u, EventId.MsgRevoke), got(u, EventId.ConvEvent) > 0])).to.deep.equal([
      ['o', 1, true], ['ad', 1, true], ['m', 1, true], ['m2', 0, false], ['f', 0, false], ['x', 0, false],
    ]);
    expect(await unreadOf(m2)).to.equal(2);
  });
});
