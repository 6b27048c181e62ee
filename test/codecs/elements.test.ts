import { expect } from 'chai';
import { isRight, type Either } from 'fp-ts/lib/Either.js';
import {
  Element, MessageList, decodeJson, decodeValue, downloadParamsOf, encodeJson, type DecodeFailure,
} from '../../src/codecs/index.js';
import { parseJson } from '../../src/json/lossless.js';
import { vectorsOf } from '../support/spec-vectors.js';

function decoded<A>(r: Either<DecodeFailure, A>): A {
  if (!isRight(r)) throw new Error(`did not decode: ${r.left.message}`);
  return r.right;
}

/** encode ∘ decode is the identity on the element's keys. */
function roundTrip(raw: Record<string, unknown>) {
  const e = decoded(decodeValue(Element, raw));
  expect(parseJson(encodeJson(Element, e))).to.deep.equal(raw);
  return e;
}

/** v8 default shapes (reference § B.29) with values. */
const image = {
  elem_type: 1, image_elem_format: 3, image_elem_large_id: 'L', image_elem_large_pic_height: 30, image_elem_large_pic_size: 300,
  image_elem_large_pic_width: 40, image_elem_large_url: 'u:l', image_elem_level: 1, image_elem_orig_id: 'O',
  image_elem_orig_path: '/tmp/a.png', image_elem_orig_pic_height: 300, image_elem_orig_pic_size: 3000, image_elem_orig_pic_width: 400,
  image_elem_orig_url: 'u:o', image_elem_thumb_id: 'T', image_elem_thumb_pic_height: 3, image_elem_thumb_pic_size: 30,
  image_elem_thumb_pic_width: 4, image_elem_thumb_url: 'u:t',
};
const sound = { elem_type: 2, sound_elem_business_id: 0, sound_elem_file_id: 'S', sound_elem_file_path: '/tmp/a.mp3', sound_elem_file_size: 99, sound_elem_file_time: 7, sound_elem_url: 'u:s' };
const custom = { elem_type: 3, custom_elem_data: '{"k":1}', custom_elem_desc: 'd', custom_elem_ext: 'e', custom_elem_sound: 's' };
const file = { elem_type: 4, file_elem_business_id: 0, file_elem_file_id: 'F', file_elem_file_name: 'a.pdf', file_elem_file_path: '/tmp/a.pdf', file_elem_file_size: 12 };
const face = { elem_type: 6, face_elem_buf: 'b', face_elem_index: 3 };
const location = { elem_type: 7, location_elem_desc: 'Shenzhen', location_elem_latitude: 22.54, location_elem_longitude: 114.06 };
const video = {
  elem_type: 9, video_elem_business_id: 0, video_elem_image_height: 90, video_elem_image_id: 'VI', video_elem_image_path: '/tmp/v.jpg',
  video_elem_image_size: 900, video_elem_image_type: 'jpg', video_elem_image_width: 160, video_elem_video_duration: 5,
  video_elem_video_id: 'VV', video_elem_video_path: '/tmp/v.mp4', video_elem_video_size: 5000, video_elem_video_type: 'mp4',
  video_elem_video_url: 'u:v', video_elem_image_url: 'u:vi',
};
/** An embedded GroupMemberInfo as v8 writes it (reference § B.29: every key). */
const member = (id: string, role: number) => ({
  group_member_info_custom_info: [{ group_member_info_custom_string_info_key: 'k', group_member_info_custom_string_info_value: 'v' }],
  group_member_info_face_url: '', group_member_info_friend_remark: '', group_member_info_group_id: 'g', group_member_info_identifier: id,
  group_member_info_is_online: true, group_member_info_join_time: 1_700_000_000, group_member_info_member_role: role, group_member_info_msg_flag: 2,
  group_member_info_msg_seq: 0, group_member_info_name_card: `${id}'s card`, group_member_info_nick_name: '', group_member_info_online_devices: [],
  group_member_info_shutup_time: 0,
});
const tips = {
  elem_type: 5, group_tips_elem_group_id: 'g', group_tips_elem_join_type: 1, group_tips_elem_member_num: 3,
  group_tips_elem_op_group_memberinfo: member('alice', 400),
  group_tips_elem_changed_group_memberinfo_array: [member('bob', 200)],
  group_tips_elem_op_user: 'alice', group_tips_elem_op_user_info: { user_profile_identifier: 'alice', user_profile_nick_name: 'Al' },
  group_tips_elem_pinned_message_list: {}, group_tips_elem_platform: 'Linux', group_tips_elem_tip_type: 1,
  group_tips_elem_user_array: ['bob', 'carol'],
  group_tips_elem_member_change_info_array: [{ group_tips_member_change_info_identifier: 'bob', group_tips_member_change_info_shutupTime: 60 }],
  group_tips_elem_group_change_info_array: [{ group_tips_group_change_info_flag: 1, group_tips_group_change_info_value: 'new name' }],
};
const report = {
  elem_type: 8, group_report_elem_group_id: 'g', group_report_elem_msg: 'bye', group_report_elem_op_group_memberinfo: member('alice', 300),
  group_report_elem_op_user: 'alice', group_report_elem_op_user_info: {}, group_report_elem_platform: 'Linux',
  group_report_elem_report_type: 4, group_report_elem_user_data: '',
};

