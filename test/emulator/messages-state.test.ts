import { expect } from 'chai';
import { ErrorCode } from '../../src/emulator/errors.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import {
  MessageHarness, RECEIPTS_ON, conversation, convCall, getList, nextConv, nextJson, okJson, send, textOf, type Json,
} from './message-helpers.js';
import type { WireClient } from './wire-client.js';

/** Makes sure every event sent to `c` before now has arrived, then drops the events `id` received so far. */
async function settle(c: WireClient, ...ids: number[]): Promise<void> {
  await c.call(FunctionId.ConvGetConvList);
  for (const id of ids) c.takeEvents(id);
}

describe('emulator: read reports and receipts', function () {
  this.timeout(15_000);
  let h: MessageHarness;
  afterEach(async () => {
    await h.close();
  });

  it('a read report drops the reader\'s unread count and sends the sender EVENT 2 when both enabled receipts', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice', RECEIPTS_ON);
    const bob = await h.user('bob', RECEIPTS_ON);
    await send(alice, 'bob', 'one');
    const two = await send(alice, 'bob', 'two');
    await send(alice, 'bob', 'three');
    expect((await conversation(bob, 'alice'))?.['conv_unread_num']).to.equal(3);
    await settle(bob, 6);
    await settle(alice, 6);

    const received = okJson<Json[]>(await getList(bob, 'alice', { msg_getmsglist_param_count: 3, msg_getmsglist_param_is_forward: true }));
    expect(received.map((m) => m['message_seq'])).to.deep.equal([1, 2, 3]);
    expect(okJson(await convCall(bob, FunctionId.MsgReportReaded, 'alice', received[1]!))).to.equal(undefined);
    const bobUpdate = await nextConv(bob);
    expect(bobUpdate.convs[0]).to.deep.include({ conv_id: 'alice', conv_unread_num: 1 });
    const [receipt] = await nextJson<Json[]>(alice, EventId.MsgReadedReceipt);
    expect(receipt).to.deep.include({ msg_receipt_conv_id: 'bob', msg_receipt_conv_type: 1, msg_receipt_is_peer_read: true });
    expect(receipt!['msg_receipt_time_stamp']).to.be.a('number').greaterThanOrEqual(two['message_server_time'] as number);
    const aliceUpdate = await nextConv(alice);
    expect((aliceUpdate.convs[0]!['conv_last_msg'] as Json)['message_is_peer_read']).to.equal(false);

    // NULL = the whole conversation.
    okJson(await convCall(bob, FunctionId.MsgReportReaded, 'alice', null));
    expect((await conversation(bob, 'alice'))?.['conv_unread_num']).to.equal(0);
    await alice.nextEvent(EventId.MsgReadedReceipt);
    expect(((await conversation(alice, 'bob'))?.['conv_last_msg'] as Json)['message_is_peer_read']).to.equal(true);
    // Reading again moves nothing: no receipt.
    okJson(await convCall(bob, FunctionId.MsgReportReaded, 'alice', received[0]!));
    await alice.expectNoEvent(EventId.MsgReadedReceipt, 150);
  });

  it('sends no receipt when either side has not enabled read receipts; the unread count still drops', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    const bob = await h.user('bob', RECEIPTS_ON);
    await send(alice, 'bob', 'x');
    okJson(await convCall(bob, FunctionId.MsgReportReaded, 'alice', null));
    expect((await conversation(bob, 'alice'))?.['conv_unread_num']).to.equal(0);
    await alice.expectNoEvent(EventId.MsgReadedReceipt, 200);
  });

  it('refuses a conversation the reader does not have (6004), an unknown peer (20003) and a message not in it (6017)', async () => {
    h = await new MessageHarness({ unknownAccounts: 'refuse' }).start();
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    expect((await convCall(alice, FunctionId.MsgReportReaded, 'bob', null)).code).to.equal(ErrorCode.INVALID_CONVERSATION);
    expect((await convCall(alice, FunctionId.MsgReportReaded, 'ghost', null)).code).to.equal(ErrorCode.MSG_INVALID_ID);
    const m = await send(alice, 'bob', 'x');
    const r = await convCall(bob, FunctionId.MsgReportReaded, 'alice', { ...m, message_rand: 1 });
    expect(r.code).to.equal(ErrorCode.INVALID_PARAMETERS);
  });
});

