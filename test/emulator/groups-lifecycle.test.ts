/**
 * The group functions through the wire protocol: create (chosen or assigned
 * id, initial members, every profile field), dissolve, join, quit, invite,
 * kick with per-user results, joined list, info list with per-id codes,
 * member lists with role filter and paging, profile and member changes.
 */
import { expect } from 'chai';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import { harnessEachTest } from './helpers.js';
import { OWNER_FLAG, Role, expectCode, okJson, users, type Json } from './groups-helpers.js';

describe('emulator groups: functions 33–46', function () {
  this.timeout(20_000);
  const h = harnessEachTest({ unknownAccounts: 'refuse' }); // Tencent's rule: an id that never logged in is refused

  it('creates with a chosen id and every field; the info list shows them with v8 keys; unknown ids get 10010', async () => {
    const [alice, bob] = await users(h(), 'alice', 'bob');
    const id = await alice.create('Public', {
      create_group_param_group_id: 'first group id',
      create_group_param_group_name: 'first group name',
      create_group_param_notification: 'group notification',
      create_group_param_introduction: 'group introduction',
      create_group_param_face_url: 'group face url',
      create_group_param_max_member_num: 2000,
      create_group_param_add_option: 2,
      create_group_param_group_member_array: [{ group_member_info_identifier: 'bob' }],
    });
    expect(id).to.equal('first group id');
    const r = okJson(await bob.call(FunctionId.GroupGetGroupInfoList, JSON.stringify(['first group id', 'nope']))) as Json[];
    expect(r).to.have.length(2);
    expect(r[0]).to.deep.include({ get_groups_info_result_code: 0, get_groups_info_result_desc: '' });
    expect(r[0]!['get_groups_info_result_info']).to.deep.include({
      group_detail_info_group_id: 'first group id', group_detail_info_group_name: 'first group name',
      group_detail_info_group_type: 0, group_detail_info_notification: 'group notification',
      group_detail_info_introduction: 'group introduction', group_detail_info_face_url: 'group face url',
      group_detail_info_max_member_num: 2000, group_detail_info_add_option: 2, group_detail_info_member_num: 2,
      group_detail_info_owner_identifier: 'alice', group_detail_info_is_shutup_all: false, group_detail_info_next_msg_seq: 0,
    });
    expect(r[1]).to.deep.include({ get_groups_info_result_code: 10010 });
    expect(r[1]).not.to.have.property('get_groups_info_result_info');
  });

  it('assigns an @TGS# id when none is chosen; refuses a taken id (10021), a reserved or too long one (10015), no name (8502)', async () => {
    const [alice] = await users(h(), 'alice');
    const id = await alice.create('Private');
    expect(id).to.match(/^@TGS#[A-Z0-9]+$/);
    const again = await alice.json(FunctionId.GroupCreate, { create_group_param_group_name: 'x', create_group_param_group_id: id });
    expectCode(again, 10015);
    await alice.create('Public', { create_group_param_group_id: 'mine' });
    expectCode(await alice.json(FunctionId.GroupCreate, { create_group_param_group_name: 'x', create_group_param_group_id: 'mine' }), 10021);
    expectCode(await alice.json(FunctionId.GroupCreate, { create_group_param_group_name: 'x', create_group_param_group_id: 'x'.repeat(49) }), 10015);
    expectCode(await alice.json(FunctionId.GroupCreate, { create_group_param_group_id: 'nameless' }), 8502);
    expectCode(await alice.json(FunctionId.GroupCreate, {
      create_group_param_group_name: 'x', create_group_param_group_member_array: [{ group_member_info_identifier: 'ghost' }],
    }), 10019);
    expectCode(await alice.json(FunctionId.GroupCreate, { create_group_param_group_name: 'x', create_group_param_group_type: 5 }), 10004);
    expectCode(await alice.call(FunctionId.GroupCreate, '{"create_group_param_group_name": 7}'), 6017);
  });

  it('join, quit, invite and kick change the member list; kick answers per user', async () => {
    const [alice, bob, carol, dave] = await users(h(), 'alice', 'bob', 'carol', 'dave');
    const pub = await alice.create('Public');
    okJson(await bob.join(pub, 'hi'));
    expectCode(await bob.join(pub), 10013);
    expect(await alice.memberIds(pub)).to.deep.equal(['alice', 'bob']);
    okJson(await bob.quit(pub));
    expect(await alice.memberIds(pub)).to.deep.equal(['alice']);

    const priv = await alice.create('Private');
    const invited = okJson(await alice.invite(priv, ['bob', 'carol', 'ghost', 'alice']));
    expect(invited).to.deep.equal([
      { group_invite_member_result_identifier: 'bob', group_invite_member_result_result: 1 },
      { group_invite_member_result_identifier: 'carol', group_invite_member_result_result: 1 },
      { group_invite_member_result_identifier: 'ghost', group_invite_member_result_result: 0 },
      { group_invite_member_result_identifier: 'alice', group_invite_member_result_result: 2 },
    ]);
    expectCode(await alice.invite(priv, []), 8510);
    const kicked = okJson(await alice.kick(priv, ['bob', 'dave', 'alice']));
    expect(kicked).to.deep.equal([
      { group_delete_member_result_identifier: 'bob', group_delete_member_result_result: 1 },
      { group_delete_member_result_identifier: 'dave', group_delete_member_result_result: 0 },
      { group_delete_member_result_identifier: 'alice', group_delete_member_result_result: 0 },
    ]);
    expect(await carol.memberIds(priv)).to.deep.equal(['alice', 'carol']);
    void dave;
  });

  it('the joined list gives GroupBaseInfo with the own role, join time and unread; dissolved groups leave it', async () => {
    const [alice, bob] = await users(h(), 'alice', 'bob');
    const g1 = await alice.create('Public', { create_group_param_group_name: 'one' });
    const g2 = await alice.create('ChatRoom', { create_group_param_group_name: 'two' });
    okJson(await bob.join(g1));
    const list = okJson(await alice.call(FunctionId.GroupGetJoinedGroupList)) as Json[];
    expect(list.map((g) => g['group_base_info_group_id']).sort()).to.deep.equal([g1, g2].sort());
    const one = list.find((g) => g['group_base_info_group_id'] === g1)!;
    expect(one).to.deep.include({ group_base_info_group_name: 'one', group_base_info_group_type: 0, group_base_info_is_shutup_all: false });
    expect(one['group_base_info_self_info']).to.deep.include({ group_self_info_role: 400, group_self_info_msg_flag: 0 });
    expect(one['group_detail_info_member_num']).to.equal(2);
    const bobs = okJson(await bob.call(FunctionId.GroupGetJoinedGroupList)) as Json[];
    expect(bobs.map((g) => g['group_base_info_group_id'])).to.deep.equal([g1]);
    expect((bobs[0]!['group_base_info_self_info'] as Json)['group_self_info_role']).to.equal(200);
    okJson(await alice.dissolve(g1));
    expect(okJson(await bob.call(FunctionId.GroupGetJoinedGroupList))).to.deep.equal([]);
    expectCode(await alice.dissolve(g1), 10010);
    expectCode(await alice.dissolve(''), 8501);
  });

  it('member lists: GroupMemberInfo keys, role filter, chosen ids, paging by next_seq', async () => {
    const ids = Array.from({ length: 118 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    const [owner] = await users(h(), 'owner');
    for (const id of ids) await h().loggedIn(id);
    const g = await owner.create('Private');
    okJson(await owner.invite(g, ids));
    okJson(await owner.modifyMember(g, 'm005', 2, { group_modify_member_info_member_role: 300 }));
    okJson(await owner.modifyMember(g, 'm100', 2, { group_modify_member_info_member_role: 300 }));

    const seen: string[] = [];
    let next = 0;
    let pages = 0;
    do {
      const r = okJson(await owner.members(g, { group_get_members_info_list_param_next_seq: next })) as Json;
      const page = r['group_get_member_info_list_result_info_array'] as Json[];
      next = r['group_get_member_info_list_result_next_seq'] as number;
      seen.push(...page.map((m) => m['group_member_info_identifier'] as string));
      pages++;
      expect(page.length).to.be.at.most(50);
    } while (next !== 0);
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal(['owner', ...ids]);

    const admins = okJson(await owner.members(g, { group_get_members_info_list_param_option: { group_member_get_info_option_role_flag: 2 } })) as Json;
    expect((admins['group_get_member_info_list_result_info_array'] as Json[]).map((m) => m['group_member_info_identifier'])).to.deep.equal(['m005', 'm100']);
    const some = okJson(await owner.members(g, { group_get_members_info_list_param_identifier_array: ['m100', 'owner', 'ghost'] })) as Json;
    const infos = some['group_get_member_info_list_result_info_array'] as Json[];
    expect(infos.map((m) => [m['group_member_info_identifier'], m['group_member_info_member_role']])).to.deep.equal([['m100', 300], ['owner', 400]]);
    expect(Object.keys(infos[0]!)).to.deep.equal([
      'group_member_info_custom_info', 'group_member_info_face_url', 'group_member_info_friend_remark', 'group_member_info_group_id',
      'group_member_info_identifier', 'group_member_info_is_online', 'group_member_info_join_time', 'group_member_info_member_role',
      'group_member_info_msg_flag', 'group_member_info_msg_seq', 'group_member_info_name_card', 'group_member_info_nick_name',
      'group_member_info_online_devices', 'group_member_info_shutup_time',
    ]);
    expect(infos[0]!['group_member_info_is_online']).to.equal(true);
  });

  it('modify info: flags OR-ed, info_seq grows; owner transfer with -2147483648 or 2147483648; the owner flag must be alone', async () => {
    const [alice, bob] = await users(h(), 'alice', 'bob');
    const g = await alice.create('Public', { create_group_param_group_member_array: [{ group_member_info_identifier: 'bob' }] });
    okJson(await alice.modifyInfo(g, 1 | 2 | 4 | 8 | 16 | 256, {
      group_modify_info_param_group_name: 'renamed', group_modify_info_param_notification: 'n2', group_modify_info_param_introduction: 'i2',
      group_modify_info_param_face_url: 'f2', group_modify_info_param_add_option: 1, group_modify_info_param_is_shutup_all: true,
    }));
    const info = async (): Promise<Json> =>
      ((okJson(await bob.call(FunctionId.GroupGetGroupInfoList, JSON.stringify([g]))) as Json[])[0]!['get_groups_info_result_info']) as Json;
    expect(await info()).to.deep.include({
      group_detail_info_group_name: 'renamed', group_detail_info_notification: 'n2', group_detail_info_introduction: 'i2',
      group_detail_info_face_url: 'f2', group_detail_info_add_option: 1, group_detail_info_is_shutup_all: true, group_detail_info_info_seq: 1,
    });
    expectCode(await alice.modifyInfo(g, OWNER_FLAG | 1, { group_modify_info_param_owner: 'bob' }), 10004);
    expectCode(await alice.modifyInfo(g, 0), 10004);
    expectCode(await alice.modifyInfo(g, 1, { group_modify_info_param_group_name: '' }), 8502);
    okJson(await alice.modifyInfo(g, OWNER_FLAG, { group_modify_info_param_owner: 'bob' }));
    expect((await info())['group_detail_info_owner_identifier']).to.equal('bob');
    okJson(await bob.modifyInfo(g, 2147483648, { group_modify_info_param_owner: 'alice' }));
    expect((await info())['group_detail_info_owner_identifier']).to.equal('alice');
    const roles = okJson(await alice.members(g)) as Json;
    expect((roles['group_get_member_info_list_result_info_array'] as Json[]).map((m) => m['group_member_info_member_role'])).to.deep.equal([400, 200]);
  });

  it('modify member: role (v8 300 or the 2019 example\'s 1), name card, mute time, message flag (own only)', async () => {
    const [alice, bob] = await users(h(), 'alice', 'bob');
    const g = await alice.create('Private', { create_group_param_group_member_array: [{ group_member_info_identifier: 'bob' }] });
    okJson(await alice.modifyMember(g, 'bob', 2 | 8, { group_modify_member_info_member_role: 1, group_modify_member_info_name_card: 'change name card' }));
    const bobInfo = async (): Promise<Json> =>
      ((okJson(await alice.members(g, { group_get_members_info_list_param_identifier_array: ['bob'] })) as Json)['group_get_member_info_list_result_info_array'] as Json[])[0]!;
    expect(await bobInfo()).to.deep.include({ group_member_info_member_role: Role.Admin, group_member_info_name_card: 'change name card' });
    okJson(await alice.modifyMember(g, 'bob', 2, { group_modify_member_info_member_role: 200 }));
    const before = Math.floor(Date.now() / 1000);
    okJson(await alice.modifyMember(g, 'bob', 4, { group_modify_member_info_shutup_time: 600 }));
    expect((await bobInfo())['group_member_info_shutup_time']).to.be.within(before + 600, before + 602);
    okJson(await bob.modifyMember(g, 'bob', 1, { group_modify_member_info_msg_flag: 2 }));
    expect((await bobInfo())['group_member_info_msg_flag']).to.equal(2);
    expectCode(await alice.modifyMember(g, 'bob', 1, { group_modify_member_info_msg_flag: 1 }), 10007);
    expectCode(await alice.modifyMember(g, 'bob', 2, { group_modify_member_info_member_role: 400 }), 10004);
    expectCode(await alice.modifyMember(g, 'ghost', 8, { group_modify_member_info_name_card: 'x' }), 10004);
    expectCode(await alice.modifyMember(g, 'bob', 8, { group_modify_member_info_name_card: 'x'.repeat(51) }), 8506);
  });
});
