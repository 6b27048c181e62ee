/**
 * Pendencies over the wire: join requests for approval groups, invitations
 * needing consent, who lists them, handling once, the reports that follow,
 * paging by start time and the read time.
 */
import { expect } from 'chai';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import { Harness } from './helpers.js';
import { eventually, expectCode, okJson, users, type Json, type User } from './groups-helpers.js';

const page = async (u: User, start = 0, max = 0): Promise<Json> => okJson(await u.pendencies(start, max)) as Json;
const items = (p: Json): Json[] => p['group_pendency_result_pendency_array'] as Json[];

describe('emulator groups: pendencies', function () {
  this.timeout(20_000);
  let h: Harness;
  let o: User, a: User, m: User, x: User, y: User;
  let g: string;
  beforeEach(async () => {
    h = await new Harness().start();
    [o, a, m, x, y] = (await users(h, 'o', 'a', 'm', 'x', 'y')) as [User, User, User, User, User];
    g = await o.create('Public', {
      create_group_param_add_option: 1,
      create_group_param_group_member_array: [{ group_member_info_identifier: 'a', group_member_info_member_role: 300 }, { group_member_info_identifier: 'm' }],
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it('a join request is listed by owner and admins (not the applicant), accepted once; the applicant is in and gets AddAccept', async () => {
    const before = Date.now();
    okJson(await x.join(g, 'Want Join Group, Thank you'));
    expect(items(await page(x))).to.deep.equal([]);
    const list = await page(o);
    expect(list).to.deep.include({ group_pendency_result_next_start_time: 0, group_pendency_result_unread_num: 1, group_pendency_result_read_time_seq: 0 });
    const [p] = items(list);
    expect(p).to.deep.include({
      group_pendency_group_id: g, group_pendency_form_identifier: 'x', group_pendency_to_identifier: 'o', group_pendency_self_identifier: 'o',
      group_pendency_pendency_type: 0, group_pendency_handled: 0, group_pendency_handle_result: 0,
      group_pendency_apply_invite_msg: 'Want Join Group, Thank you',
    });
    expect(p!['group_pendency_add_time']).to.be.within(before, Date.now());
    expect(items(await page(a))).to.have.length(1);
    expect(await o.memberIds(g)).not.to.include('x');

    okJson(await o.handle(p!, true, 'welcome'));
    expect(await o.memberIds(g)).to.include('x');
    await eventually(() => {
      const accepted = x.reports().filter((r) => r['group_report_elem_report_type'] === 2);
      expect(accepted).to.have.length(1);
      expect(accepted[0]).to.deep.include({ group_report_elem_op_user: 'o', group_report_elem_msg: 'welcome', group_report_elem_group_id: g });
      expect(x.tips().map((t) => [t['group_tips_elem_tip_type'], t['group_tips_elem_join_type']])).to.deep.equal([[1, 1]]);
    });
    expectCode(await o.handle(p!, true), 10024);
    expectCode(await a.handle(p!, false), 10024);
    expect(items(await page(o))[0]).to.deep.include({ group_pendency_handled: 2, group_pendency_handle_result: 1, group_pendency_approval_msg: 'welcome' });
    expect(items(await page(a))[0]).to.deep.include({ group_pendency_handled: 1, group_pendency_to_identifier: 'o' });
    expect((await page(o))['group_pendency_result_unread_num']).to.equal(0);
  });

  it('a refused request: AddRefuse (3) to the applicant, who stays out; members cannot handle (10007)', async () => {
    okJson(await x.join(g, 'hi'));
    const [p] = items(await page(o));
    expectCode(await m.handle(p!, true), 10007);
    expectCode(await x.handle(p!, true), 10007);
    okJson(await a.handle(p!, false, 'no'));
    expect(await o.memberIds(g)).not.to.include('x');
    await eventually(() => expect(x.reports().map((r) => r['group_report_elem_report_type'])).to.deep.equal([3]));
  });

  it('the spec example\'s pendency (no key): found by group, type, applicant and add time', async () => {
    okJson(await x.join(g, 'hi'));
    const [p] = items(await page(o));
    const seedStyle = {
      group_pendency_add_time: p!['group_pendency_add_time'], group_pendency_apply_invite_msg: 'hi', group_pendency_approval_msg: '',
      group_pendency_form_identifier: 'x', group_pendency_form_user_defined_data: '', group_pendency_group_id: g,
      group_pendency_handle_result: 0, group_pendency_handled: 0, group_pendency_pendency_type: 0,
      group_pendency_to_identifier: 'o', group_pendency_to_user_defined_data: '',
    };
    okJson(await o.handle(seedStyle, true, 'I accept this pendency'));
    expect(await o.memberIds(g)).to.include('x');
    expectCode(await o.handle({ ...seedStyle, group_pendency_add_time: 1 }, true), 10004);
  });

  it('an invitation needing consent is listed by the invitee only; accept → member, InviteAccept (13) to the inviter; refuse → 14', async () => {
    // m got Invite (7) as an initial member; then the answers to its own invitations.
    const r = okJson(await m.invite(g, ['x', 'y'])) as Json[];
    expect(r.map((e) => e['group_invite_member_result_result'])).to.deep.equal([3, 3]);
    expect(items(await page(o))).to.deep.equal([]);
    expect(items(await page(m))).to.deep.equal([]);
    const [px] = items(await page(x));
    expect(px).to.deep.include({ group_pendency_pendency_type: 1, group_pendency_form_identifier: 'm', group_pendency_to_identifier: 'x' });
    expectCode(await y.handle(px!, true), 10007);
    okJson(await x.handle(px!, true));
    const [py] = items(await page(y));
    okJson(await y.handle(py!, false, 'no thanks'));
    expect(await o.memberIds(g)).to.deep.equal(['o', 'a', 'm', 'x']);
    await eventually(() => expect(m.reports().map((e) => e['group_report_elem_report_type'])).to.deep.equal([7, 13, 14]));
    await eventually(() => expect(m.tips().map((t) => [t['group_tips_elem_tip_type'], t['group_tips_elem_join_type'], t['group_tips_elem_op_user']]))
      .to.deep.equal([[1, 2, 'm']]));
  });

  it('asking twice leaves one request; a dissolved group takes its pendencies along', async () => {
    okJson(await x.join(g, 'one'));
    okJson(await x.join(g, 'two'));
    const list = items(await page(o));
    expect(list.map((p) => p['group_pendency_apply_invite_msg'])).to.deep.equal(['two']);
    okJson(await o.dissolve(g));
    expect(items(await page(o))).to.deep.equal([]);
  });

  it('pages newest first by start time (max_limited is a hint, 0 = 20); report read marks those added up to a time', async () => {
    const applicants = await users(h, ...Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, '0')}`));
    for (const u of applicants) okJson(await u.join(g));
    const seen: Json[] = [];
    let start = 0;
    const sizes: number[] = [];
    do {
      const p = await page(o, start, 10);
      sizes.push(items(p).length);
      seen.push(...items(p));
      start = p['group_pendency_result_next_start_time'] as number;
    } while (start !== 0);
    expect(sizes).to.deep.equal([10, 10, 5]);
    expect(seen.map((p) => p['group_pendency_form_identifier'])).to.deep.equal(applicants.map((u) => u.id).reverse());
    const times = seen.map((p) => p['group_pendency_add_time'] as number);
    expect([...times].sort((l, r) => r - l)).to.deep.equal(times);
    expect(new Set(times).size).to.equal(25);
    expect(items(await page(o, 0, 0))).to.have.length(20);

    expect((await page(o))['group_pendency_result_unread_num']).to.equal(25);
    okJson(await o.call(FunctionId.GroupReportPendencyReaded, BigInt(times[10]!)));
    const after = await page(o);
    expect(after['group_pendency_result_read_time_seq']).to.equal(times[10]);
    expect(after['group_pendency_result_unread_num']).to.equal(10);
    expect(items(after)).to.have.length(20);
    okJson(await o.call(FunctionId.GroupReportPendencyReaded, BigInt(Math.floor(Date.now() / 1000) + 1)));
    expect((await page(o))['group_pendency_result_unread_num']).to.equal(0);
    expect((await page(a))['group_pendency_result_unread_num']).to.equal(25);
  });
});
