import { expect } from 'chai';
import { parseJson } from '../../src/json/lossless.js';
import { ErrorCode } from '../../src/emulator/errors.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { harnessEachTest, textMessage } from './helpers.js';
import { intArgValue, strArg, type WireClient } from './wire-client.js';

type Json = Record<string, unknown>;

const SEED_KEYS = [
  'message_client_time', 'message_conv_id', 'message_conv_type', 'message_custom_int', 'message_custom_str',
  'message_elem_array', 'message_is_from_self', 'message_is_online_msg', 'message_is_peer_read', 'message_is_read',
  'message_msg_id', 'message_platform', 'message_priority', 'message_rand', 'message_sender', 'message_seq',
  'message_server_time', 'message_status', 'message_unique_id',
];

function send(c: WireClient, to: string, json: string, convType = 1) {
  return c.call(FunctionId.MsgSendNewMsg, [arg.str(to), arg.i64(convType), arg.str(json)]);
}

async function sendOk(c: WireClient, to: string, text: string, extra: Json = {}): Promise<Json> {
  const r = await send(c, to, textMessage(text, extra));
  expect(r.code, r.desc).to.equal(0);
  return parseJson(r.json) as Json;
}

async function nextMessages(c: WireClient): Promise<Json[]> {
  const e = await c.nextEvent(EventId.RecvNewMsg);
  expect(e.args).to.have.length(2);
  expect(e.args[1]?.tag, 'delivery token (u64)').to.equal(3);
  return parseJson(strArg(e.args[0])) as Json[];
}

async function nextConvEvent(c: WireClient): Promise<{ event: bigint; convs: Json[] }> {
  const e = await c.nextEvent(EventId.ConvEvent);
  return { event: intArgValue(e.args[0]), convs: parseJson(strArg(e.args[1])) as Json[] };
}

/** Logs out, then disconnects (the wire client has acknowledged every EVENT 1 it got). */
async function goOffline(c: WireClient): Promise<void> {
  expect((await c.call(FunctionId.Logout)).code).to.equal(0);
  c.close();
}

const textOf = (m: Json): unknown => (m['message_elem_array'] as Json[])[0]?.['text_elem_content'];

