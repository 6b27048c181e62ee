/**
 * Group tips and reports reach exactly the right users: tips as a GroupTips
 * element (elem_type 5) in the group conversation (EVENT 1) and as one
 * GroupTipsElem object by EVENT 5; reports as a GroupReport element
 * (elem_type 8) in the system conversation (conv_type 3, conv_id "").
 */
import { expect } from 'chai';
import { parseJson } from '../../src/json/lossless.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { strArg } from './wire-client.js';
import { Harness } from './helpers.js';
import { OWNER_FLAG, okJson, settle, users, type Json, type User } from './groups-helpers.js';

/** What each user received since `watch` was called. */
function watch(us: readonly User[]) {
  const start = new Map(us.map((u) => [u.id, u.c.allEvents.length]));
  const since = (u: User) => u.c.allEvents.slice(start.get(u.id));
  const messages = (u: User): Json[] => since(u).filter((e) => e.eventId === EventId.RecvNewMsg).flatMap((e) => parseJson(strArg(e.args[0])) as Json[]);
  return {
    /** EVENT 5 payloads. */
    tipEvents: (u: User): Json[] => since(u).filter((e) => e.eventId === EventId.GroupTipsEvent).map((e) => parseJson(strArg(e.args[0])) as Json),
    /** GroupTips elements of group-conversation messages. */
    tipMessages: (u: User): Json[] => messages(u).filter((m) => m['message_conv_type'] === 2)
      .flatMap((m) => m['message_elem_array'] as Json[]).filter((e) => e['elem_type'] === 5),
    reports: (u: User): Json[] => messages(u).filter((m) => m['message_conv_type'] === 3)
      .flatMap((m) => m['message_elem_array'] as Json[]).filter((e) => e['elem_type'] === 8),
    messages,
  };
}

/** Asserts who got exactly one tip (both ways) of `tipType`, and that the others got none. */
function expectTips(w: ReturnType<typeof watch>, everyone: readonly User[], to: readonly User[], tipType: number): Json {
  let tip: Json | undefined;
  for (const u of everyone) {
    const events = w.tipEvents(u);
    const messages = w.tipMessages(u);
    if (to.includes(u)) {
      expect(events.map((t) => t['group_tips_elem_tip_type']), `EVENT 5 to ${u.id}`).to.deep.equal([tipType]);
      expect(messages, `group tips message to ${u.id}`).to.deep.equal(events);
      tip = events[0];
    } else {
      expect(events, `no EVENT 5 to ${u.id}`).to.deep.equal([]);
      expect(messages, `no tips message to ${u.id}`).to.deep.equal([]);
    }
  }
  return tip!;
}

function expectReports(w: ReturnType<typeof watch>, everyone: readonly User[], to: readonly User[], reportType: number): Json {
  let report: Json | undefined;
  for (const u of everyone) {
    const got = w.reports(u).map((r) => r['group_report_elem_report_type']);
    expect(got, `reports to ${u.id}`).to.deep.equal(to.includes(u) ? [reportType] : []);
    if (to.includes(u)) report = w.reports(u)[0];
  }
  return report!;
}

