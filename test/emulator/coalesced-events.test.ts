/**
 * Coalesced events (docs/wire-protocol.md): the EVENT 1 of one tick to one
 * connection go out as one frame with every message in order and one
 * delivery token, whose ACK covers them all; the EVENT 6 of one kind as one
 * frame with each conversation's newest state, after the EVENT 1 they
 * reflect; other events keep their place after the queued ones.
 */
import { expect } from 'chai';
import { parseJson } from '../../src/json/lossless.js';
import { arg, type EventFrame } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { harnessEachTest, textMessage } from './helpers.js';
import { User, okJson, settle, type Json } from './groups-helpers.js';
import { intArgValue, strArg, type WireClient } from './wire-client.js';

const ConvEvent = { Add: 0n, Delete: 1n, Update: 2n } as const;

const textOf = (m: Json): unknown => (m['message_elem_array'] as Json[])[0]?.['text_elem_content'];
const messagesOf = (e: EventFrame): Json[] => parseJson(strArg(e.args[0])) as Json[];
const conversationsOf = (e: EventFrame): Json[] => parseJson(strArg(e.args[1])) as Json[];
const framesOf = (c: WireClient, eventId: number): EventFrame[] => c.allEvents.filter((e) => e.eventId === eventId);

/** Sends C2C text messages from `from` to `to` in one socket write (one tick of the emulator). */
async function sendTogether(from: WireClient, to: string, texts: readonly string[]): Promise<void> {
  const replies = await from.callTogether(texts.map((text) => ({
    functionId: FunctionId.MsgSendNewMsg, args: [arg.str(to), arg.i64(1), arg.str(textMessage(text))],
  })));
  for (const r of replies) expect(r.code, r.desc).to.equal(0);
}