describe('emulator: revoke', function () {
  this.timeout(15_000);
  let h: MessageHarness;
  let clock = 1_700_000_000_000;
  afterEach(async () => {
    await h.close();
  });

  it('the sender revokes: both sides get EVENT 3 and EVENT 6, the message shows status 6, unread drops; again is a no-op', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    const m = await send(alice, 'bob', 'oops');
    expect((await conversation(bob, 'alice'))?.['conv_unread_num']).to.equal(1);
    await settle(alice, 6);
    await settle(bob, 6);
    okJson(await convCall(alice, FunctionId.MsgRevoke, 'bob', m));
    for (const [c, self, conv] of [[alice, true, 'bob'], [bob, false, 'alice']] as const) {
      const [locator] = await nextJson<Json[]>(c, EventId.MsgRevoke);
      expect(locator).to.deep.include({
        message_locator_conv_id: conv, message_locator_conv_type: 1, message_locator_is_revoked: true, message_locator_is_self: self,
        message_locator_seq: m['message_seq'], message_locator_rand: m['message_rand'], message_locator_time: m['message_server_time'],
        message_revoker_user_id: 'alice',
      });
      expect(locator!['message_locator_unique_id']).to.equal(m['message_unique_id']);
      const update = await nextConv(c);
      expect((update.convs[0]!['conv_last_msg'] as Json)['message_status']).to.equal(6);
    }
    expect((await conversation(bob, 'alice'))?.['conv_unread_num']).to.equal(0);
    const [stored] = okJson<Json[]>(await getList(bob, 'alice', {}));
    expect(stored).to.deep.include({ message_status: 6, message_revoker_user_id: 'alice' });
    expect(textOf(stored!)).to.equal('oops');
    okJson(await convCall(alice, FunctionId.MsgRevoke, 'bob', m));
    await bob.expectNoEvent(EventId.MsgRevoke, 100);
  });

  it('refuses the peer (7014), a message not in the conversation (6017) and, after the time limit, the sender (20016)', async () => {
    h = await new MessageHarness({ now: () => clock, revokeTimeLimitSeconds: 120 }).start();
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    const m = await send(alice, 'bob', 'late');
    const byBob = await convCall(bob, FunctionId.MsgRevoke, 'alice', m);
    expect(byBob.code).to.equal(7014);
    expect(byBob.desc).to.match(/only the sender/);
    expect((await convCall(alice, FunctionId.MsgRevoke, 'bob', { ...m, message_seq: 42 })).code).to.equal(ErrorCode.INVALID_PARAMETERS);
    clock += 120_000; // exactly at the limit: still allowed
    const later = await send(alice, 'bob', 'later');
    okJson(await convCall(alice, FunctionId.MsgRevoke, 'bob', m));
    clock += 121_000;
    const tooLate = await convCall(alice, FunctionId.MsgRevoke, 'bob', later);
    expect(tooLate.code).to.equal(20016);
    expect(tooLate.desc).to.match(/within 120 s/);
  });
});

