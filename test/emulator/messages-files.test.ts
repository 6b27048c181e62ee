import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ErrorCode } from '../../src/emulator/errors.js';
import type { HookMessage } from '../../src/emulator/index.js';
import { parseJson } from '../../src/json/lossless.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { MessageHarness, convCall, nextJson, okJson, send, text, textOf, type Json } from './message-helpers.js';
import { intArgValue, strArg, type WireClient } from './wire-client.js';

/** A minimal PNG header of width × height (enough for the emulator to read its size). */
function png(width: number, height: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  b.writeUInt32BE(0x89504e47, 0);
  b.writeUInt32BE(0x0d0a1a0a, 4);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

/** TIMMsgDownloadElemToPath: its last reply. */
const download = async (c: WireClient, param: Json, path: string) =>
  (await c.callAll(FunctionId.MsgDownloadElemToPath, [arg.str(JSON.stringify(param)), arg.str(path)])).at(-1)!;

describe('emulator: uploads, downloads, batch send, message hook', function () {
  this.timeout(20_000);
  let h: MessageHarness;
  afterEach(async () => {
    await h.close();
  });

  it('uploads the files of image, sound, file and video elements with EVENT 4 progress before the reply', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    const dir = h.tmp.dir;
    writeFileSync(join(dir, 'a.png'), png(640, 480, 300_000));
    writeFileSync(join(dir, 'a.mp3'), Buffer.alloc(1000, 1));
    writeFileSync(join(dir, 'doc.pdf'), Buffer.alloc(70_000, 2));
    writeFileSync(join(dir, 'v.mp4'), Buffer.alloc(5000, 3));
    writeFileSync(join(dir, 'v.png'), png(16, 9, 100));
    const message = {
      message_elem_array: [
        { elem_type: 0, text_elem_content: 'files' },
        { elem_type: 1, image_elem_orig_path: join(dir, 'a.png'), image_elem_level: 0 },
        { elem_type: 2, sound_elem_file_path: join(dir, 'a.mp3'), sound_elem_file_time: 3 },
        { elem_type: 4, file_elem_file_path: join(dir, 'doc.pdf') },
        { elem_type: 9, video_elem_video_path: join(dir, 'v.mp4'), video_elem_video_type: 'mp4', video_elem_video_duration: 2, video_elem_image_path: join(dir, 'v.png'), video_elem_image_type: 'png' },
        { elem_type: 6, face_elem_index: 1 },
        { elem_type: 7, location_elem_latitude: 1.5, location_elem_longitude: 2.5, location_elem_desc: 'here' },
        { elem_type: 3, custom_elem_data: 'c' },
      ],
    };
    const sent = await send(alice, 'bob', message);
    const progress = alice.takeEvents(EventId.MsgElemUploadProgress).map((e) => ({
      json: parseJson(strArg(e.args[0])) as Json, index: Number(intArgValue(e.args[1])), cur: Number(intArgValue(e.args[2])), total: Number(intArgValue(e.args[3])),
    }));
    expect(progress.map((p) => p.index)).to.include.members([1, 2, 3, 4]);
    const image = progress.filter((p) => p.index === 1);
    expect(image.length).to.be.greaterThan(1);
    expect(image.at(-1)).to.deep.include({ cur: 300_000, total: 300_000 });
    expect(image.map((p) => p.cur)).to.deep.equal([...image.map((p) => p.cur)].sort((a, b) => a - b));
    expect(progress[0]!.json).to.deep.include({ message_conv_id: 'bob', message_conv_type: 1, message_sender: 'alice', message_status: 1 });
    expect(progress.filter((p) => p.index === 4).map((p) => p.total)).to.deep.equal([5000, 100]);

    const elems = sent['message_elem_array'] as Json[];
    expect(elems[1]).to.deep.include({ image_elem_format: 3, image_elem_orig_pic_width: 640, image_elem_orig_pic_height: 480, image_elem_orig_pic_size: 300_000 });
    expect(elems[1]!['image_elem_orig_id']).to.match(/^[0-9a-f]{32}$/);
    expect(elems[1]!['image_elem_thumb_id']).to.equal(elems[1]!['image_elem_orig_id']);
    expect(elems[2]).to.deep.include({ sound_elem_file_size: 1000, sound_elem_file_time: 3, sound_elem_business_id: 0 });
    expect(elems[3]).to.deep.include({ file_elem_file_name: 'doc.pdf', file_elem_file_size: 70_000 });
    expect(elems[4]).to.deep.include({ video_elem_video_size: 5000, video_elem_image_size: 100, video_elem_image_width: 16, video_elem_image_height: 9 });
    const [received] = await nextJson<Json[]>(bob, EventId.RecvNewMsg);
    expect(received!['message_elem_array']).to.deep.equal(elems);

    // Bob downloads the file: progress replies (MORE, "downloading"), then the final one.
    const target = join(dir, 'got.pdf');
    const final = await download(bob, { msg_download_elem_param_type: 1, msg_download_elem_param_id: elems[3]!['file_elem_file_id'], msg_download_elem_param_business_id: 0, msg_download_elem_param_url: '' }, target);
    expect(final).to.include({ code: 0, desc: '', flags: 0 });
    expect(parseJson(final.json)).to.deep.equal({ msg_download_elem_result_current_size: 70_000, msg_download_elem_result_total_size: 70_000 });
    expect(readFileSync(target)).to.deep.equal(readFileSync(join(dir, 'doc.pdf')));
    // By URL too.
    const byUrl = await download(bob, { msg_download_elem_param_type: 3, msg_download_elem_param_url: elems[2]!['sound_elem_url'] }, join(dir, 'got.mp3'));
    expect(byUrl.code).to.equal(0);
    expect(readFileSync(join(dir, 'got.mp3'))).to.deep.equal(readFileSync(join(dir, 'a.mp3')));
  });

  it('download progress comes as REPLY frames with flag MORE and desc "downloading"', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    await h.user('bob');
    writeFileSync(join(h.tmp.dir, 'big.bin'), Buffer.alloc(2_000_000, 7));
    const sent = await send(alice, 'bob', { message_elem_array: [{ elem_type: 4, file_elem_file_path: join(h.tmp.dir, 'big.bin') }] });
    const id = (sent['message_elem_array'] as Json[])[0]!['file_elem_file_id'];
    const target = join(h.tmp.dir, 'copy.bin');
    const frames = (await alice.callAll(FunctionId.MsgDownloadElemToPath, [
      arg.str(JSON.stringify({ msg_download_elem_param_type: 1, msg_download_elem_param_id: id })), arg.str(target),
    ])).map((r) => ({ flags: r.flags, desc: r.desc, json: parseJson(r.json) as Json }));
    expect(frames.length).to.be.greaterThan(2);
    for (const f of frames.slice(0, -1)) expect(f).to.include({ flags: 1, desc: 'downloading' });
    expect(frames.at(-1)).to.include({ flags: 0, desc: '' });
    expect(frames.at(-1)!.json).to.deep.equal({ msg_download_elem_result_current_size: 2_000_000, msg_download_elem_result_total_size: 2_000_000 });
    const currents = frames.map((f) => f.json['msg_download_elem_result_current_size'] as number);
    expect(currents).to.deep.equal([...currents].sort((a, b) => a - b));
    expect(readFileSync(target).length).to.equal(2_000_000);
  });

  it('fails a send naming a missing (7004), empty (7006) or unreadable (7007) file, and stores nothing', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    writeFileSync(join(h.tmp.dir, 'empty.bin'), '');
    mkdirSync(join(h.tmp.dir, 'folder'));
    const locked = join(h.tmp.dir, 'locked.bin');
    writeFileSync(locked, 'x');
    chmodSync(locked, 0o000);
    const cases: Array<[Json, number]> = [
      [{ elem_type: 4, file_elem_file_path: join(h.tmp.dir, 'missing.bin') }, 7004],
      [{ elem_type: 1, image_elem_orig_path: join(h.tmp.dir, 'missing.png') }, 7004],
      [{ elem_type: 2, sound_elem_file_path: join(h.tmp.dir, 'empty.bin') }, 7006],
      [{ elem_type: 9, video_elem_video_path: join(h.tmp.dir, 'folder') }, 7007],
      [{ elem_type: 4 }, ErrorCode.INVALID_MSG_ELEM],
      [{ elem_type: 4, file_elem_file_id: 'not-a-stored-id' }, ErrorCode.INVALID_MSG_ELEM],
    ];
    if (process.getuid?.() !== 0) cases.push([{ elem_type: 4, file_elem_file_path: locked }, 7007]);
    for (const [elem, code] of cases) {
      const r = await convCall(alice, FunctionId.MsgSendNewMsg, 'bob', { message_elem_array: [elem] });
      expect(r.code, r.desc).to.equal(code);
    }
    await bob.expectNoEvent(EventId.RecvNewMsg, 50);
    expect(okJson(await alice.call(FunctionId.ConvGetConvList))).to.deep.equal([]);
    expect((await download(alice, { msg_download_elem_param_type: 1, msg_download_elem_param_id: 'f'.repeat(32) }, join(h.tmp.dir, 'x'))).code).to.equal(6009);
  });

  it('download into a folder that does not exist fails with 6022', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    await h.user('bob');
    writeFileSync(join(h.tmp.dir, 'f.txt'), 'hello');
    const sent = await send(alice, 'bob', { message_elem_array: [{ elem_type: 4, file_elem_file_path: join(h.tmp.dir, 'f.txt') }] });
    const id = (sent['message_elem_array'] as Json[])[0]!['file_elem_file_id'];
    const r = await download(alice, { msg_download_elem_param_type: 1, msg_download_elem_param_id: id }, join(h.tmp.dir, 'no', 'such', 'dir.txt'));
    expect(r.code).to.equal(6022);
  });

  it('batch send: one result per recipient, an unknown one failing alone; each gets its message', async () => {
    h = await new MessageHarness({ unknownAccounts: 'refuse' }).start();
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    const carol = await h.user('carol');
    const r = okJson<Json[]>(await alice.call(FunctionId.MsgBatchSend, [arg.str(JSON.stringify({
      msg_batch_send_param_identifier_array: ['bob', 'ghost', 'carol'], msg_batch_send_param_msg: text('to all'),
    }))]));
    expect(r.map((x) => [x['msg_batch_send_result_identifier'], x['msg_batch_send_result_code']])).to.deep.equal([['bob', 0], ['ghost', 20003], ['carol', 0]]);
    expect(r[0]!['msg_batch_send_result_msg']).to.deep.include({ message_conv_id: 'bob', message_sender: 'alice', message_seq: 1 });
    expect(r[1]).to.not.have.property('msg_batch_send_result_msg');
    for (const c of [bob, carol]) expect(textOf((await nextJson<Json[]>(c, EventId.RecvNewMsg))[0]!)).to.equal('to all');
    const empty = await alice.call(FunctionId.MsgBatchSend, [arg.str('{"msg_batch_send_param_identifier_array":[],"msg_batch_send_param_msg":{}}')]);
    expect(empty.code).to.equal(ErrorCode.INVALID_PARAMETERS);
    const badMsg = await alice.call(FunctionId.MsgBatchSend, [arg.str('{"msg_batch_send_param_identifier_array":["bob"],"msg_batch_send_param_msg":{}}')]);
    expect(badMsg.code).to.equal(ErrorCode.INVALID_MSG_ELEM);
  });

  it('the message hook changes what is stored and delivered (the sender gets EVENT 11) or refuses the message', async () => {
    const seen: HookMessage[] = [];
    h = await new MessageHarness({
      messageHook: (m) => {
        seen.push(m);
        const t = m.elements[0]?.['text_elem_content'];
        if (t === 'spam') return { reject: 20006, desc: 'no spam' };
        if (typeof t === 'string' && t.includes('darn')) return { elements: [{ elem_type: 0, text_elem_content: t.replace(/darn/g, '****') }] };
        return undefined;
      },
    }).start();
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    const reply = await send(alice, 'bob', 'oh darn it');
    expect(textOf(reply)).to.equal('oh darn it');
    const [update] = await nextJson<Json[]>(alice, EventId.MsgUpdate);
    expect(textOf(update!)).to.equal('oh **** it');
    expect(update).to.deep.include({ message_seq: reply['message_seq'], message_rand: reply['message_rand'], message_is_from_self: true });
    const [received] = await nextJson<Json[]>(bob, EventId.RecvNewMsg);
    expect(textOf(received!)).to.equal('oh **** it');
    expect(seen[0]).to.deep.include({ convType: 'c2c', convId: 'bob', sender: 'alice' });

    const refused = await convCall(alice, FunctionId.MsgSendNewMsg, 'bob', text('spam'));
    expect(refused).to.include({ code: 20006, desc: 'no spam' });
    await send(alice, 'bob', 'fine');
    await alice.expectNoEvent(EventId.MsgUpdate, 100);
    const batch = okJson<Json[]>(await alice.call(FunctionId.MsgBatchSend, [arg.str(JSON.stringify({
      msg_batch_send_param_identifier_array: ['bob'], msg_batch_send_param_msg: text('spam'),
    }))]));
    expect(batch[0]).to.deep.include({ msg_batch_send_result_code: 20006 });
  });
});
