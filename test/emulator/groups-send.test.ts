/**
 * Group sends go through the same steps as C2C sends (handlers/outgoing.ts):
 * uploads with EVENT 4 progress to the sender, the message hook, the size
 * limit; with the group rules around them (members only, mutes, per-group
 * seq, delivery to every other member, unread, the offline backlog).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { HookMessage } from '../../src/emulator/index.js';
import { parseJson } from '../../src/json/lossless.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { MessageHarness, conversation, convCall, nextJson, okJson, text, textOf, type Json } from './message-helpers.js';
import { intArgValue, strArg, type WireClient } from './wire-client.js';

const G = 'crew';

async function createGroup(owner: WireClient, members: string[]): Promise<void> {
  okJson(await owner.call(FunctionId.GroupCreate, [arg.str(JSON.stringify({
    create_group_param_group_id: G, create_group_param_group_name: 'Crew', create_group_param_group_type: 0,
    create_group_param_group_member_array: members.map((m) => ({ group_member_info_identifier: m })),
  }))]));
}

const sendTo = (c: WireClient, body: Json) => convCall(c, FunctionId.MsgSendNewMsg, G, body, 2);

/** The next message of the group received by EVENT 1 (reports of the system conversation skipped). */
async function nextGroupMessage(c: WireClient): Promise<Json> {
  for (;;) {
    const batch = await nextJson<Json[]>(c, EventId.RecvNewMsg);
    const found = batch.find((m) => m['message_conv_type'] === 2 && m['message_sender'] !== '@TIM#SYSTEM');
    if (found !== undefined) return found;
  }
}

/** EVENT 4 reports received so far (consumed). */
const progressOf = (c: WireClient) => c.takeEvents(EventId.MsgElemUploadProgress).map((e) => ({
  json: parseJson(strArg(e.args[0])) as Json, index: Number(intArgValue(e.args[1])), cur: Number(intArgValue(e.args[2])), total: Number(intArgValue(e.args[3])),
}));