describe('emulator groups: tips and reports go to exactly the right users', function () {
  this.timeout(20_000);
  let h: Harness;
  let o: User, a: User, m: User, x: User, y: User;
  let everyone: User[];
  beforeEach(async () => {
    h = await new Harness().start();
    [o, a, m, x, y] = (await users(h, 'o', 'a', 'm', 'x', 'y')) as [User, User, User, User, User];
    everyone = [o, a, m, x, y];
  });
  afterEach(async () => {
    await h.close();
  });

  const publicGroup = (extra: Json = {}) => o.create('Public', {
    create_group_param_group_member_array: [{ group_member_info_identifier: 'a', group_member_info_member_role: 300 }, { group_member_info_identifier: 'm' }],
    ...extra,
  });

  it('create: Create (6) to the creator, Invite (7) to initial members; no tips', async () => {
    const w = watch(everyone);
    const g = await publicGroup();
    await settle();
    const created = expectReports(w, [o], [o], 6);
    expect(created).to.deep.include({ group_report_elem_group_id: g, group_report_elem_op_user: 'o' });
    expectReports(w, [a, m, x, y], [a, m], 7);
    for (const u of everyone) expect(w.tipEvents(u)).to.deep.equal([]);
    const [message] = w.messages(a).filter((mm) => mm['message_conv_type'] === 3);
    expect(message).to.deep.include({ message_conv_id: '', message_sender: '@TIM#SYSTEM', message_is_from_self: false });
  });

  it('join: tip 1 (join type apply) to every member, the newcomer included, with the member count', async () => {
    const g = await publicGroup();
    await settle();
    const w = watch(everyone);
    okJson(await x.join(g));
    await settle();
    const tip = expectTips(w, everyone, [o, a, m, x], 1);
    expect(tip).to.deep.include({
      group_tips_elem_group_id: g, group_tips_elem_op_user: 'x', group_tips_elem_join_type: 1,
      group_tips_elem_user_array: ['x'], group_tips_elem_member_num: 4,
    });
    const messages = w.messages(m).filter((mm) => mm['message_conv_type'] === 2);
    expect(messages[0]).to.deep.include({ message_conv_id: g, message_sender: '@TIM#SYSTEM' });
  });

  it('quit: tip 2 to the members who remain; kick: tip 3 to the remaining members and report 4 to the kicked', async () => {
    const g = await publicGroup();
    okJson(await x.join(g));
    await settle();
    let w = watch(everyone);
    okJson(await m.quit(g));
    await settle();
    expect(expectTips(w, everyone, [o, a, x], 2)).to.deep.include({ group_tips_elem_op_user: 'm', group_tips_elem_user_array: ['m'], group_tips_elem_member_num: 3 });

    w = watch(everyone);
    okJson(await a.kick(g, ['x']));
    await settle();
    expect(expectTips(w, everyone, [o, a], 3)).to.deep.include({ group_tips_elem_op_user: 'a', group_tips_elem_user_array: ['x'] });
    const report = expectReports(w, everyone, [x], 4);
    expect(report).to.deep.include({ group_report_elem_group_id: g, group_report_elem_op_user: 'a' });
    expect((report['group_report_elem_op_group_memberinfo'] as Json)['group_member_info_member_role']).to.equal(300);
  });

  it('admin set / unset: tips 4 and 5 to all members; info change: tip 6 with the changed fields; mute: tip 7', async () => {
    const g = await publicGroup();
    await settle();
    let w = watch(everyone);
    okJson(await o.modifyMember(g, 'm', 2, { group_modify_member_info_member_role: 300 }));
    await settle();
    expect(expectTips(w, everyone, [o, a, m], 4)).to.deep.include({ group_tips_elem_user_array: ['m'] });
    w = watch(everyone);
    okJson(await o.modifyMember(g, 'm', 2, { group_modify_member_info_member_role: 200 }));
    await settle();
    expectTips(w, everyone, [o, a, m], 5);

    w = watch(everyone);
    okJson(await a.modifyInfo(g, 1 | 2 | 256, {
      group_modify_info_param_group_name: 'new name', group_modify_info_param_notification: 'note', group_modify_info_param_is_shutup_all: true,
    }));
    await settle();
    const info = expectTips(w, everyone, [o, a, m], 6);
    expect(info['group_tips_elem_group_change_info_array']).to.deep.equal([
      { group_tips_group_change_info_flag: 1, group_tips_group_change_info_value: 'new name' },
      { group_tips_group_change_info_flag: 3, group_tips_group_change_info_value: 'note' },
      { group_tips_group_change_info_bool_value: true, group_tips_group_change_info_flag: 8, group_tips_group_change_info_value: '1' },
    ]);

    w = watch(everyone);
    okJson(await o.modifyInfo(g, OWNER_FLAG, { group_modify_info_param_owner: 'a' }));
    await settle();
    expect(expectTips(w, everyone, [o, a, m], 6)['group_tips_elem_group_change_info_array']).to.deep.equal([
      { group_tips_group_change_info_flag: 5, group_tips_group_change_info_value: 'a' },
    ]);

    w = watch(everyone);
    okJson(await a.modifyMember(g, 'm', 4, { group_modify_member_info_shutup_time: 30 }));
    await settle();
    expect(expectTips(w, everyone, [o, a, m], 7)['group_tips_elem_member_change_info_array']).to.deep.equal([
      { group_tips_member_change_info_identifier: 'm', group_tips_member_change_info_shutupTime: 30 },
    ]);
  });

  it('dissolve: Delete (5) to every member but the owner; the message flag of one member is private (no tip)', async () => {
    const g = await publicGroup();
    await settle();
    let w = watch(everyone);
    okJson(await m.modifyMember(g, 'm', 1, { group_modify_member_info_msg_flag: 2 }));
    await settle();
    for (const u of everyone) expect(w.tipEvents(u)).to.deep.equal([]);
    w = watch(everyone);
    okJson(await o.dissolve(g));
    await settle();
    expect(expectReports(w, everyone, [a, m], 5)).to.deep.include({ group_report_elem_op_user: 'o', group_report_elem_group_id: g });
  });

  it('join requests: AddRequest (1) to owner and admins; invitations needing consent: report 12 to the invitee', async () => {
    const g = await publicGroup({ create_group_param_add_option: 1 });
    await settle();
    let w = watch(everyone);
    okJson(await x.join(g, 'please'));
    await settle();
    expect(expectReports(w, everyone, [o, a], 1)).to.deep.include({ group_report_elem_op_user: 'x', group_report_elem_msg: 'please' });
    for (const u of everyone) expect(w.tipEvents(u)).to.deep.equal([]);

    w = watch(everyone);
    const r = okJson(await m.invite(g, ['y'])) as Json[];
    expect(r[0]!['group_invite_member_result_result']).to.equal(3);
    await settle();
    expect(expectReports(w, everyone, [y], 12)).to.deep.include({ group_report_elem_op_user: 'm' });
  });

  it('tips count as unread for members other than the operator; the emulator leaves ignore-group-tips-unread to the client', async () => {
    okJson(await m.call(FunctionId.SetConfig, JSON.stringify({ set_config_user_config: { user_config_is_ignore_grouptips_unread: true } })));
    const g = await publicGroup();
    okJson(await x.join(g));
    await settle();
    const unread = async (u: User) => ((okJson(await u.call(FunctionId.ConvGetConvList)) as Json[])
      .find((c) => c['conv_id'] === g)?.['conv_unread_num']);
    expect(await unread(o)).to.equal(1);
    expect(await unread(m)).to.equal(1); // as v8's library: the key is not applied below the client (docs/state.md)
    expect(await unread(x)).to.equal(0);
  });
});