describe('emulator C2C messages and conversations', function () {
  this.timeout(15_000);
  const h = harnessEachTest({ unknownAccounts: 'refuse' }); // Tencent's rule: an id that never logged in is refused

  it('sends: reply (sender view), EVENT 1 to the peer (receiver view), EVENT 6 to both, unread 1 in the list', async () => {
    const alice = await h().loggedIn('alice');
    const bob = await h().loggedIn('bob');
    const before = Math.floor(Date.now() / 1000);
    const sent = await sendOk(alice, 'bob', 'hello bob');
    expect(Object.keys(sent)).to.deep.equal(SEED_KEYS);
    expect(sent).to.deep.include({
      message_conv_id: 'bob', message_conv_type: 1, message_sender: 'alice', message_is_from_self: true,
      message_is_read: true, message_is_peer_read: false, message_status: 2, message_seq: 1, message_priority: 1,
      message_custom_int: 0, message_custom_str: '', message_is_online_msg: false, message_platform: 0,
      message_elem_array: [{ elem_type: 0, text_elem_content: 'hello bob' }],
    });
    expect(sent['message_server_time']).to.be.within(before, before + 2);
    expect(sent['message_client_time']).to.equal(sent['message_server_time']);
    expect(sent['message_rand']).to.be.a('number').within(0, 2 ** 32 - 1);
    expect(sent['message_msg_id']).to.equal(`alice-${sent['message_client_time']}-${sent['message_rand']}`);

    const [received, ...rest] = await nextMessages(bob);
    expect(rest).to.deep.equal([]);
    expect(Object.keys(received!)).to.deep.equal(SEED_KEYS);
    expect(received).to.deep.include({
      message_conv_id: 'alice', message_sender: 'alice', message_is_from_self: false, message_is_read: false,
      message_seq: 1, message_rand: sent['message_rand'], message_unique_id: sent['message_unique_id'],
    });
    expect(textOf(received!)).to.equal('hello bob');

    const aliceConv = await nextConvEvent(alice);
    expect(aliceConv.event).to.equal(0n);
    expect(aliceConv.convs).to.have.length(1);
    expect(aliceConv.convs[0]).to.deep.include({ conv_id: 'bob', conv_type: 1, conv_unread_num: 0, conv_is_has_lastmsg: true });
    expect((aliceConv.convs[0]!['conv_last_msg'] as Json)['message_is_from_self']).to.equal(true);
    const bobConv = await nextConvEvent(bob);
    expect(bobConv.event).to.equal(0n);
    expect(bobConv.convs[0]).to.deep.include({ conv_id: 'alice', conv_unread_num: 1, conv_active_time: sent['message_server_time'] });
    expect((bobConv.convs[0]!['conv_last_msg'] as Json)['message_conv_id']).to.equal('alice');

    const list = await bob.call(FunctionId.ConvGetConvList);
    expect(list.code).to.equal(0);
    const convs = parseJson(list.json) as Json[];
    expect(convs).to.have.length(1);
    expect(Object.keys(convs[0]!)).to.deep.equal([
      'conv_active_time', 'conv_face_url', 'conv_id', 'conv_is_has_draft', 'conv_is_has_lastmsg', 'conv_is_pinned',
      'conv_last_msg', 'conv_owner', 'conv_recv_opt', 'conv_show_name', 'conv_type', 'conv_unread_num',
    ]);
    expect(convs[0]).to.deep.include({
      conv_id: 'alice', conv_type: 1, conv_owner: '', conv_unread_num: 1, conv_is_has_draft: false,
      conv_is_pinned: false, conv_face_url: '', conv_show_name: 'alice', conv_recv_opt: 0,
    });
    expect(textOf(convs[0]!['conv_last_msg'] as Json)).to.equal('hello bob');
  });

  it('numbers seq per ordered pair, sends Update (2) conv events afterwards and counts unread', async () => {
    const alice = await h().loggedIn('alice');
    const bob = await h().loggedIn('bob');
    expect((await sendOk(alice, 'bob', 'one'))['message_seq']).to.equal(1);
    expect((await sendOk(alice, 'bob', 'two'))['message_seq']).to.equal(2);
    expect((await sendOk(bob, 'alice', 'back'))['message_seq']).to.equal(1);
    const bobEvents = [await nextConvEvent(bob), await nextConvEvent(bob), await nextConvEvent(bob)];
    expect(bobEvents.map((e) => e.event)).to.deep.equal([0n, 2n, 2n]);
    expect(bobEvents.map((e) => e.convs[0]!['conv_unread_num'])).to.deep.equal([1, 2, 2]);
    const aliceEvents = [await nextConvEvent(alice), await nextConvEvent(alice), await nextConvEvent(alice)];
    expect(aliceEvents.map((e) => e.event)).to.deep.equal([0n, 2n, 2n]);
    expect(aliceEvents.map((e) => e.convs[0]!['conv_unread_num'])).to.deep.equal([0, 0, 1]);
  });

  it('lists conversations most recently active first', async () => {
    const alice = await h().loggedIn('alice');
    for (const u of ['u1', 'u2', 'u3']) await goOffline(await h().loggedIn(u));
    await sendOk(alice, 'u2', 'x');
    await sendOk(alice, 'u1', 'x');
    await sendOk(alice, 'u3', 'x');
    await sendOk(alice, 'u1', 'again');
    const convs = parseJson((await alice.call(FunctionId.ConvGetConvList)).json) as Json[];
    expect(convs.map((c) => c['conv_id'])).to.deep.equal(['u1', 'u3', 'u2']);
  });

  it('writes message_unique_id = (server_time << 32) | rand as exact raw JSON digits above 2^53', async () => {
    const alice = await h().loggedIn('alice');
    const bob = await h().loggedIn('bob');
    const r = await send(alice, 'bob', textMessage('id'));
    const event = strArg((await bob.nextEvent(EventId.RecvNewMsg)).args[0]);
    for (const raw of [r.json, event]) {
      const digits = /"message_unique_id":(\d+)[,}]/.exec(raw)?.[1];
      const serverTime = BigInt(/"message_server_time":(\d+)/.exec(raw)![1]!);
      const rand = BigInt(/"message_rand":(\d+)/.exec(raw)![1]!);
      expect(digits).to.equal(((serverTime << 32n) | rand).toString());
      expect(BigInt(digits!) > 2n ** 53n).to.equal(true);
    }
    const parsed = parseJson(r.json) as Json;
    expect(parsed['message_unique_id']).to.be.a('bigint');
  });

  it('keeps given priority, client time and non-text elements (keys sorted), and 64-bit values inside them', async () => {
    const alice = await h().loggedIn('alice');
    await h().loggedIn('bob');
    const json =
      '{"message_priority":0,"message_client_time":1551446728,"message_elem_array":[' +
      '{"elem_type":3,"custom_elem_data":"d","custom_elem_desc":"x","big":18446744073709551615},' +
      '{"text_elem_content":"t","elem_type":0}]}';
    const r = await send(alice, 'bob', json);
    expect(r.code, r.desc).to.equal(0);
    expect(r.json).to.contain(
      '"message_elem_array":[{"big":18446744073709551615,"custom_elem_data":"d","custom_elem_desc":"x","elem_type":3},' +
        '{"elem_type":0,"text_elem_content":"t"}]',
    );
    const m = parseJson(r.json) as Json;
    expect(m).to.deep.include({ message_priority: 0, message_client_time: 1551446728 });
    const proto = await send(alice, 'bob', '{"message_elem_array":[{"elem_type":3,"__proto__":{"p":1},"custom_elem_data":"d"}]}');
    expect(proto.json).to.contain('"message_elem_array":[{"__proto__":{"p":1},"custom_elem_data":"d","elem_type":3}]');
    expect(m['message_msg_id']).to.equal(`alice-1551446728-${m['message_rand']}`);
  });

  it('delivers messages sent while the receiver was offline right after its login, once', async () => {
    await goOffline(await h().loggedIn('bob'));
    const alice = await h().loggedIn('alice');
    for (const t of ['m1', 'm2', 'm3']) await sendOk(alice, 'bob', t);
    const bob = await h().loggedIn('bob');
    const got = await nextMessages(bob);
    expect(got.map(textOf)).to.deep.equal(['m1', 'm2', 'm3']);
    expect(got.map((m) => m['message_seq'])).to.deep.equal([1, 2, 3]);
    expect(got.every((m) => m['message_conv_id'] === 'alice' && m['message_is_from_self'] === false)).to.equal(true);
    bob.close();
    const again = await h().loggedIn('bob');
    await again.expectNoEvent(EventId.RecvNewMsg);
  });

  it('does not deliver again what was delivered live', async () => {
    const alice = await h().loggedIn('alice');
    const bob = await h().loggedIn('bob');
    await sendOk(alice, 'bob', 'live');
    expect((await nextMessages(bob)).map(textOf)).to.deep.equal(['live']);
    await goOffline(bob);
    await sendOk(alice, 'bob', 'while away');
    const back = await h().loggedIn('bob');
    expect((await nextMessages(back)).map(textOf)).to.deep.equal(['while away']);
    await back.expectNoEvent(EventId.RecvNewMsg);
  });

  it('sends a large backlog in EVENT 1 batches of at most 100, in order, then live messages after it', async () => {
    await goOffline(await h().loggedIn('bob'));
    const alice = await h().loggedIn('alice');
    for (let i = 1; i <= 230; i++) alice.callNoReply(FunctionId.MsgSendNewMsg, [arg.str('bob'), arg.i64(1), arg.str(textMessage(`n${i}`))]);
    await alice.call(FunctionId.ConvGetConvList); // frames of a connection are handled in order
    const bob = await h().loggedIn('bob');
    await sendOk(alice, 'bob', 'after');
    const batches = [await nextMessages(bob), await nextMessages(bob), await nextMessages(bob)];
    expect(batches.map((b) => b.length)).to.deep.equal([100, 100, 30]);
    expect(batches.flat().map((m) => m['message_seq'])).to.deep.equal(Array.from({ length: 230 }, (_, i) => i + 1));
    const last = await nextMessages(bob);
    expect(last.map(textOf)).to.deep.equal(['after']);
    await bob.expectNoEvent(EventId.RecvNewMsg);
  });

  it('keeps messages, conversations and seq across close() and a restart on the same database', async () => {
    await goOffline(await h().loggedIn('bob'));
    const alice = await h().loggedIn('alice');
    await sendOk(alice, 'bob', 'before restart');
    await h().restart();
    const bob = await h().loggedIn('bob');
    expect((await nextMessages(bob)).map(textOf)).to.deep.equal(['before restart']);
    const alice2 = await h().loggedIn('alice');
    expect((await sendOk(alice2, 'bob', 'after restart'))['message_seq']).to.equal(2);
    const convs = parseJson((await bob.call(FunctionId.ConvGetConvList)).json) as Json[];
    expect(convs[0]).to.deep.include({ conv_id: 'alice', conv_unread_num: 2 });
  });

  it('online-only messages reach a logged-in receiver but are neither queued nor counted', async () => {
    const alice = await h().loggedIn('alice');
    const bob = await h().loggedIn('bob');
    const sent = await sendOk(alice, 'bob', 'typing…', { message_is_online_msg: true });
    expect(sent['message_is_online_msg']).to.equal(true);
    expect((await nextMessages(bob))[0]).to.deep.include({ message_is_online_msg: true });
    await bob.expectNoEvent(EventId.ConvEvent, 50);
    await goOffline(bob);
    await sendOk(alice, 'bob', 'lost', { message_is_online_msg: true });
    const back = await h().loggedIn('bob');
    await back.expectNoEvent(EventId.RecvNewMsg);
    expect((await back.call(FunctionId.ConvGetConvList)).json).to.equal('[]');
  });

  it('a message to oneself is stored in one conversation without unread or EVENT 1', async () => {
    const alice = await h().loggedIn('alice');
    expect((await sendOk(alice, 'alice', 'note'))['message_conv_id']).to.equal('alice');
    const conv = await nextConvEvent(alice);
    expect(conv.convs[0]).to.deep.include({ conv_id: 'alice', conv_unread_num: 0 });
    await alice.expectNoEvent(EventId.RecvNewMsg, 50);
  });

  it('refuses bad sends with 6017 / 6016 / 20003 / 10010 / 6004 / 80002 and stores nothing', async () => {
    /** A text message whose element nests `levels` deep (the element is level 1; the message text, 2 more). */
    const nestedMessage = (levels: number): string =>
      `{"message_elem_array":[{"elem_type":0,"text_elem_content":"x","x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}]}`;
    const alice = await h().loggedIn('alice');
    const bob = await h().loggedIn('bob');
    const cases: Array<[string, number, string, number, RegExp]> = [
      ['bob', 1, '{"message_elem_array":[', ErrorCode.INVALID_PARAMETERS, /json_msg_param is not valid JSON/],
      ['bob', 1, '[{"message_elem_array":[]}]', ErrorCode.INVALID_PARAMETERS, /JSON object/],
      ['bob', 1, '{}', ErrorCode.INVALID_MSG_ELEM, /non-empty/],
      ['bob', 1, '{"message_elem_array":[]}', ErrorCode.INVALID_MSG_ELEM, /non-empty/],
      ['bob', 1, '{"message_elem_array":{"elem_type":0}}', ErrorCode.INVALID_MSG_ELEM, /array/],
      ['bob', 1, '{"message_elem_array":[{"elem_type":0}]}', ErrorCode.INVALID_MSG_ELEM, /text_elem_content/],
      ['bob', 1, '{"message_elem_array":[{"elem_type":0,"text_elem_content":5}]}', ErrorCode.INVALID_MSG_ELEM, /text_elem_content/],
      ['bob', 1, '{"message_elem_array":[7]}', ErrorCode.INVALID_MSG_ELEM, /not an object/],
      ['bob', 1, '{"message_elem_array":[{"text_elem_content":"x"}]}', ErrorCode.INVALID_MSG_ELEM, /elem_type/],
      ['bob', 1, '{"message_elem_array":[{"elem_type":5}]}', ErrorCode.INVALID_MSG_ELEM, /GroupTips/],
      ['bob', 1, nestedMessage(65), ErrorCode.INVALID_MSG_ELEM, /message_elem_array\[0\] nests arrays and objects deeper than 64 levels/],
      ['bob', 1, nestedMessage(200), ErrorCode.INVALID_PARAMETERS, /json_msg_param nests arrays and objects deeper than 128 levels/],
      ['nobody', 1, textMessage('x'), ErrorCode.MSG_INVALID_ID, /never logged in/],
      ['', 1, textMessage('x'), ErrorCode.INVALID_PARAMETERS, /conv_id/],
      ['group1', 2, textMessage('x'), 10010, /does not exist/], // ERR_SVR_GROUP_NOT_FOUND (group sends: src/emulator/groups)
      ['bob', 3, textMessage('x'), ErrorCode.INVALID_CONVERSATION, /conv_type 3/],
      ['bob', 1, textMessage('x'.repeat(13_000)), ErrorCode.BODY_SIZE_LIMIT, /limit/],
    ];
    for (const [to, type, json, code, desc] of cases) {
      const r = await send(alice, to, json, type);
      expect(r.code, `${json.slice(0, 40)} → ${r.desc}`).to.equal(code);
      expect(r.desc).to.match(desc);
    }
    const wrongArgs = await alice.call(FunctionId.MsgSendNewMsg, [arg.str('bob'), arg.str('1'), arg.str(textMessage('x'))]);
    expect(wrongArgs.code).to.equal(ErrorCode.INVALID_PARAMETERS);
    await bob.expectNoEvent(EventId.RecvNewMsg, 50);
    expect((await alice.call(FunctionId.ConvGetConvList)).json).to.equal('[]');
    expect((await sendOk(alice, 'bob', 'first real'))['message_seq']).to.equal(1);
  });
});