describe('emulator groups: group sends use the common send steps (uploads, hook, limits)', function () {
  this.timeout(20_000);
  let h: MessageHarness;
  afterEach(async () => {
    await h.close();
  });

  it('uploads the files with EVENT 4 to the sender; every other member (online now, or at its next login) gets the filled-in elements', async () => {
    h = await new MessageHarness().start();
    const o = await h.user('o');
    const a = await h.user('a');
    const m = await h.user('m');
    const x = await h.user('x');
    await createGroup(o, ['a', 'm']);
    okJson(await m.call(FunctionId.Logout));
    const dir = h.tmp.dir;
    writeFileSync(join(dir, 'plan.pdf'), Buffer.alloc(200_000, 7));
    writeFileSync(join(dir, 'voice.amr'), Buffer.alloc(3000, 1));
    const sent = okJson(await sendTo(o, { message_elem_array: [
      { elem_type: 0, text_elem_content: 'the plan' },
      { elem_type: 4, file_elem_file_path: join(dir, 'plan.pdf') },
      { elem_type: 2, sound_elem_file_path: join(dir, 'voice.amr'), sound_elem_file_time: 2 },
    ] }));
    const progress = progressOf(o);
    expect(new Set(progress.map((p) => p.index))).to.deep.equal(new Set([1, 2]));
    expect(progress.filter((p) => p.index === 1).at(-1)).to.deep.include({ cur: 200_000, total: 200_000 });
    expect(progress[0]!.json).to.deep.include({ message_conv_id: G, message_conv_type: 2, message_sender: 'o', message_status: 1 });
    const elems = sent['message_elem_array'] as Json[];
    expect(elems[1]).to.deep.include({ file_elem_file_name: 'plan.pdf', file_elem_file_size: 200_000 });
    expect(elems[1]!['file_elem_file_id']).to.match(/^[0-9a-f]{32}$/);
    expect(elems[2]).to.deep.include({ sound_elem_file_size: 3000 });
    expect(sent).to.deep.include({ message_conv_type: 2, message_seq: 1 });

    const atA = await nextGroupMessage(a);
    expect(atA['message_elem_array']).to.deep.equal(elems);
    expect(a.takeEvents(EventId.MsgElemUploadProgress)).to.deep.equal([]);
    expect((await conversation(a, G))?.['conv_unread_num']).to.equal(1);
    await x.expectNoEvent(EventId.RecvNewMsg);

    // m was offline: the message (and its stored files) waits for its next login.
    const back = await h.user('m');
    expect((await nextGroupMessage(back))['message_elem_array']).to.deep.equal(elems);
    expect((await conversation(back, G))?.['conv_unread_num']).to.equal(1);
  });

  it('the group rules come first: an outsider (10007) or a muted member (10017) uploads nothing; a file error stores nothing', async () => {
    h = await new MessageHarness().start();
    const o = await h.user('o');
    const a = await h.user('a');
    const x = await h.user('x');
    await createGroup(o, ['a']);
    writeFileSync(join(h.tmp.dir, 'f.bin'), Buffer.alloc(10_000, 1));
    const withFile = { message_elem_array: [{ elem_type: 4, file_elem_file_path: join(h.tmp.dir, 'f.bin') }] };
    expect((await sendTo(x, withFile)).code).to.equal(10007);
    expect(progressOf(x)).to.deep.equal([]);
    okJson(await o.call(FunctionId.GroupModifyMemberInfo, [arg.str(JSON.stringify({
      group_modify_member_info_group_id: G, group_modify_member_info_identifier: 'a', group_modify_member_info_modify_flag: 4,
      group_modify_member_info_shutup_time: 600,
    }))]));
    expect((await sendTo(a, withFile)).code).to.equal(10017);
    expect(progressOf(a)).to.deep.equal([]);
    expect((await sendTo(o, { message_elem_array: [{ elem_type: 4, file_elem_file_path: join(h.tmp.dir, 'missing.bin') }] })).code).to.equal(7004);
    expect((await sendTo(o, { message_elem_array: [{ elem_type: 0, text_elem_content: 'x'.repeat(13_000) }] })).code).to.equal(80002);
    // Nothing was stored by the failures: the next message follows the mute tip (seq 1).
    expect(okJson(await sendTo(o, text('first')))['message_seq']).to.equal(2);
  });

  it('the message hook sees group messages: a refusal is 10016 (or its own code); a change reaches the members, and the sender by EVENT 11', async () => {
    const seen: HookMessage[] = [];
    h = await new MessageHarness({
      messageHook: (msg) => {
        seen.push(msg);
        const t = msg.elements[0]?.['text_elem_content'];
        if (t === 'spam') return { reject: 0 };
        if (t === 'rude') return { reject: 80001, desc: 'sensitive words' };
        return typeof t === 'string' && t.includes('heck') ? { elements: [{ elem_type: 0, text_elem_content: t.replace('heck', '****') }] } : undefined;
      },
    }).start();
    const o = await h.user('o');
    const a = await h.user('a');
    await createGroup(o, ['a']);
    expect((await sendTo(o, text('spam'))).code).to.equal(10016);
    const rude = await sendTo(o, text('rude'));
    expect([rude.code, rude.desc]).to.deep.equal([80001, 'sensitive words']);
    const sent = okJson(await sendTo(o, text('what the heck')));
    expect(textOf(sent)).to.equal('what the heck');
    expect(sent['message_seq']).to.equal(1);
    expect(textOf(await nextGroupMessage(a))).to.equal('what the ****');
    const [update] = await nextJson<Json[]>(o, EventId.MsgUpdate);
    expect(update).to.deep.include({ message_conv_id: G, message_conv_type: 2, message_seq: 1, message_is_from_self: true });
    expect(textOf(update!)).to.equal('what the ****');
    expect(seen.map((s) => [s.convType, s.convId, s.sender])).to.deep.equal([['group', G, 'o'], ['group', G, 'o'], ['group', G, 'o']]);
    const history = okJson<Json[]>(await convCall(a, FunctionId.MsgGetMsgList, G, {}, 2));
    expect(history.filter((x) => x['message_sender'] === 'o').map(textOf)).to.deep.equal(['what the ****']);
  });
});
