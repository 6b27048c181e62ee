import { expect } from 'chai';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { MessageHarness, conversation, convCall, getList, nextJson, okJson, send, text, textOf, type Json } from './message-helpers.js';

/** The message functions on group conversations (conv_type 2): history, read, revoke, delete. */
describe('emulator: message functions in a group conversation', function () {
  this.timeout(15_000);
  let h: MessageHarness;
  afterEach(async () => {
    await h.close();
  });

  it('a member pages the group history, reads it, and sees a revoke; only the sender revokes (10032)', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    okJson(await alice.call(FunctionId.GroupCreate, [arg.str(JSON.stringify({
      create_group_param_group_id: 'team', create_group_param_group_name: 'Team', create_group_param_group_type: 0,
      create_group_param_group_member_array: [{ group_member_info_identifier: 'bob' }],
    }))]));
    const sent: Json[] = [];
    for (const t of ['g1', 'g2', 'g3']) sent.push(okJson(await convCall(alice, FunctionId.MsgSendNewMsg, 'team', text(t), 2)));
    await send(bob, 'alice', 'c2c is separate');

    const page = okJson<Json[]>(await getList(bob, 'team', { msg_getmsglist_param_count: 2 }, 2));
    expect(page.map(textOf)).to.deep.equal(['g3', 'g2']);
    expect(page[0]).to.deep.include({ message_conv_id: 'team', message_conv_type: 2, message_sender: 'alice', message_is_from_self: false });
    const rest = okJson<Json[]>(await getList(bob, 'team', { msg_getmsglist_param_count: 2, msg_getmsglist_param_last_msg: page[1] }, 2));
    expect(rest.map(textOf)).to.deep.equal(['g1']);

    okJson(await convCall(bob, FunctionId.MsgReportReaded, 'team', null, 2));
    expect((await conversation(bob, 'team'))?.['conv_unread_num']).to.equal(0);

    expect((await convCall(bob, FunctionId.MsgRevoke, 'team', page[0]!, 2)).code).to.equal(10032);
    await bob.call(FunctionId.ConvGetConvList);
    bob.takeEvents(EventId.MsgRevoke);
    okJson(await convCall(alice, FunctionId.MsgRevoke, 'team', sent[2]!, 2));
    const [locator] = await nextJson<Json[]>(bob, EventId.MsgRevoke);
    expect(locator).to.deep.include({ message_locator_conv_id: 'team', message_locator_conv_type: 2, message_locator_is_self: false, message_revoker_user_id: 'alice' });

    okJson(await convCall(bob, FunctionId.MsgDelete, 'team', { msg_delete_param_msg: page[1] }, 2));
    expect(okJson<Json[]>(await getList(bob, 'team', {}, 2)).map((m) => [textOf(m), m['message_status']])).to.deep.equal([['g3', 6], ['g1', 2]]);
    expect(okJson<Json[]>(await getList(alice, 'team', {}, 2))).to.have.length(3);
  });
});
