import { expect } from 'chai';
import { isRight, type Either } from 'fp-ts/lib/Either.js';
import { Conversation, ConversationList, decodeJson, decodeValue, encodeJson, type DecodeFailure } from '../../src/codecs/index.js';
import { parseJson } from '../../src/json/lossless.js';
import { vectorsOf } from '../support/spec-vectors.js';

function decoded<A>(r: Either<DecodeFailure, A>): A {
  if (!isRight(r)) throw new Error(`did not decode: ${r.left.message}`);
  return r.right;
}

/** A v8 ConvInfo of a group conversation (reference § B3), as the emulator writes it. */
const groupConv = {
  conv_active_time: 1_700_000_000, conv_face_url: '', conv_group_type: 4, conv_id: 'live', conv_is_has_draft: false,
  conv_is_has_lastmsg: false, conv_is_pinned: false, conv_owner: '', conv_recv_opt: 2, conv_show_name: 'live', conv_type: 2,
  conv_unread_num: 3,
};

describe('codecs: ConvInfo group type and receive option (conv_group_type, conv_recv_opt)', () => {
  it('decodes them with the group enum codecs into string literals, and encodes them back as numbers', () => {
    const c = decoded(decodeValue(Conversation, groupConv));
    expect(c).to.deep.include({ key: { type: 'group', id: 'live' }, unreadCount: 3, groupType: 'av-chat-room', receiveOption: 'not-notify' });
    const again = parseJson(encodeJson(Conversation, c)) as Record<string, unknown>;
    expect(again).to.deep.include({ conv_group_type: 4, conv_recv_opt: 2 });
    for (const [n, type] of [[0, 'public'], [1, 'private'], [2, 'chat-room'], [3, 'b-chat-room'], [5, 'community']] as const) {
      expect(decoded(decodeValue(Conversation, { ...groupConv, conv_group_type: n })).groupType).to.equal(type);
    }
    for (const [n, option] of [[0, 'receive'], [1, 'not-receive'], [3, 'not-notify-except-at']] as const) {
      expect(decoded(decodeValue(Conversation, { ...groupConv, conv_recv_opt: n })).receiveOption).to.equal(option);
    }
  });

  it('both are optional: absent (2019 ConvInfo, C2C) they are absent in the model and in the JSON written back', () => {
    const { conv_group_type: _t, conv_recv_opt: _r, ...bare } = groupConv;
    const c = decoded(decodeValue(Conversation, bare));
    expect(c).to.not.have.property('groupType');
    expect(c).to.not.have.property('receiveOption');
    expect(parseJson(encodeJson(Conversation, c))).to.not.have.any.keys('conv_group_type', 'conv_recv_opt');
    const list = decoded(decodeJson(ConversationList, vectorsOf('TIMConvGetConvList', 'result')[0]!.text));
    expect(list.every((x) => x.groupType === undefined)).to.equal(true);
  });

  it('accepts the 2019 string group type; refuses values outside A.12 / A.15 (naming the key)', () => {
    expect(decoded(decodeValue(Conversation, { ...groupConv, conv_group_type: 'AVChatRoom' })).groupType).to.equal('av-chat-room');
    const bad = decodeValue(Conversation, { ...groupConv, conv_recv_opt: 9 });
    expect(isRight(bad)).to.equal(false);
    if (!isRight(bad)) expect(bad.left.message).to.contain('conv_recv_opt');
    expect(isRight(decodeValue(Conversation, { ...groupConv, conv_group_type: 6 }))).to.equal(false);
  });
});
