import { expect } from 'chai';
import { Subject, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import type { RawReply } from '../../src/backend/types.js';
import { Message } from '../../src/codecs/message.js';
import { encodeJson } from '../../src/codecs/decode.js';
import { conversationApi } from '../../src/commands/conversation.js';
import { messageApi, type SendEvent } from '../../src/commands/message.js';
import { isTimError } from '../../src/errors.js';
import { FakeTimBackend, ok, replies } from '../../src/testing/index.js';

const BOB = { type: 'c2c', id: 'bob' } as const;
const fileMessage = (path: string, before = 0) => ({
  elements: [...Array.from({ length: before }, () => ({ type: 'text' as const, text: 'x' })), { type: 'file' as const, path }],
});
const progressOf = (path: string, index: number, current: number, total = 100) => ({
  json: JSON.stringify({
    message_conv_id: 'bob', message_conv_type: 1, message_status: 1,
    message_elem_array: [...Array.from({ length: index }, () => ({ elem_type: 0, text_elem_content: 'x' })), { elem_type: 4, file_elem_file_path: path }],
  }),
  index, current, total,
});
const sentReply = (seq: number): RawReply => ({
  code: 0, desc: '', json: encodeJson(Message, {
    conversation: BOB, sender: 'alice', elements: [], status: 'sent', priority: 'normal', clientTime: 1, serverTime: 1, isFromSelf: true,
    isRead: true, isPeerRead: false, isOnline: false, seq: BigInt(seq), rand: 1n, customInt: 0, customStr: '',
  }),
});

describe('commands: messages and conversations over the fake backend', () => {
  it('routes upload progress to the send whose element (type and path) it reports, the oldest first', async () => {
    const fake = new FakeTimBackend();
    const replyA = new Subject<RawReply>();
    const replyB = new Subject<RawReply>();
    const replyC = new Subject<RawReply>();
    fake.replyOnce('TIMMsgSendNewMsg', replyA).replyOnce('TIMMsgSendNewMsg', replyB).replyOnce('TIMMsgSendNewMsg', replyC);
    const messages = messageApi(fake);
    const got: Record<string, SendEvent[]> = { a: [], b: [], c: [] };
    messages.send(BOB, fileMessage('/a.bin', 1)).subscribe((e) => got['a']!.push(e));
    messages.send(BOB, fileMessage('/b.bin')).subscribe((e) => got['b']!.push(e));
    messages.send(BOB, fileMessage('/a.bin', 1)).subscribe((e) => got['c']!.push(e));
    fake.emit('msgElemUploadProgress', progressOf('/a.bin', 1, 50));
    fake.emit('msgElemUploadProgress', progressOf('/b.bin', 0, 100));
    fake.emit('msgElemUploadProgress', progressOf('/elsewhere.bin', 0, 10));
    fake.emit('msgElemUploadProgress', progressOf('/a.bin', 0, 10)); // another element index: nobody's
    replyA.next(sentReply(1));
    replyA.complete();
    fake.emit('msgElemUploadProgress', progressOf('/a.bin', 1, 70)); // A is done: the next send with that file
    expect(got['a']!.map((e) => e.type === 'progress' ? e.current : 'sent')).to.deep.equal([50, 'sent']);
    expect(got['b']).to.deep.equal([{ type: 'progress', index: 0, current: 100, total: 100 }]);
    expect(got['c']).to.deep.equal([{ type: 'progress', index: 1, current: 70, total: 100 }]);
  });

  it('downloadElement emits every progress reply, then completes', async () => {
    const fake = new FakeTimBackend();
    const result = (current: number) => JSON.stringify({ msg_download_elem_result_current_size: current, msg_download_elem_result_total_size: 20 });
    fake.reply('TIMMsgDownloadElemToPath', replies(
      { code: 0, desc: 'downloading', json: result(10) },
      { code: 0, desc: 'downloading', json: result(20) },
      { code: 0, desc: '', json: result(20) },
    ));
    const steps = await lastValueFrom(messageApi(fake).downloadElement({ type: 'file', id: 'f' }, '/tmp/x').pipe(toArray()));
    expect(steps).to.deep.equal([{ current: 10, total: 20 }, { current: 20, total: 20 }, { current: 20, total: 20 }]);
    expect(JSON.parse(fake.callsTo('TIMMsgDownloadElemToPath')[0]!.args[0] as string)).to.deep.equal({
      msg_download_elem_param_id: 'f', msg_download_elem_param_type: 1,
    });
  });

  it('getList writes the anchor ({} without one), the count and the direction; reportRead without a message passes NULL', async () => {
    const fake = new FakeTimBackend().reply('TIMMsgGetMsgList', ok('[]')).reply('TIMMsgReportReaded', ok());
    const messages = messageApi(fake);
    await lastValueFrom(messages.getList(BOB, { count: 5, direction: 'newer' }));
    expect(JSON.parse(fake.callsTo('TIMMsgGetMsgList')[0]!.args[2] as string)).to.deep.equal({
      msg_getmsglist_param_last_msg: {}, msg_getmsglist_param_count: 5, msg_getmsglist_param_is_forward: true,
      msg_getmsglist_param_is_ramble: true, msg_getmsglist_param_is_remble: true,
    });
    await lastValueFrom(messages.reportRead(BOB), { defaultValue: undefined });
    expect(fake.callsTo('TIMMsgReportReaded')[0]!.args).to.deep.equal(['bob', 1, null]);
  });

  it('save emits undefined for a "" reply (2019); create falls back to the list for v8\'s ""', async () => {
    const fake = new FakeTimBackend().reply('TIMMsgSaveMsg', ok('')).reply('TIMConvCreate', ok(''));
    expect(await firstValueFrom(messageApi(fake).save(BOB, 'note'))).to.equal(undefined);
    const created = await firstValueFrom(conversationApi(fake).create(BOB));
    expect(created).to.deep.include({ key: BOB, unreadCount: 0 });
    expect(fake.callsTo('TIMConvGetConvList')).to.have.length(1);
  });

  it('setDraft and cancelDraft call the functions without callback; a TIMResult other than 0 errors (kind sync)', async () => {
    const fake = new FakeTimBackend();
    const conversations = conversationApi(fake);
    const draft = conversations.setDraft(BOB, { message: 'typing', userDefine: 'u', editTime: 5 });
    expect(fake.invocations).to.have.length(0); // cold
    await lastValueFrom(draft, { defaultValue: undefined });
    expect(fake.invocations[0]).to.deep.equal({
      api: 'TIMConvSetDraft',
      args: ['bob', 1, '{"draft_msg":{"message_elem_array":[{"elem_type":0,"text_elem_content":"typing"}]},"draft_user_define":"u","draft_edit_time":5}'],
    });
    fake.invokeResults.set('TIMConvCancelDraft', -5);
    const err = await lastValueFrom(conversations.cancelDraft(BOB)).catch((e: unknown) => e);
    expect(isTimError(err, -5) && err.kind).to.equal('sync');
  });
});
