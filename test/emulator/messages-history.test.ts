import { expect } from 'chai';
import { ErrorCode } from '../../src/emulator/errors.js';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import {
  MessageHarness, conversation, convCall, getList, nextConv, okJson, send, textOf, type Json,
} from './message-helpers.js';
import type { WireClient } from './wire-client.js';

const page = async (c: WireClient, to: string, param: Json): Promise<unknown[]> => okJson<Json[]>(await getList(c, to, param)).map(textOf);

describe('emulator: message history (get list, find, delete, import, save)', function () {
  this.timeout(15_000);
  let h: MessageHarness;
  let alice: WireClient;
  let bob: WireClient;
  let sent: Json[];

  beforeEach(async () => {
    h = await new MessageHarness({ unknownAccounts: 'refuse' }).start(); // Tencent's rule: an unknown peer is 20003
    alice = await h.user('alice');
    bob = await h.user('bob');
    sent = [];
    for (const [from, to, t] of [[alice, 'bob', 'm1'], [bob, 'alice', 'm2'], [alice, 'bob', 'm3'], [alice, 'bob', 'm4'], [bob, 'alice', 'm5']] as const) {
      sent.push(await send(from, to, t));
    }
  });
  afterEach(async () => {
    await h.close();
  });

  it('pages backward from the newest and forward from the oldest; the last message of a page anchors the next; [] past the ends', async () => {
    const newest = okJson<Json[]>(await getList(alice, 'bob', { msg_getmsglist_param_count: 2, msg_getmsglist_param_last_msg: {} }));
    expect(newest.map(textOf)).to.deep.equal(['m5', 'm4']);
    expect(newest.map((m) => m['message_is_from_self'])).to.deep.equal([false, true]);
    const older = okJson<Json[]>(await getList(alice, 'bob', { msg_getmsglist_param_count: 2, msg_getmsglist_param_last_msg: newest[1] }));
    expect(older.map(textOf)).to.deep.equal(['m3', 'm2']);
    expect(await page(alice, 'bob', { msg_getmsglist_param_count: 5, msg_getmsglist_param_last_msg: older[1] })).to.deep.equal(['m1']);
    expect(await page(alice, 'bob', { msg_getmsglist_param_count: 5, msg_getmsglist_param_last_msg: sent[0] })).to.deep.equal([]);

    const first = okJson<Json[]>(await getList(bob, 'alice', { msg_getmsglist_param_count: 3, msg_getmsglist_param_is_forward: true }));
    expect(first.map(textOf)).to.deep.equal(['m1', 'm2', 'm3']);
    expect(await page(bob, 'alice', { msg_getmsglist_param_count: 3, msg_getmsglist_param_is_forward: true, msg_getmsglist_param_last_msg: first[2] }))
      .to.deep.equal(['m4', 'm5']);
    expect(await page(bob, 'alice', { msg_getmsglist_param_count: 3, msg_getmsglist_param_is_forward: true, msg_getmsglist_param_last_msg: sent[4] }))
      .to.deep.equal([]);
    // Default count 20; the seed's 2019 key is accepted (and ignored).
    expect(await page(alice, 'bob', { msg_getmsglist_param_is_remble: false })).to.have.length(5);
  });

  it('shows read state in history: own messages peer-read once the peer reported; received ones read after reporting', async () => {
    okJson(await convCall(bob, FunctionId.MsgReportReaded, 'alice', sent[2]!));
    const aView = okJson<Json[]>(await getList(alice, 'bob', { msg_getmsglist_param_count: 5, msg_getmsglist_param_is_forward: true }));
    expect(aView.filter((m) => m['message_is_from_self']).map((m) => [textOf(m), m['message_is_peer_read']]))
      .to.deep.equal([['m1', true], ['m3', true], ['m4', false]]);
    const bView = okJson<Json[]>(await getList(bob, 'alice', { msg_getmsglist_param_count: 5, msg_getmsglist_param_is_forward: true }));
    expect(bView.filter((m) => !m['message_is_from_self']).map((m) => [textOf(m), m['message_is_read']]))
      .to.deep.equal([['m1', true], ['m3', true], ['m4', false]]);
  });

  it('refuses a bad count (6017) and an anchor of another conversation (6017); an unknown peer is 20003; no history is []', async () => {
    expect((await getList(alice, 'bob', { msg_getmsglist_param_count: 0 })).code).to.equal(ErrorCode.INVALID_PARAMETERS);
    const foreign = { ...sent[0], message_seq: 999 };
    const r = await getList(alice, 'bob', { msg_getmsglist_param_count: 1, msg_getmsglist_param_last_msg: foreign });
    expect(r.code).to.equal(ErrorCode.INVALID_PARAMETERS);
    expect(r.desc).to.match(/last_msg/);
    expect((await getList(alice, 'nobody', { msg_getmsglist_param_count: 1 })).code).to.equal(ErrorCode.MSG_INVALID_ID);
    await h.user('carol');
    expect(okJson(await getList(alice, 'carol', {}))).to.deep.equal([]);
  });

  it('finds messages by locator, in locator order, leaving out unknown ones', async () => {
    const loc = (m: Json, isSelf: boolean): Json => ({
      message_locator_is_revoked: false, message_locator_is_self: isSelf, message_locator_rand: m['message_rand'],
      message_locator_seq: m['message_seq'], message_locator_time: m['message_server_time'],
    });
    const found = okJson<Json[]>(await convCall(alice, FunctionId.MsgFindByMsgLocatorList, 'bob',
      [loc(sent[3]!, true), loc(sent[1]!, false), { ...loc(sent[0]!, true), message_locator_rand: 1 }, loc(sent[1]!, true)]));
    expect(found.map(textOf)).to.deep.equal(['m4', 'm2']);
    expect(okJson(await convCall(alice, FunctionId.MsgFindByMsgLocatorList, 'bob', []))).to.deep.equal([]);
    expect((await convCall(alice, FunctionId.MsgFindByMsgLocatorList, 'bob', '{}')).code).to.equal(ErrorCode.INVALID_PARAMETERS);
  });

  it('deletes one message, then all, for one user only; the conversation follows (last message, EVENT 6)', async () => {
    await alice.call(FunctionId.ConvGetConvList); // every earlier event has arrived
    alice.takeEvents(6);
    okJson(await convCall(alice, FunctionId.MsgDelete, 'bob', { msg_delete_param_msg: sent[4], msg_delete_param_is_ramble: false }));
    expect(await page(alice, 'bob', {})).to.deep.equal(['m4', 'm3', 'm2', 'm1']);
    const update = await nextConv(alice);
    expect(update.kind).to.equal(2n);
    expect(textOf(update.convs[0]!['conv_last_msg'] as Json)).to.equal('m4');
    expect(await page(bob, 'alice', {})).to.have.length(5);
    const again = await convCall(alice, FunctionId.MsgDelete, 'bob', { msg_delete_param_msg: sent[4] });
    expect(again.code).to.equal(ErrorCode.INVALID_PARAMETERS);

    okJson(await convCall(alice, FunctionId.MsgDelete, 'bob', { msg_delete_param_msg: {}, msg_delete_param_is_remble: false }));
    expect(await page(alice, 'bob', {})).to.deep.equal([]);
    expect((await conversation(alice, 'bob'))?.['conv_is_has_lastmsg']).to.equal(false);
    await send(bob, 'alice', 'm6');
    expect(await page(alice, 'bob', {})).to.deep.equal(['m6']);
    expect(await page(bob, 'alice', {})).to.have.length(6);
  });

  it('imports and saves messages seen by their owner only, in time order, with status 5; both survive a restart', async () => {
    const old = { message_elem_array: [{ elem_type: 0, text_elem_content: 'old' }], message_sender: 'bob', message_server_time: 1_000_000, message_seq: 7 };
    const mine = { message_elem_array: [{ elem_type: 0, text_elem_content: 'mine' }], message_client_time: 1_000_001 };
    okJson(await convCall(alice, FunctionId.MsgImportMsgList, 'bob', [old, mine]));
    const saved = okJson(await convCall(alice, FunctionId.MsgSaveMsg, 'bob', { message_elem_array: [{ elem_type: 3, custom_elem_data: 'tip' }] }));
    expect(saved).to.deep.include({ message_status: 5, message_sender: 'alice', message_conv_id: 'bob', message_is_from_self: true });
    const forward = okJson<Json[]>(await getList(alice, 'bob', { msg_getmsglist_param_count: 3, msg_getmsglist_param_is_forward: true }));
    expect(forward.map(textOf)).to.deep.equal(['old', 'mine', 'm1']);
    expect(forward[0]).to.deep.include({ message_status: 5, message_sender: 'bob', message_seq: 7, message_is_from_self: false, message_server_time: 1_000_000 });
    expect(forward[1]).to.deep.include({ message_sender: 'alice', message_server_time: 1_000_001 });
    expect(await page(bob, 'alice', {})).to.have.length(5);
    const bad = await convCall(alice, FunctionId.MsgImportMsgList, 'bob', [{ ...old, message_sender: 'carol' }]);
    expect(bad.code).to.equal(ErrorCode.INVALID_PARAMETERS);
    expect((await convCall(alice, FunctionId.MsgImportMsgList, 'bob', [{ message_elem_array: [] }])).code).to.equal(ErrorCode.INVALID_MSG_ELEM);

    await h.restart();
    const alice2 = await h.user('alice');
    const after = okJson<Json[]>(await getList(alice2, 'bob', { msg_getmsglist_param_count: 20 }));
    expect(after.map(textOf)).to.include.members(['old', 'mine', 'm5']);
    expect(after[0]!['message_elem_array']).to.deep.equal([{ custom_elem_data: 'tip', elem_type: 3 }]);
    expect((await conversation(alice2, 'bob'))?.['conv_unread_num']).to.equal(2);
  });
});
