/**
 * Group conversations as ConvInfo shows them (conv_group_type, conv_recv_opt)
 * and their unread counts: the count kept while messages and tips are
 * delivered equals the count recomputed after a read report, a delete or a
 * revoke (tips count except for their operator; newcomers start at their
 * join; "not receive" members count tips only; TIMSetConfig's
 * ignore-group-tips-unread is left to the client).
 */
import { expect } from 'chai';
import { parseJson } from '../../src/json/lossless.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { Harness } from './helpers.js';
import { GroupType, TYPES, eventually, okJson, settle, users, type Json, type User } from './groups-helpers.js';
import { convCall, text } from './message-helpers.js';
import { intArgValue, strArg } from './wire-client.js';

async function convOf(u: User, convId: string, convType = 2): Promise<Json | undefined> {
  return (okJson(await u.call(FunctionId.ConvGetConvList)) as Json[]).find((c) => c['conv_id'] === convId && c['conv_type'] === convType);
}

const unreadOf = async (u: User, g: string): Promise<unknown> => (await convOf(u, g))?.['conv_unread_num'] ?? 0;

describe('emulator groups: group conversations (type, receive option) and their unread counts', function () {
  this.timeout(30_000);
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('ConvInfo carries the group\'s TIMGroupType for every type, and the member\'s receive option', async () => {
    h = await new Harness().start();
    const [o, a] = (await users(h, 'o', 'a')) as [User, User];
    for (const type of TYPES) {
      const g = await o.create(type);
      okJson(await o.send(g, 'hi'));
      expect(await convOf(o, g), type).to.deep.include({ conv_group_type: GroupType[type], conv_recv_opt: 0, conv_type: 2 });
    }
    okJson(await convCall(a.c, FunctionId.MsgSendNewMsg, 'o', text('a c2c message')));
    const c2c = (await convOf(o, 'a', 1))!;
    expect(c2c).to.not.have.property('conv_group_type');
    expect(c2c['conv_recv_opt']).to.equal(0);
  });

  it('changing one\'s receive option shows in conv_recv_opt, with an EVENT 6 Update; quitting resets it; dissolving drops the type', async () => {
    h = await new Harness().start();
    const [o, a] = (await users(h, 'o', 'a')) as [User, User];
    const g = await o.create('Public', { create_group_param_group_member_array: [{ group_member_info_identifier: 'a' }] });
    okJson(await o.send(g, 'hello'));
    await eventually(async () => expect(await convOf(a, g)).to.not.equal(undefined));
    await settle();
    a.c.takeEvents(EventId.ConvEvent);
    for (const flag of [1, 2, 3, 0]) {
      okJson(await a.modifyMember(g, 'a', 1, { group_modify_member_info_msg_flag: flag }));
      const e = await a.c.nextEvent(EventId.ConvEvent);
      expect(intArgValue(e.args[0])).to.equal(2n);
      expect((parseJson(strArg(e.args[1])) as Json[])[0]).to.deep.include({ conv_id: g, conv_recv_opt: flag, conv_group_type: 0 });
      expect((await convOf(a, g))?.['conv_recv_opt']).to.equal(flag);
    }
    okJson(await a.modifyMember(g, 'a', 1, { group_modify_member_info_msg_flag: 2 }));
    okJson(await a.quit(g));
    expect(await convOf(a, g)).to.deep.include({ conv_recv_opt: 0, conv_group_type: 0 });
    okJson(await o.dissolve(g));
    expect(await convOf(o, g)).to.not.have.property('conv_group_type');
  });

  it('unread after a revoke, a read report or a delete is the count kept while delivering: tips but one\'s own, from one\'s join on', async () => {
    h = await new Harness().start();
    const [o, a, m, x] = (await users(h, 'o', 'a', 'm', 'x')) as [User, User, User, User];
    // m asks its library to ignore group tips: the emulator counts them anyway (the client state applies the option).
    okJson(await m.call(FunctionId.SetConfig, JSON.stringify({ set_config_user_config: { user_config_is_ignore_grouptips_unread: true } })));
    const g = await o.create('Public', {
      create_group_param_group_member_array: [{ group_member_info_identifier: 'a' }, { group_member_info_identifier: 'm' }],
    });
    const everyone = [o, a, m, x];
    const counts = async () => Object.fromEntries(await Promise.all(everyone.map(async (u) => [u.id, await unreadOf(u, g)])));

    const one = okJson(await o.send(g, 'one')) as Json;
    okJson(await a.modifyMember(g, 'a', 8, { group_modify_member_info_name_card: 'Al' })); // tip 7, operator a
    okJson(await x.join(g)); // tip 1, operator x
    await settle();
    const kept = { o: 2, a: 2, m: 3, x: 0 };
    expect(await counts()).to.deep.equal(kept);

    const two = okJson(await o.send(g, 'two')) as Json;
    await settle();
    expect(await counts()).to.deep.equal({ o: 2, a: 3, m: 4, x: 1 });
    okJson(await convCall(o.c, FunctionId.MsgRevoke, g, two, 2)); // recomputes everyone's count
    await settle();
    expect(await counts()).to.deep.equal(kept);

    // a reads up to 'one': what is left is x's join tip (a's own tip never counted).
    const atA = (okJson(await convCall(a.c, FunctionId.MsgGetMsgList, g, { msg_getmsglist_param_count: 10 }, 2)) as Json[])
      .find((mm) => mm['message_seq'] === one['message_seq'])!;
    okJson(await convCall(a.c, FunctionId.MsgReportReaded, g, atA, 2));
    expect(await unreadOf(a, g)).to.equal(1);
    // m deletes 'one' for itself: the tips stay unread.
    const atM = (okJson(await convCall(m.c, FunctionId.MsgGetMsgList, g, { msg_getmsglist_param_count: 10 }, 2)) as Json[])
      .find((mm) => mm['message_seq'] === one['message_seq'])!;
    okJson(await convCall(m.c, FunctionId.MsgDelete, g, { msg_delete_param_msg: atM }, 2));
    expect(await unreadOf(m, g)).to.equal(2);
  });

  it('a member whose receive option is "not receive" gets no messages and no unread for them, also when its count is recomputed', async () => {
    h = await new Harness().start();
    const [o, m] = (await users(h, 'o', 'm')) as [User, User];
    const g = await o.create('Private', { create_group_param_group_member_array: [{ group_member_info_identifier: 'm' }] });
    okJson(await m.modifyMember(g, 'm', 1, { group_modify_member_info_msg_flag: 1 }));
    okJson(await o.send(g, 'unheard'));
    okJson(await o.modifyInfo(g, 0x1, { group_modify_info_param_group_name: 'renamed' })); // a tip: members get tips whatever their option
    await settle();
    expect(await unreadOf(m, g)).to.equal(1);
    const revoked = okJson(await o.send(g, 'to revoke')) as Json;
    okJson(await convCall(o.c, FunctionId.MsgRevoke, g, revoked, 2)); // recomputes m's count: still the tip only
    await settle();
    expect(await unreadOf(m, g)).to.equal(1);
    expect(m.received().filter((r) => r['message_conv_type'] === 2 && r['message_sender'] === 'o')).to.deep.equal([]);
  });
});