describe('codecs: the ten element types', () => {
  it('text, custom, face and location decode into the model and encode back to the same keys', () => {
    expect(roundTrip({ elem_type: 0, text_elem_content: 'hi' })).to.deep.equal({ type: 'text', text: 'hi' });
    expect(roundTrip(custom)).to.deep.equal({ type: 'custom', data: '{"k":1}', desc: 'd', ext: 'e', sound: 's' });
    expect(roundTrip(face)).to.deep.equal({ type: 'face', index: 3, buf: 'b' });
    expect(roundTrip(location)).to.deep.equal({ type: 'location', desc: 'Shenzhen', latitude: 22.54, longitude: 114.06 });
    expect(roundTrip({ elem_type: 3 })).to.deep.equal({ type: 'custom' });
  });

  it('image: path, level, format and the three sizes', () => {
    const e = roundTrip(image);
    expect(e).to.deep.include({ type: 'image', path: '/tmp/a.png', level: 'compressed', format: 3 });
    if (e.type !== 'image') throw new Error('not an image');
    expect(e.original).to.deep.equal({ id: 'O', width: 400, height: 300, size: 3000, url: 'u:o' });
    expect(e.thumb).to.deep.equal({ id: 'T', width: 4, height: 3, size: 30, url: 'u:t' });
    expect(roundTrip({ elem_type: 1, image_elem_orig_path: '/x.png' })).to.deep.equal({ type: 'image', path: '/x.png' });
  });

  it('sound, file and video, with their download parameters', () => {
    const s = roundTrip(sound);
    expect(s).to.deep.equal({ type: 'sound', path: '/tmp/a.mp3', size: 99, duration: 7, fileId: 'S', businessId: 0, url: 'u:s' });
    const f = roundTrip(file);
    expect(f).to.deep.equal({ type: 'file', path: '/tmp/a.pdf', name: 'a.pdf', size: 12, fileId: 'F', businessId: 0 });
    const v = roundTrip(video);
    expect(v).to.deep.include({ type: 'video', businessId: 0 });
    if (v.type !== 'video') throw new Error('not a video');
    expect(v.video).to.deep.equal({ path: '/tmp/v.mp4', type: 'mp4', size: 5000, duration: 5, id: 'VV', url: 'u:v' });
    expect(v.snapshot).to.deep.equal({ path: '/tmp/v.jpg', type: 'jpg', size: 900, width: 160, height: 90, id: 'VI', url: 'u:vi' });
    expect(downloadParamsOf(s)).to.deep.equal({ type: 'sound', id: 'S', url: 'u:s', businessId: 0 });
    expect(downloadParamsOf(f)).to.deep.equal({ type: 'file', id: 'F', businessId: 0 });
    expect(downloadParamsOf(v)).to.deep.equal({ type: 'video', id: 'VV', url: 'u:v', businessId: 0 });
    expect(downloadParamsOf(v, 'snapshot')).to.deep.equal({ type: 'video-thumb', id: 'VI', url: 'u:vi', businessId: 0 });
    expect(downloadParamsOf(roundTrip(image), 'thumb')).to.deep.equal({ type: 'file', id: 'T', url: 'u:t' });
    expect(downloadParamsOf({ type: 'text', text: 'x' })).to.equal(undefined);
  });

  it('group tips and group reports (v8 numbers 5 and 8) with nested profiles and change lists', () => {
    const t = roundTrip(tips);
    expect(t).to.deep.include({ type: 'groupTips', tipType: 'invite', groupId: 'g', users: ['bob', 'carol'], memberCount: 3 });
    if (t.type !== 'groupTips') throw new Error('not tips');
    expect(t.opUserInfo).to.deep.equal({ userId: 'alice', nickName: 'Al' });
    expect(t.memberChanges).to.deep.equal([{ userId: 'bob', shutUpTime: 60 }]);
    expect(t.groupChanges).to.deep.equal([{ flag: 1, value: 'new name' }]);
    // The embedded GroupMemberInfo objects are GroupMemberInfo models (group-member.ts).
    expect(t.opMemberInfo).to.deep.include({ userId: 'alice', role: 'owner', receiveOption: 'not-notify', nameCard: "alice's card", customInfo: { k: 'v' } });
    expect(t.changedMemberInfos?.map((m) => [m.userId, m.role, m.joinTime])).to.deep.equal([['bob', 'member', 1_700_000_000]]);
    const r = roundTrip(report);
    expect(r).to.deep.include({ type: 'groupReport', reportType: 'kicked', message: 'bye', opUser: 'alice' });
    expect(r.type === 'groupReport' && r.opMemberInfo).to.deep.include({ userId: 'alice', role: 'admin', isOnline: true });
  });

  it('an embedded GroupMemberInfo that names nobody decodes with userId "" and the member defaults; a bad role fails the element', () => {
    const e = decoded(decodeValue(Element, { ...report, group_report_elem_op_group_memberinfo: {} }));
    expect(e.type === 'groupReport' && e.opMemberInfo).to.deep.equal({
      userId: '', joinTime: 0, role: 'none', receiveOption: 'receive', msgSeq: 0n, mutedUntil: 0, nameCard: '', customInfo: {},
    });
    const bad = decodeValue(Element, { ...tips, group_tips_elem_op_group_memberinfo: { group_member_info_identifier: 'x', group_member_info_member_role: 7 } });
    expect(isRight(bad)).to.equal(false);
    if (!isRight(bad)) expect(bad.left.message).to.contain('group_tips_elem_op_group_memberinfo');
  });

  it('recognises the seed\'s group tips (elem_type 6) and group report (elem_type 9) by their keys', () => {
    const [, reportVector, tipsVector] = vectorsOf('TIMRecvNewMsgCallback', 'event');
    const [r] = decoded(decodeJson(MessageList, reportVector!.text));
    expect(r!.elements[0]).to.deep.include({ type: 'groupReport', reportType: 'created', groupId: 'first group id', platform: 'Windows' });
    expect(r!.conversation).to.deep.equal({ type: 'system', id: '' });
    const [t] = decoded(decodeJson(MessageList, tipsVector!.text));
    const tip = t!.elements[0]!;
    expect(tip).to.deep.include({ type: 'groupTips', tipType: 'group-info-change', groupName: 'first group name to other name' });
    if (tip.type !== 'groupTips') throw new Error('not tips');
    expect(tip.groupChanges).to.deep.equal([{ flag: 10, value: 'first group name to other name' }]);
    // Written back with the v8 number.
    expect((parseJson(encodeJson(Element, tip)) as { elem_type: number }).elem_type).to.equal(5);
  });

  it('keeps element types it does not model whole; refuses a face without index and a location without coordinates', () => {
    const merge = { elem_type: 12, merge_elem_title: 't', merge_elem_layer_over_limit: false };
    expect(roundTrip(merge)).to.deep.equal({ type: 'unknown', elemType: 12, raw: merge });
    expect(isRight(decodeValue(Element, { elem_type: 6 }))).to.equal(false);
    expect(isRight(decodeValue(Element, { elem_type: 7, location_elem_latitude: 1 }))).to.equal(false);
    const bad = decodeValue(Element, { elem_type: 1, image_elem_level: 9 });
    expect(isRight(bad)).to.equal(false);
    if (!isRight(bad)) expect(bad.left.message).to.contain('image_elem_level');
  });
});
