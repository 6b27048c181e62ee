/**
 * Acknowledged delivery (at least once) over the wire: EVENT 1 carries a
 * delivery token, the durable state moves on ACK only, a live connection
 * never gets a message twice, and whatever was not acknowledged comes again
 * after the next login or RESUME (C2C live and backlog, group messages).
 */
import { expect } from 'chai';
import { parseJson } from '../../src/json/lossless.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { harnessEachTest, makeSig, textMessage } from './helpers.js';
import { User, okJson, settle, type Json } from './groups-helpers.js';
import { strArg, type WireClient } from './wire-client.js';

const textsOf = (c: WireClient): unknown[] => c.allEvents
  .filter((e) => e.eventId === EventId.RecvNewMsg)
  .flatMap((e) => parseJson(strArg(e.args[0])) as Json[])
  .map((m) => (m['message_elem_array'] as Json[])[0]?.['text_elem_content']);

async function send(from: WireClient, to: string, text: string, extra: Json = {}): Promise<void> {
  const r = await from.call(FunctionId.MsgSendNewMsg, [arg.str(to), arg.i64(1), arg.str(textMessage(text, extra))]);
  expect(r.code, r.desc).to.equal(0);
}

describe('emulator: acknowledged delivery of new messages (EVENT 1 → ACK)', function () {
  this.timeout(15_000);
  const h = harnessEachTest();

  /** Logs `userId` in and waits until its backlog has arrived. */
  async function receiver(userId: string, ack: boolean): Promise<WireClient> {
    const c = await h().loggedIn(userId, { ack });
    await settle();
    return c;
  }

  it('live C2C messages never acknowledged come again after the receiver logs in again; acknowledged ones do not', async () => {
    const alice = await h().loggedIn('alice');
    await receiver('bob', true);
    const bob = await receiver('bob', false); // kicks the acking connection
    for (const text of ['one', 'two', 'three']) await send(alice, 'bob', text);
    await settle();
    expect(textsOf(bob)).to.deep.equal(['one', 'two', 'three']);
    expect(bob.deliveryTokens, 'one token per EVENT 1, from 1').to.deep.equal([1n, 2n, 3n]);
    bob.close(); // dies without acknowledging

    const again = await receiver('bob', true);
    expect(textsOf(again), 'delivered again, oldest first').to.deep.equal(['one', 'two', 'three']);
    expect((await again.call(FunctionId.Logout)).code).to.equal(0);
    again.close();

    const third = await receiver('bob', true);
    await third.expectNoEvent(EventId.RecvNewMsg);
    expect(textsOf(third)).to.deep.equal([]);
  });

  it('a live connection gets each message once, even unacknowledged; RESUME on it sends the unacknowledged ones again', async () => {
    const alice = await h().loggedIn('alice');
    const bob = await receiver('bob', false);
    await send(alice, 'bob', 'first');
    await settle();
    await send(alice, 'bob', 'second');
    await settle();
    expect(textsOf(bob)).to.deep.equal(['first', 'second']);
    const r = await bob.resume('bob', makeSig('bob'), bob.sessionGeneration!);
    expect(r.code, r.desc).to.equal(0);
    await settle();
    expect(textsOf(bob)).to.deep.equal(['first', 'second', 'first', 'second']);
    expect(bob.deliveryTokens, 'tokens go on across logins of one connection').to.deep.equal([1n, 2n, 3n]);
  });

  it('an ACK is cumulative: it covers every EVENT 1 of the connection up to its token', async () => {
    const alice = await h().loggedIn('alice');
    const bob = await receiver('bob', false);
    for (const text of ['a', 'b', 'c']) await send(alice, 'bob', text);
    await settle();
    bob.ack(2n);
    expect((await bob.call(FunctionId.Logout)).code).to.equal(0); // answered after the ACK: frames are handled in order
    bob.close();
    const again = await receiver('bob', true);
    expect(textsOf(again)).to.deep.equal(['c']);
  });

  it('the backlog after a login is delivered again until acknowledged; online-only messages need no ACK and are never kept', async () => {
    const alice = await h().loggedIn('alice');
    (await receiver('bob', true)).close();
    await settle();
    for (let i = 0; i < 150; i++) await send(alice, 'bob', `m${i}`);
    const first = await receiver('bob', false);
    expect(textsOf(first)).to.have.length(150);
    expect(first.deliveryTokens).to.deep.equal([1n, 2n]);
    await send(alice, 'bob', 'online', { message_is_online_msg: true });
    await settle();
    expect(textsOf(first).at(-1)).to.equal('online');
    expect(first.deliveryTokens.at(-1), 'online-only: token 0').to.equal(0n);
    first.close();

    const second = await receiver('bob', true);
    expect(textsOf(second)).to.deep.equal(Array.from({ length: 150 }, (_, i) => `m${i}`));
    expect((await second.call(FunctionId.Logout)).code).to.equal(0);
    const third = await receiver('bob', true);
    await third.expectNoEvent(EventId.RecvNewMsg);
  });

  it('group messages: unacknowledged ones come again after the next login (live and kept), acknowledged ones do not', async () => {
    const owner = new User('o', await h().loggedIn('o'));
    const member = new User('m', await receiver('m', true));
    const created = okJson(await owner.json(FunctionId.GroupCreate, {
      create_group_param_group_name: 'g', create_group_param_group_type: 0,
      create_group_param_group_member_array: [{ group_member_info_identifier: 'm' }],
    })) as Json;
    const g = created['create_group_result_groupid'] as string;
    await settle();
    member.c.close();
    await settle();
    okJson(await owner.send(g, 'while offline'));
    const noAck = await receiver('m', false);
    okJson(await owner.send(g, 'live'));
    await settle();
    const groupTexts = (c: WireClient): unknown[] => c.allEvents
      .filter((e) => e.eventId === EventId.RecvNewMsg)
      .flatMap((e) => parseJson(strArg(e.args[0])) as Json[])
      .filter((m) => m['message_conv_type'] === 2 && (m['message_elem_array'] as Json[])[0]?.['elem_type'] === 0)
      .map((m) => (m['message_elem_array'] as Json[])[0]?.['text_elem_content']);
    expect(groupTexts(noAck)).to.deep.equal(['while offline', 'live']);
    noAck.close();

    const acking = await receiver('m', true);
    expect(groupTexts(acking)).to.deep.equal(['while offline', 'live']);
    expect((await acking.call(FunctionId.Logout)).code).to.equal(0);
    const last = await receiver('m', true);
    await last.expectNoEvent(EventId.RecvNewMsg);
  });

  it('an ACK for tokens never issued, or 0, changes nothing and keeps the connection open', async () => {
    const alice = await h().loggedIn('alice');
    const bob = await receiver('bob', false);
    bob.ack(0n);
    bob.ack(18446744073709551615n);
    await settle(); // handled before the message exists (they travel on another socket than the send)
    await send(alice, 'bob', 'after');
    await settle();
    expect(textsOf(bob)).to.deep.equal(['after']);
    expect(bob.isClosed).to.equal(false);
    bob.close();
    const again = await receiver('bob', true);
    expect(textsOf(again), 'an ACK covers only the tokens issued before it').to.deep.equal(['after']);
  });
});
