import { expect } from 'chai';
import { isRight, type Either } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import {
  Conversation, ConversationList, DecodeFailure, Message, MessageList, NetworkStatus, OutgoingMessage, SdkConfig, SetConfig,
  decodeJson, decodeValue, encodeJson,
} from '../../src/codecs/index.js';
import { parseJson } from '../../src/json/lossless.js';
import { vectorsOf } from '../support/spec-vectors.js';

function decoded<A>(r: Either<DecodeFailure, A>): A {
  if (!isRight(r)) throw new Error(`did not decode: ${r.left.message}`);
  return r.right;
}

/** encode ∘ decode is the identity on the spec's keys that the codec models. */
function expectRoundTrip<A, O>(codec: t.Type<A, O, unknown>, text: string): void {
  const value = decoded(decodeJson(codec, text));
  expect(parseJson(encodeJson(codec, value))).to.deep.equal(parseJson(text));
}

/**
 * For results, where absent output keys decode to the SDK's defaults:
 * encode ∘ decode keeps every key of the original with its value.
 */
function expectPreserved<A, O>(codec: t.Type<A, O, unknown>, text: string): void {
  const original = parseJson(text);
  const again = parseJson(encodeJson(codec, decoded(decodeJson(codec, text))));
  const pairs = Array.isArray(original) ? original.map((o, i) => [o, (again as unknown[])[i]]) : [[original, again]];
  for (const [o, a] of pairs) expect(a).to.deep.include(o as object);
}

describe('codecs against the spec vectors', () => {
  it('decodes TIMRecvNewMsgCallback text messages into the model', () => {
    const [vector] = vectorsOf('TIMRecvNewMsgCallback', 'event');
    const [message] = decoded(decodeJson(MessageList, vector!.text));
    expect(message).to.deep.include({
      conversation: { type: 'c2c', id: 'user2' },
      sender: 'user1',
      elements: [{ type: 'text', text: '123213213' }],
      isFromSelf: true,
      isRead: true,
      status: 'sent',
      seq: 1n,
      rand: 2130485001n,
      serverTime: 1551080111,
    });
  });

  it('keeps elements this version does not model (group tips, group report) whole', () => {
    for (const { text } of vectorsOf('TIMRecvNewMsgCallback', 'event')) {
      const list = decoded(decodeJson(MessageList, text));
      expect(list).to.have.length.greaterThan(0);
      for (const m of list) {
        for (const e of m.elements) {
          if (e.type === 'unknown') expect(e.raw).to.have.property('elem_type', e.elemType);
        }
      }
    }
  });

  it('re-encodes every message result vector with all its keys and values (send, find, get list)', () => {
    expectPreserved(Message, vectorsOf('TIMMsgSendNewMsg', 'result')[0]!.text);
    for (const api of ['TIMMsgFindByMsgLocatorList', 'TIMMsgGetMsgList']) {
      for (const { text } of vectorsOf(api, 'result')) expectPreserved(MessageList, text);
    }
  });

  it('round-trips the outgoing messages of TIMMsgSendNewMsg params', () => {
    const [vector] = vectorsOf('TIMMsgSendNewMsg', 'param');
    // The seed shows an array; each item carries the `in` keys plus some output keys.
    for (const item of vector!.json as Record<string, unknown>[]) {
      const out = decoded(decodeValue(OutgoingMessage, item));
      expect(out.elements).to.deep.equal([{ type: 'text', text: 'send text' }]);
      expect(out.clientTime).to.equal(1551446728);
    }
  });

  it('decodes ConvInfo of TIMConvCreate and TIMConvGetConvList, last message included', () => {
    const conv = decoded(decodeJson(Conversation, vectorsOf('TIMConvCreate', 'result')[0]!.text));
    expect(conv.key).to.deep.equal({ type: 'c2c', id: 'user2' });
    expect(conv.unreadCount).to.equal(1);
    expect(conv.activeTime).to.equal(1551269275n);
    expect(conv.lastMessage?.rand).to.equal(3726251374n);
    expect(conv.draft).to.equal(undefined);
    const list = decoded(decodeJson(ConversationList, vectorsOf('TIMConvGetConvList', 'result')[0]!.text));
    expect(list.map((c) => c.key.id)).to.include('user2');
  });

  it('decodes SdkConfig (2019 device info) and SetConfig params and round-trips them', () => {
    const sdk = decoded(decodeJson(SdkConfig, vectorsOf('TIMInit', 'param')[0]!.text));
    expect(sdk).to.deep.include({ configFilePath: 'D:\\', accountType: '107' });
    expect(sdk.deviceInfo).to.deep.equal({ devId: '12345678', platform: 4, devType: '' });
    expectRoundTrip(SdkConfig, vectorsOf('TIMInit', 'param')[0]!.text);
    expectRoundTrip(SetConfig, vectorsOf('TIMSetConfig', 'param')[0]!.text);
    const result = decoded(decodeJson(SetConfig, vectorsOf('TIMSetConfig', 'result')[0]!.text));
    expect(result).to.deep.include({ logToConsole: true, logLevel: 'verbose' });
    expect(result.userConfig).to.deep.include({ readReceipt: false, ignoreGroupTipsUnread: false });
  });

  it('maps the network status numbers of A.4 and refuses unknown ones', () => {
    expect([0, 1, 2, 3].map((n) => decoded(decodeValue(NetworkStatus, n)))).to.deep.equal(
      ['connected', 'disconnected', 'connecting', 'connect-failed']);
    expect(isRight(decodeValue(NetworkStatus, 7))).to.equal(false);
  });
});

describe('codecs: 64-bit fields and decode failures', () => {
  it('keeps message_unique_id above 2^53 exact, in and out', () => {
    const text = '[{"message_conv_id":"u","message_conv_type":1,"message_elem_array":[],"message_unique_id":6663412958246207489,"message_seq":18446744073709551615}]';
    const [m] = decoded(decodeJson(MessageList, text));
    expect(m!.uniqueId).to.equal(6663412958246207489n);
    expect(m!.seq).to.equal(18446744073709551615n);
    expect(encodeJson(Message, m!)).to.contain('"message_unique_id":6663412958246207489');
  });

  it('reports the io-ts path of what did not match', () => {
    const r = decodeJson(MessageList, '[{"message_conv_id":"u","message_conv_type":1,"message_elem_array":[{"elem_type":0}]}]');
    expect(isRight(r)).to.equal(false);
    if (!isRight(r)) expect(r.left.message).to.contain('text_elem_content');
  });

  it('refuses a negative or fractional uint64 and a conversation type outside A.2', () => {
    const bad = (json: string) => isRight(decodeJson(MessageList, json));
    expect(bad('[{"message_conv_id":"u","message_conv_type":1,"message_elem_array":[],"message_seq":-1}]')).to.equal(false);
    expect(bad('[{"message_conv_id":"u","message_conv_type":1,"message_elem_array":[],"message_seq":1.5}]')).to.equal(false);
    expect(bad('[{"message_conv_id":"u","message_conv_type":9,"message_elem_array":[]}]')).to.equal(false);
  });
});
