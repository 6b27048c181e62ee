import { expect } from 'chai';
import { isRight, type Either } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import {
  BatchSendParams, BatchSendResultList, Conversation, DeleteMessageParams, DownloadElementParams, DownloadProgress, Draft,
  GetMessageListParams, Message, MessageLocatorList, MessageReceiptList, OutgoingMessage, decodeJson, decodeValue, encodeJson,
  locatorOf, type DecodeFailure,
} from '../../src/codecs/index.js';
import { parseJson } from '../../src/json/lossless.js';
import { vectorsOf } from '../support/spec-vectors.js';

function decoded<A>(r: Either<DecodeFailure, A>): A {
  if (!isRight(r)) throw new Error(`did not decode: ${r.left.message}`);
  return r.right;
}

/** encode ∘ decode = identity on the spec's keys. */
function identity<A, O>(codec: t.Type<A, O, unknown>, text: string): A {
  const value = decoded(decodeJson(codec, text));
  expect(parseJson(encodeJson(codec, value))).to.deep.equal(parseJson(text));
  return value;
}

/** encode ∘ decode keeps every key of the original with its value (renamed keys are written under both spellings). */
function preserved<A, O>(codec: t.Type<A, O, unknown>, text: string): A {
  const value = decoded(decodeJson(codec, text));
  const original = parseJson(text);
  const again = parseJson(encodeJson(codec, value));
  const pairs = Array.isArray(original) ? original.map((o, i) => [o, (again as unknown[])[i]]) : [[original, again]];
  for (const [o, a] of pairs) expect(a).to.deep.include(o as object);
  return value;
}