describe('emulator: events coalesced per tick (EVENT 1, EVENT 6)', function () {
  this.timeout(15_000);
  const h = harnessEachTest();

  it('C2C messages handled in one tick reach the receiver as one EVENT 1 (in order, one token), then one EVENT 6 with the newest state', async () => {
    const alice = await h().loggedIn('alice');
    const bob = await h().loggedIn('bob', { ack: false });
    await sendTogether(alice, 'bob', ['first']); // the conversations exist: what follows is Update only
    await settle();
    const before = bob.allEvents.length;
    const aliceBefore = alice.allEvents.length;

    await sendTogether(alice, 'bob', ['a', 'b', 'c', 'd', 'e']);
    await settle();
    const events = bob.allEvents.slice(before);
    expect(events.map((e) => e.eventId), 'one EVENT 1, then one EVENT 6').to.deep.equal([EventId.RecvNewMsg, EventId.ConvEvent]);
    expect(messagesOf(events[0]!).map(textOf)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(bob.deliveryTokens, 'one token per frame').to.deep.equal([1n, 2n]);
    expect(intArgValue(events[1]!.args[0])).to.equal(ConvEvent.Update);
    const [conv, ...others] = conversationsOf(events[1]!);
    expect(others, 'each conversation once').to.deep.equal([]);
    expect(conv!['conv_unread_num'], 'the newest state').to.equal(6);
    expect(textOf(conv!['conv_last_msg'] as Json)).to.equal('e');

    const aliceEvents = alice.allEvents.slice(aliceBefore);
    expect(aliceEvents.map((e) => e.eventId), 'the sender: one EVENT 6 after its REPLYs').to.deep.equal([EventId.ConvEvent]);
    expect(textOf(conversationsOf(aliceEvents[0]!)[0]!['conv_last_msg'] as Json)).to.equal('e');
  });

  it('an unacknowledged coalesced EVENT 1 comes again whole after the next login; its one ACK acknowledges every message in it', async () => {
    const alice = await h().loggedIn('alice');
    const bob = await h().loggedIn('bob', { ack: false });
    await sendTogether(alice, 'bob', ['a', 'b', 'c']);
    await settle();
    expect(framesOf(bob, EventId.RecvNewMsg)).to.have.length(1);
    bob.close(); // never acknowledged

    const again = await h().loggedIn('bob', { ack: false });
    await settle();
    expect(framesOf(again, EventId.RecvNewMsg).flatMap(messagesOf).map(textOf), 'delivered again, all of them').to.deep.equal(['a', 'b', 'c']);
    expect(again.deliveryTokens).to.deep.equal([1n]);
    again.ack(1n);
    expect((await again.call(FunctionId.Logout)).code).to.equal(0); // answered after the ACK: frames are handled in order
    again.close();

    const third = await h().loggedIn('bob');
    await third.expectNoEvent(EventId.RecvNewMsg);
  });

  it('group messages handled in one tick reach each member as one EVENT 1 and one EVENT 6 whose last message is the newest one', async () => {
    const owner = new User('o', await h().loggedIn('o'));
    const members = [new User('m1', await h().loggedIn('m1')), new User('m2', await h().loggedIn('m2'))];
    const g = await owner.create('Public', { create_group_param_group_member_array: members.map((m) => ({ group_member_info_identifier: m.id })) });
    okJson(await owner.send(g, 'first')); // the conversations exist: what follows is Update only
    await settle();
    const before = members.map((m) => m.c.allEvents.length);

    const replies = await owner.c.callTogether(['x', 'y', 'z'].map((text) => ({
      functionId: FunctionId.MsgSendNewMsg, args: [arg.str(g), arg.i64(2), arg.str(textMessage(text))],
    })));
    for (const r of replies) okJson(r);
    await settle();
    members.forEach((m, i) => {
      const events = m.c.allEvents.slice(before[i]);
      expect(events.map((e) => e.eventId), m.id).to.deep.equal([EventId.RecvNewMsg, EventId.ConvEvent]);
      const messages = messagesOf(events[0]!);
      expect(messages.map(textOf)).to.deep.equal(['x', 'y', 'z']);
      const [conv] = conversationsOf(events[1]!);
      expect(conv!['conv_last_msg'], 'the same text as EVENT 1 carried').to.deep.equal(messages[2]);
    });
  });

  it('an event that is not coalesced goes out after the queued ones (EVENT 1 of a group message, then of the tips, then EVENT 5)', async () => {
    const owner = new User('o', await h().loggedIn('o'));
    const member = new User('m', await h().loggedIn('m'));
    await h().loggedIn('n');
    const g = await owner.create('Private', { create_group_param_group_member_array: [{ group_member_info_identifier: 'm' }] });
    await settle();
    const before = member.c.allEvents.length;

    const replies = await owner.c.callTogether([
      { functionId: FunctionId.MsgSendNewMsg, args: [arg.str(g), arg.i64(2), arg.str(textMessage('hello'))] },
      { functionId: FunctionId.GroupInviteMember, args: [arg.str(JSON.stringify({
        group_invite_member_param_group_id: g, group_invite_member_param_identifier_array: ['n'],
      }))] },
    ]);
    for (const r of replies) okJson(r);
    await settle();
    const events = member.c.allEvents.slice(before);
    const firstTips = events.findIndex((e) => e.eventId === EventId.GroupTipsEvent);
    const delivered = events.slice(0, firstTips).filter((e) => e.eventId === EventId.RecvNewMsg).flatMap(messagesOf);
    expect(delivered.map((m) => (m['message_elem_array'] as Json[])[0]?.['elem_type']), 'the message, then the tips, before EVENT 5')
      .to.deep.equal([0, 5]);
  });

  it('conversation events of different kinds are not merged and keep their order', async () => {
    const alice = await h().loggedIn('alice');
    await h().loggedIn('bob');
    await sendTogether(alice, 'bob', ['first']);
    await settle();
    const before = alice.allEvents.length;
    const replies = await alice.callTogether([
      { functionId: FunctionId.MsgSendNewMsg, args: [arg.str('bob'), arg.i64(1), arg.str(textMessage('a'))] },
      { functionId: FunctionId.ConvDelete, args: [arg.str('bob'), arg.i64(1)] },
      { functionId: FunctionId.MsgSendNewMsg, args: [arg.str('bob'), arg.i64(1), arg.str(textMessage('b'))] },
      { functionId: FunctionId.MsgSendNewMsg, args: [arg.str('bob'), arg.i64(1), arg.str(textMessage('c'))] },
    ]);
    for (const r of replies) expect(r.code, r.desc).to.equal(0);
    await settle();
    const events = alice.allEvents.slice(before).filter((e) => e.eventId === EventId.ConvEvent);
    expect(events.map((e) => intArgValue(e.args[0]))).to.deep.equal([ConvEvent.Update, ConvEvent.Delete, ConvEvent.Add, ConvEvent.Update]);
    expect(textOf(conversationsOf(events[3]!)[0]!['conv_last_msg'] as Json)).to.equal('c');
  });
});
