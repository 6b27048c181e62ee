/**
 * Group messages over the wire: per-group seq, delivery to every other
 * member by EVENT 1, unread per member, the refusals (non-member 10007,
 * muted 10017, unknown group 10010, bad elements 6016), the receive option,
 * and delivery after a login of what arrived while offline.
 */
import { expect } from 'chai';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { Harness } from './helpers.js';
import { User, eventually, expectCode, okJson, settle, users, type Json } from './groups-helpers.js';

const texts = (u: User, g: string): unknown[] => u.received()
  .filter((m) => m['message_conv_type'] === 2 && m['message_conv_id'] === g)
  .flatMap((m) => m['message_elem_array'] as Json[])
  .map((e) => (e['elem_type'] === 0 ? e['text_elem_content'] : `[tip ${e['group_tips_elem_tip_type']}]`));

async function unread(u: User, convId: string, convType = 2): Promise<unknown> {
  const list = okJson(await u.call(FunctionId.ConvGetConvList)) as Json[];
  return list.find((c) => c['conv_id'] === convId && c['conv_type'] === convType)?.['conv_unread_num'];
}

describe('emulator groups: group messages', function () {
  this.timeout(20_000);
  let h: Harness;
  let o: User, a: User, m: User, x: User;
  let g: string;
  beforeEach(async () => {
    h = await new Harness().start();
    [o, a, m, x] = (await users(h, 'o', 'a', 'm', 'x')) as [User, User, User, User];
    g = await o.create('Public', {
      create_group_param_group_member_array: [{ group_member_info_identifier: 'a' }, { group_member_info_identifier: 'm' }],
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it('reaches every other member with one per-group seq; unread counts per member', async () => {
    const sent = okJson(await o.send(g, 'hello')) as Json;
    expect(sent).to.deep.include({
      message_conv_id: g, message_conv_type: 2, message_sender: 'o', message_is_from_self: true, message_seq: 1, message_status: 2,
    });
    const fromM = okJson(await m.send(g, 'hi all')) as Json;
    expect(fromM['message_seq']).to.equal(2);
    await eventually(() => {
      expect(texts(a, g)).to.deep.equal(['hello', 'hi all']);
      expect(texts(m, g)).to.deep.equal(['hello']);
      expect(texts(o, g)).to.deep.equal(['hi all']);
    });
    const atA = a.received().find((mm) => mm['message_seq'] === 1 && mm['message_conv_id'] === g)!;
    expect(atA).to.deep.include({ message_sender: 'o', message_is_from_self: false, message_rand: sent['message_rand'] });
    expect(x.received().filter((mm) => mm['message_conv_type'] === 2)).to.deep.equal([]);
    expect(await unread(a, g)).to.equal(2);
    expect(await unread(m, g)).to.equal(1);
    expect(await unread(o, g)).to.equal(1);

    const other = await o.create('Private', { create_group_param_group_member_array: [{ group_member_info_identifier: 'a' }] });
    expect((okJson(await a.send(other, 'elsewhere')) as Json)['message_seq']).to.equal(1);
    const info = (okJson(await o.call(FunctionId.GroupGetGroupInfoList, JSON.stringify([g]))) as Json[])[0]!['get_groups_info_result_info'] as Json;
    expect(info['group_detail_info_next_msg_seq']).to.equal(2);
  });

  it('refuses outsiders (10007), muted members (10017), unknown groups (10010) and server-only elements (6016)', async () => {
    expectCode(await x.send(g, 'let me talk'), 10007);
    okJson(await o.modifyMember(g, 'm', 4, { group_modify_member_info_shutup_time: 100 }));
    expectCode(await m.send(g, 'shh'), 10017);
    okJson(await o.modifyMember(g, 'm', 4, { group_modify_member_info_shutup_time: 0 }));
    okJson(await m.send(g, 'free again'));
    expectCode(await o.send('no such group', 'hello?'), 10010);
    const tips = JSON.stringify({ message_elem_array: [{ elem_type: 5, group_tips_elem_tip_type: 1 }] });
    expectCode(await o.c.call(FunctionId.MsgSendNewMsg, [arg.str(g), arg.i64(2), arg.str(tips)]), 6016);
  });

  it('a member whose receive option is "not receive" gets nothing and no unread', async () => {
    okJson(await m.modifyMember(g, 'm', 1, { group_modify_member_info_msg_flag: 1 }));
    okJson(await o.send(g, 'quiet'));
    await settle();
    expect(texts(m, g)).to.deep.equal([]);
    expect(texts(a, g)).to.deep.equal(['quiet']);
    expect((await unread(m, g)) ?? 0).to.equal(0);
    expect(await unread(a, g)).to.equal(1);
  });

  it('what arrives while a member is offline (messages, tips, reports) comes after its next login, in order', async () => {
    expect((await m.c.call(FunctionId.Logout)).code).to.equal(0);
    m.c.close();
    okJson(await o.send(g, 'one'));
    okJson(await x.join(g));
    okJson(await a.send(g, 'two'));
    okJson(await o.kick(g, ['x']));
    const other = await o.create('Private', { create_group_param_group_member_array: [{ group_member_info_identifier: 'm' }] });
    const back = new User('m', await h.loggedIn('m'));
    await eventually(() => {
      expect(texts(back, g)).to.deep.equal(['one', '[tip 1]', 'two', '[tip 3]']);
      expect(back.reports().map((r) => [r['group_report_elem_report_type'], r['group_report_elem_group_id']])).to.deep.equal([[7, other]]);
    });
    expect(await unread(back, g)).to.equal(4);
    okJson(await o.send(g, 'three'));
    await eventually(() => expect(texts(back, g)).to.deep.equal(['one', '[tip 1]', 'two', '[tip 3]', 'three']));
    // Nothing twice: a second login gets nothing more.
    const again = new User('m', await h.loggedIn('m'));
    await settle();
    expect(texts(again, g)).to.deep.equal([]);
  });
});
