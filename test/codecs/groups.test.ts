/**
 * The group codecs against every group vector of the spec
 * (../shared/spec/examples/spec-vectors.json), the 2019 spellings, the owner
 * flag in both forms, the role numberings, and the tips / report views.
 */
import { expect } from 'chai';
import { isRight, type Either } from 'fp-ts/lib/Either.js';
import {
  CreateGroupParam, CreateGroupResult, DecodeFailure, GetGroupInfoResult, GroupBaseInfo, GroupBaseInfoList, GroupDeleteMemberParam,
  GroupDeleteMemberResult, GroupDetailInfo, GroupGetMemberInfoListParam, GroupGetMemberInfoListResult, GroupHandlePendencyParam,
  GroupInviteMemberParam, GroupInviteMemberResult, GroupMemberInfo, GroupMemberRole, GroupModifyInfoParam, GroupModifyMemberInfoParam,
  GroupPendencyOption, GroupPendencyResult, GroupTipsPayload, GroupType, MessageList, decodeJson, decodeValue, encodeJson,
  groupReportOf, groupTipsOf,
} from '../../src/codecs/index.js';
import * as t from 'io-ts';
import { parseJson } from '../../src/json/lossless.js';
import { vectorsOf } from '../support/spec-vectors.js';

function decoded<A>(r: Either<DecodeFailure, A>): A {
  if (!isRight(r)) throw new Error(`did not decode: ${r.left.message}`);
  return r.right;
}

const param = <A>(codec: t.Decoder<unknown, A>, api: string, i = 0): A => decoded(decodeJson(codec, vectorsOf(api, 'param')[i]!.text));
const result = <A>(codec: t.Decoder<unknown, A>, api: string): A => decoded(decodeJson(codec, vectorsOf(api, 'result')[0]!.text));

/** encode ∘ decode gives back the vector (for the params, whose keys the codecs all model). */
function roundTrips<A, O>(codec: t.Type<A, O, unknown>, api: string, i = 0): void {
  const { text } = vectorsOf(api, 'param')[i]!;
  expect(parseJson(encodeJson(codec, decoded(decodeJson(codec, text))))).to.deep.equal(parseJson(text));
}