describe('emulator: conversations (create, delete, drafts)', function () {
  this.timeout(15_000);
  let h: MessageHarness;
  afterEach(async () => {
    await h.close();
  });

  it('creates a conversation (EVENT 6 Add) or returns the existing one; refuses unknown peers (20003)', async () => {
    h = await new MessageHarness({ unknownAccounts: 'refuse' }).start();
    const alice = await h.user('alice');
    await h.user('bob');
    const created = okJson(await alice.call(FunctionId.ConvCreate, [arg.str('bob'), arg.i64(1)]));
    expect(created).to.deep.include({ conv_id: 'bob', conv_type: 1, conv_unread_num: 0, conv_is_has_lastmsg: false, conv_is_has_draft: false });
    const add = await nextConv(alice);
    expect(add.kind).to.equal(0n);
    const again = okJson(await alice.call(FunctionId.ConvCreate, [arg.str('bob'), arg.i64(1)]));
    expect(again).to.deep.equal(created);
    await alice.expectNoEvent(EventId.ConvEvent, 50);
    expect((await alice.call(FunctionId.ConvCreate, [arg.str('ghost'), arg.i64(1)])).code).to.equal(ErrorCode.MSG_INVALID_ID);
    expect((await alice.call(FunctionId.ConvCreate, [arg.str('bob'), arg.i64(3)])).code).to.equal(ErrorCode.INVALID_CONVERSATION);
  });

  it('deletes a conversation with its messages for its owner (EVENT 6 Delete); an unknown one is 6004', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    await send(alice, 'bob', 'before');
    await settle(alice, 6);
    okJson(await alice.call(FunctionId.ConvDelete, [arg.str('bob'), arg.i64(1)]));
    const del = await nextConv(alice);
    expect(del.kind).to.equal(1n);
    expect(del.convs[0]).to.deep.include({ conv_id: 'bob' });
    expect(await conversation(alice, 'bob')).to.equal(undefined);
    expect(okJson(await getList(alice, 'bob', {}))).to.deep.equal([]);
    expect((await alice.call(FunctionId.ConvDelete, [arg.str('bob'), arg.i64(1)])).code).to.equal(ErrorCode.INVALID_CONVERSATION);
    expect(await conversation(bob, 'alice')).to.not.equal(undefined);
    await send(bob, 'alice', 'after');
    expect((await conversation(alice, 'bob'))?.['conv_unread_num']).to.equal(1);
    expect(okJson<Json[]>(await getList(alice, 'bob', {})).map(textOf)).to.deep.equal(['after']);
  });

  it('sets a draft (shown in ConvInfo, EVENT 6, kept across a restart) and cancels it', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    await h.user('bob');
    const draft = { draft_edit_time: 1551271429, draft_msg: { message_elem_array: [{ elem_type: 0, text_elem_content: 'this draft' }] }, draft_user_define: 'u' };
    alice.callNoReply(FunctionId.ConvSetDraft, [arg.str('bob'), arg.i64(1), arg.str(JSON.stringify(draft))]);
    const add = await nextConv(alice);
    expect(add.kind).to.equal(0n);
    expect(add.convs[0]).to.deep.include({ conv_is_has_draft: true, conv_draft: draft });
    await h.restart();
    const alice2 = await h.user('alice');
    expect(await conversation(alice2, 'bob')).to.deep.include({ conv_is_has_draft: true, conv_draft: draft });
    // Invalid drafts are ignored (no reply to request id 0).
    alice2.callNoReply(FunctionId.ConvSetDraft, [arg.str('bob'), arg.i64(1), arg.str('{"draft_msg":{}}')]);
    alice2.callNoReply(FunctionId.ConvCancelDraft, [arg.str('bob'), arg.i64(1)]);
    const update = await nextConv(alice2);
    expect(update.convs[0]).to.deep.include({ conv_is_has_draft: false });
    expect(update.convs[0]).to.not.have.property('conv_draft');
    expect(alice2.unexpectedReplies).to.deep.equal([]);
  });

  it('a send keeps the draft: the sender\'s EVENT 6 shows it, as the list does', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    await h.user('bob');
    const draft = { draft_edit_time: 1551271429, draft_msg: { message_elem_array: [{ elem_type: 0, text_elem_content: 'half typed' }] }, draft_user_define: '' };
    alice.callNoReply(FunctionId.ConvSetDraft, [arg.str('bob'), arg.i64(1), arg.str(JSON.stringify(draft))]);
    await nextConv(alice);
    await send(alice, 'bob', { message_elem_array: [{ elem_type: 0, text_elem_content: 'sent meanwhile' }] });
    const update = await nextConv(alice);
    expect(update.convs[0]).to.deep.include({ conv_id: 'bob', conv_is_has_draft: true, conv_draft: draft });
    expect(await conversation(alice, 'bob')).to.deep.include({ conv_is_has_draft: true, conv_draft: draft });
  });
});