describe('codecs: message parameters and results against the spec vectors', () => {
  it('Draft (TIMConvSetDraft param) round-trips', () => {
    const d = identity(Draft, vectorsOf('TIMConvSetDraft', 'param')[0]!.text);
    expect(d).to.deep.equal({ message: { elements: [{ type: 'text', text: 'this draft' }] }, userDefine: 'this is userdefine', editTime: 1551271429 });
  });

  it('TIMMsgSendNewMsg and TIMMsgImportMsgList params round-trip as outgoing messages (sender and server time kept)', () => {
    const list = t.readonlyArray(OutgoingMessage);
    const [sent] = identity(list, vectorsOf('TIMMsgSendNewMsg', 'param')[0]!.text);
    expect(sent).to.deep.include({ sender: 'user1', serverTime: 1551446728, clientTime: 1551446728 });
    const [imported] = identity(list, vectorsOf('TIMMsgImportMsgList', 'param')[0]!.text);
    expect(imported!.elements).to.deep.equal([{ type: 'text', text: 'this is import msg' }]);
  });

  it('MsgLocator list (TIMMsgFindByMsgLocatorList param) round-trips; locatorOf builds one from a message', () => {
    const [l] = identity(MessageLocatorList, vectorsOf('TIMMsgFindByMsgLocatorList', 'param')[0]!.text);
    expect(l).to.deep.equal({ isRevoked: false, isSelf: false, rand: 12345678n, seq: 1n, time: 123 });
    const [m] = decoded(decodeJson(t.readonlyArray(Message), vectorsOf('TIMMsgFindByMsgLocatorList', 'result')[0]!.text));
    expect(locatorOf(m!)).to.deep.equal({
      conversation: { type: 'c2c', id: 'user2' }, isRevoked: false, time: 1551080111, seq: 1n, isSelf: true, rand: 2130485001n,
    });
    identity(MessageLocatorList, encodeJson(MessageLocatorList, [locatorOf(m!)]));
  });

  it('MsgGetMsgListParam: `{}` anchor is null; the 2019 key is read and written under both spellings', () => {
    const p = preserved(GetMessageListParams, vectorsOf('TIMMsgGetMsgList', 'param')[0]!.text);
    expect(p).to.deep.equal({ anchor: null, count: 100, isRamble: false, isForward: true });
    expect(parseJson(encodeJson(GetMessageListParams, p))).to.deep.include({ msg_getmsglist_param_is_ramble: false });
    const [m] = decoded(decodeJson(t.readonlyArray(Message), vectorsOf('TIMMsgGetMsgList', 'result')[0]!.text));
    const withAnchor = identity(GetMessageListParams, encodeJson(GetMessageListParams, { anchor: m!, count: 2, isForward: false }));
    expect(withAnchor.anchor).to.deep.include({ seq: 1n, sender: 'user1' });
  });

  it('MsgDeleteParam: `{}` is null (the whole conversation)', () => {
    const p = preserved(DeleteMessageParams, vectorsOf('TIMMsgDelete', 'param')[0]!.text);
    expect(p).to.deep.equal({ message: null, isRamble: false });
  });

  it('MsgBatchSendParam round-trips; MsgBatchSendResult decodes with every key kept', () => {
    const p = identity(BatchSendParams, vectorsOf('TIMMsgBatchSend', 'param')[0]!.text);
    expect(p.recipients).to.deep.equal(['user2', 'user3']);
    const results = preserved(BatchSendResultList, vectorsOf('TIMMsgBatchSend', 'result')[0]!.text);
    expect(results.map((r) => [r.recipient, r.code, r.message?.seq])).to.deep.equal([['test_win_05', 0, 10274n], ['test_win_02', 0, 10276n]]);
  });

  it('MsgDownloadElemResult decodes; MsgDownloadElemParam round-trips', () => {
    expect(identity(DownloadProgress, vectorsOf('TIMMsgDownloadElemToPath', 'result')[0]!.text)).to.deep.equal({ current: 10, total: 100 });
    const raw = '{"msg_download_elem_param_business_id":0,"msg_download_elem_param_id":"abc","msg_download_elem_param_type":3,"msg_download_elem_param_url":"u"}';
    expect(identity(DownloadElementParams, raw)).to.deep.equal({ type: 'sound', id: 'abc', businessId: 0, url: 'u' });
  });

  it('every message, conversation and send result vector decodes', () => {
    for (const api of ['TIMRecvNewMsgCallback']) for (const v of vectorsOf(api, 'event')) decoded(decodeJson(t.readonlyArray(Message), v.text));
    decoded(decodeJson(Message, vectorsOf('TIMMsgSendNewMsg', 'result')[0]!.text));
    decoded(decodeJson(Conversation, vectorsOf('TIMConvCreate', 'result')[0]!.text));
    decoded(decodeJson(t.readonlyArray(Conversation), vectorsOf('TIMConvGetConvList', 'result')[0]!.text));
  });

  it('MessageReceipt and revoke locators (v8 revoker keys) decode; a draft shows in ConvInfo', () => {
    const receipts = decoded(decodeJson(MessageReceiptList,
      '[{"msg_receipt_conv_id":"bob","msg_receipt_conv_type":1,"msg_receipt_time_stamp":1551080111,"msg_receipt_is_peer_read":true}]'));
    expect(receipts).to.deep.equal([{ conversation: { type: 'c2c', id: 'bob' }, timestamp: 1551080111, isPeerRead: true }]);
    const revoked = decoded(decodeJson(MessageLocatorList,
      '[{"message_locator_conv_id":"bob","message_locator_conv_type":1,"message_locator_is_revoked":true,"message_locator_is_self":false,' +
      '"message_locator_rand":7,"message_locator_seq":2,"message_locator_time":9,"message_locator_unique_id":6663412958246207489,' +
      '"message_revoker_user_id":"bob","message_revoke_reason":""}]'));
    expect(revoked[0]).to.deep.include({ conversation: { type: 'c2c', id: 'bob' }, isRevoked: true, revoker: 'bob', uniqueId: 6663412958246207489n });
    const conv = decoded(decodeValue(Conversation, {
      conv_id: 'bob', conv_type: 1, conv_is_has_draft: true, conv_is_has_lastmsg: false,
      conv_draft: parseJson(vectorsOf('TIMConvSetDraft', 'param')[0]!.text),
    }));
    expect(conv.draft?.userDefine).to.equal('this is userdefine');
    expect(conv.lastMessage).to.equal(undefined);
  });
});