describe('group codecs against the spec vectors', () => {
  it('TIMGroupCreate param and result', () => {
    expect(param(CreateGroupParam, 'TIMGroupCreate')).to.deep.equal({
      name: 'first group name', groupId: 'first group id', type: 'public', members: [], notification: 'group notification',
      introduction: 'group introduction', faceUrl: 'group face url', addOption: 'any', maxMemberCount: 2000,
    });
    roundTrips(CreateGroupParam, 'TIMGroupCreate');
    expect(result(CreateGroupResult, 'TIMGroupCreate')).to.deep.equal({ groupId: 'first group id' });
  });

  it('TIMGroupInviteMember / TIMGroupDeleteMember params and per-user results', () => {
    expect(param(GroupInviteMemberParam, 'TIMGroupInviteMember')).to.deep.equal({ groupId: 'first group id', userIds: ['user1', 'user2'], userData: 'userdata' });
    roundTrips(GroupInviteMemberParam, 'TIMGroupInviteMember');
    expect(param(GroupDeleteMemberParam, 'TIMGroupDeleteMember')).to.deep.equal({ groupId: 'third group id', userIds: ['user2', 'user3'], userData: 'reason' });
    roundTrips(GroupDeleteMemberParam, 'TIMGroupDeleteMember');
    expect(result(t.readonlyArray(GroupInviteMemberResult), 'TIMGroupInviteMember')).to.deep.equal([
      { userId: 'user2', result: 'ok' }, { userId: 'user3', result: 'ok' }]);
    expect(result(t.readonlyArray(GroupDeleteMemberResult), 'TIMGroupDeleteMember').map((r) => r.result)).to.deep.equal(['ok', 'ok']);
  });

  it('TIMGroupModifyGroupInfo: the owner flag as -2147483648 (and 2147483648); Name|Notification = 3; encoded back as the spec writes it', () => {
    expect(param(GroupModifyInfoParam, 'TIMGroupModifyGroupInfo', 0)).to.deep.equal({ groupId: 'first group id', owner: 'user2' });
    roundTrips(GroupModifyInfoParam, 'TIMGroupModifyGroupInfo', 0);
    const unsigned = decoded(decodeValue(GroupModifyInfoParam, {
      group_modify_info_param_group_id: 'g', group_modify_info_param_modify_flag: 2147483648, group_modify_info_param_owner: 'u',
    }));
    expect(unsigned).to.deep.equal({ groupId: 'g', owner: 'u' });
    expect(param(GroupModifyInfoParam, 'TIMGroupModifyGroupInfo', 1)).to.deep.equal({
      groupId: 'first group id', name: 'first group name to other name', notification: 'first group notification',
    });
    roundTrips(GroupModifyInfoParam, 'TIMGroupModifyGroupInfo', 1);
    // Fields the flag does not select are ignored, as by the SDK.
    const partial = decoded(decodeValue(GroupModifyInfoParam, {
      group_modify_info_param_group_id: 'g', group_modify_info_param_modify_flag: 4, group_modify_info_param_group_name: 'ignored',
      group_modify_info_param_introduction: 'intro',
    }));
    expect(partial).to.deep.equal({ groupId: 'g', introduction: 'intro' });
    const all = parseJson(encodeJson(GroupModifyInfoParam, { groupId: 'g', name: 'n', isAllMuted: true, addOption: 'auth' })) as Record<string, unknown>;
    expect(all['group_modify_info_param_modify_flag']).to.equal(1 | 16 | 256);
  });

  it('TIMGroupGetMemberInfoList param and the 2019 `memeber` result; GroupMemberInfo with the owner role 400', () => {
    expect(param(GroupGetMemberInfoListParam, 'TIMGroupGetMemberInfoList')).to.deep.equal({
      groupId: 'first group id', userIds: [], roles: [], nextSeq: 0n,
    });
    const r = result(GroupGetMemberInfoListResult, 'TIMGroupGetMemberInfoList');
    expect(r.nextSeq).to.equal(0n);
    expect(r.members).to.deep.equal([{
      userId: 'user1', joinTime: 1551344977, role: 'owner', receiveOption: 'receive', msgSeq: 0n, mutedUntil: 0, nameCard: '', customInfo: {},
    }]);
    const again = parseJson(encodeJson(GroupGetMemberInfoListResult, r)) as Record<string, unknown>;
    expect(again).to.have.property('group_get_member_info_list_result_next_seq', 0);
  });

  it('TIMGroupModifyMemberInfo: the spec example sends role 1 (2019 admin) with MemberRole|NameCard = 10', () => {
    const p = param(GroupModifyMemberInfoParam, 'TIMGroupModifyMemberInfo');
    expect(p).to.deep.equal({ groupId: 'third group id', userId: 'user2', role: 'admin', nameCard: 'change name card' });
    const out = parseJson(encodeJson(GroupModifyMemberInfoParam, p)) as Record<string, unknown>;
    expect(out).to.deep.include({ group_modify_member_info_modify_flag: 10, group_modify_member_info_member_role: 300 });
    const mute = parseJson(encodeJson(GroupModifyMemberInfoParam, { groupId: 'g', userId: 'u', muteSeconds: 60, receiveOption: 'not-notify' })) as Record<string, unknown>;
    expect(mute).to.deep.include({ group_modify_member_info_modify_flag: 5, group_modify_member_info_shutup_time: 60, group_modify_member_info_msg_flag: 2 });
  });

  it('pendency option, result and handle param; the pendency goes back whole', () => {
    expect(param(GroupPendencyOption, 'TIMGroupGetPendencyList')).to.deep.equal({ startTime: 0n, maxCount: 0 });
    roundTrips(GroupPendencyOption, 'TIMGroupGetPendencyList');
    const r = result(GroupPendencyResult, 'TIMGroupGetPendencyList');
    expect(r).to.deep.include({ nextStartTime: 0n, readTime: 0n, unreadCount: 1 });
    expect(r.pendencies[0]).to.deep.include({
      groupId: 'four group id', fromUserId: 'user2', toUserId: 'user1', addTime: 1551414487947n, type: 'join-request',
      handled: 'not-handled', handleResult: 'refused', applyMessage: 'Want Join Group, Thank you',
    });
    const h = param(GroupHandlePendencyParam, 'TIMGroupHandlePendency');
    expect(h).to.deep.include({ accept: true, message: 'I accept this pendency' });
    roundTrips(GroupHandlePendencyParam, 'TIMGroupHandlePendency');
  });

  it('TIMGroupGetJoinedGroupList (2019: type "Public", `lastest_seq`) and TIMGroupGetGroupInfoList (2019 `group_detial_info_*`)', () => {
    const [base] = result(GroupBaseInfoList, 'TIMGroupGetJoinedGroupList');
    expect(base).to.deep.equal({
      groupId: 'first group id', name: 'first group name', type: 'public', faceUrl: 'group face url', infoSeq: 7, latestSeq: 0n,
      readSeq: 0n, receiveOption: 'receive', isAllMuted: false,
      self: { joinTime: 1551344977, role: 'owner', unreadCount: 0, receiveOption: 'receive' },
    });
    const [info] = result(t.readonlyArray(GetGroupInfoResult), 'TIMGroupGetGroupInfoList');
    expect(info).to.deep.include({ code: 0, desc: '' });
    expect(info!.info).to.deep.include({
      groupId: 'first group id', type: 'public', owner: 'user1', memberCount: 1, maxMemberCount: 2000, addOption: 'any',
      createTime: 1551344977, infoSeq: 7, visible: 2, searchable: 2, customInfo: {}, lastSeq: 0n,
    });
    const v8 = parseJson(encodeJson(GroupDetailInfo, info!.info!)) as Record<string, unknown>;
    expect(v8).to.have.property('group_detail_info_owner_identifier', 'user1');
    expect(v8).to.have.property('group_detail_info_group_type', 0);
    expect(Object.keys(v8).some((k) => k.includes('detial'))).to.equal(false);
  });

  it('a v8 joined-group entry with base and detail keys in one object decodes both', () => {
    const entry = decoded(decodeValue(GroupBaseInfo, {
      group_base_info_group_id: 'g', group_base_info_group_type: 1, group_base_info_latest_seq: 9,
      group_detail_info_group_id: 'g', group_detail_info_member_num: 3, group_detail_info_custom_info: [
        { group_info_custom_string_info_key: 'k', group_info_custom_string_info_value: 'v' }],
    }));
    expect(entry).to.deep.include({ groupId: 'g', type: 'private', latestSeq: 9n });
    expect(entry.detail).to.deep.include({ memberCount: 3, customInfo: { k: 'v' } });
  });

  it('roles: v8 0/200/300/400 and the 4.6 numbering 1/2/3 on output; unknown numbers refused', () => {
    expect([0, 200, 300, 400, 1, 2, 3].map((n) => decoded(decodeValue(GroupMemberRole, n)))).to.deep.equal(
      ['none', 'member', 'admin', 'owner', 'member', 'admin', 'owner']);
    expect(isRight(decodeValue(GroupMemberRole, 250))).to.equal(false);
    expect(GroupMemberRole.encode('admin')).to.equal(300);
    expect(decoded(decodeValue(GroupType, 'AVChatRoom'))).to.equal('av-chat-room');
    expect(GroupType.encode('chat-room')).to.equal(2);
    const m = decoded(decodeValue(GroupMemberInfo, { group_member_info_identifier: 'u', group_member_info_custom_info: { a: 'b' } }));
    expect(m.customInfo).to.deep.equal({ a: 'b' });
  });
});

describe('group tips and reports', () => {
  it('the seed messages: a GroupReport as elem_type 9 and GroupTips as elem_type 6 are recognised by their keys', () => {
    const [reportVector, tipsVector] = vectorsOf('TIMRecvNewMsgCallback', 'event').slice(1);
    const [reportMessage] = decoded(decodeJson(MessageList, reportVector!.text));
    const reportElement = reportMessage!.elements[0]!;
    expect(reportElement.type).to.equal('groupReport');
    if (reportElement.type !== 'groupReport') return;
    const report = groupReportOf(reportElement);
    expect(report).to.deep.include({ kind: 'created', groupId: 'first group id', opUser: '', message: '' });
    expect(report.opMember).to.deep.include({ userId: 'user1', role: 'none' });

    const [tipsMessage] = decoded(decodeJson(MessageList, tipsVector!.text));
    const tipsElement = tipsMessage!.elements[0]!;
    expect(tipsElement.type).to.equal('groupTips');
    if (tipsElement.type !== 'groupTips') return;
    const tips = groupTipsOf(tipsElement);
    expect(tips).to.deep.include({ kind: 'info-changed', groupId: 'first group id', opUser: 'user1', memberCount: 0 });
    // 10 is "Name" in the 2019 numbering but MessageReceiveOpt in v8's, which tim-rx follows.
    expect(tips.kind === 'info-changed' && tips.changes[0]).to.deep.include({ field: 'other', flag: 10 });
  });

  it('TIMGroupTipsEventCallback: one object (v8) or an array (2019), elem_type optional; each kind carries its data', () => {
    const joined = {
      elem_type: 5, group_tips_elem_tip_type: 1, group_tips_elem_join_type: 2, group_tips_elem_group_id: 'g', group_tips_elem_op_user: 'a',
      group_tips_elem_user_array: ['b', 'c'], group_tips_elem_member_num: 3,
      group_tips_elem_op_group_memberinfo: { group_member_info_identifier: 'a', group_member_info_member_role: 400 },
    };
    const [one] = decoded(decodeJson(GroupTipsPayload, JSON.stringify(joined)));
    expect(one).to.deep.include({ kind: 'joined', joinType: 'invite', userIds: ['b', 'c'], groupId: 'g', opUser: 'a', memberCount: 3 });
    expect(one!.opMember).to.deep.include({ userId: 'a', role: 'owner' });
    const list = decoded(decodeJson(GroupTipsPayload, JSON.stringify([
      { group_tips_elem_tip_type: 3, group_tips_elem_user_array: ['x'] },
      { group_tips_elem_tip_type: 6, group_tips_elem_group_change_info_array: [
        { group_tips_group_change_info_flag: 5, group_tips_group_change_info_value: 'b' },
        { group_tips_group_change_info_flag: 8, group_tips_group_change_info_bool_value: true },
        { group_tips_group_change_info_flag: 11, group_tips_group_change_info_int_value: 1 }] },
      { group_tips_elem_tip_type: 7, group_tips_elem_member_change_info_array: [
        { group_tips_member_change_info_identifier: 'x', group_tips_member_change_info_shutupTime: 60 }] },
    ])));
    expect(list.map((tip) => tip.kind)).to.deep.equal(['kicked', 'info-changed', 'member-info-changed']);
    expect(list[1]!.kind === 'info-changed' && list[1]!.changes).to.deep.equal([
      { field: 'owner', value: 'b' }, { field: 'all-muted', value: true }, { field: 'add-option', value: 'auth' }]);
    expect(list[2]!.kind === 'member-info-changed' && list[2]!.mutes).to.deep.equal([{ userId: 'x', muteSeconds: 60 }]);
    expect(isRight(decodeJson(GroupTipsPayload, '{"group_tips_elem_tip_type":"x"}'))).to.equal(false);
  });
});
