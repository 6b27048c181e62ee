/**
 * Sending every element type, uploads with progress, downloads, batch send,
 * the message hook and decode failures, through koffi → libtimlocal →
 * emulator, with user A in this process and user B in a child process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import {
  downloadParamsOf, isTimError, sentMessage, type BatchSendResult, type DownloadProgress, type Element,
  type Message, type OutgoingMessage, type SendEvent, type TimClient, type UploadProgress,
} from '../../src/index.js';
import type { Peer } from '../support/peer.js';
import { Recorder } from '../support/record.js';
import { twoUsers, type TwoUsers } from '../support/two-users.js';

const BOB = { type: 'c2c', id: 'bob' } as const;
const all = <T>(o: import('rxjs').Observable<T>): Promise<T[]> => lastValueFrom(o.pipe(toArray()));

describe('messages through koffi → libtimlocal → emulator: element types, uploads, downloads, batch, hook', function () {
  this.timeout(60_000);
  let users: TwoUsers;
  /** The scratch folder: the files to upload and the downloads. */
  let dir: string;
  let a: TimClient;
  let b: Peer;
  let progress: Recorder<UploadProgress>;
  let updates: Recorder<Message>;

  before(async () => {
    users = await twoUsers({
      db: 'send.db',
      emulator: {
        // Tencent's rule: a batch recipient that never logged in fails (20003).
        unknownAccounts: 'refuse',
        // A word filter, like Tencent's before-send callback.
        messageHook: (m) => {
          const t = m.elements[0]?.['text_elem_content'];
          if (t === 'forbidden') return { reject: 20006, desc: 'refused by the filter' };
          return typeof t === 'string' && t.includes('heck') ? { elements: [{ elem_type: 0, text_elem_content: t.replace(/heck/g, '****') }] } : undefined;
        },
      },
      b: { register: ['carol'] },
      beforeLogin: (client) => {
        progress = new Recorder(client.events.uploadProgress$);
        updates = new Recorder(client.events.messageUpdates$);
      },
    });
    ({ a, b, dir } = users);
  });

  after(() => users.dispose());

  it('sends all eight sendable element types in one message; files upload with progress; B receives the filled-in elements', async () => {
    writeFileSync(join(dir, 'photo.gif'), Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x20, 0x00, 0x10, 0x00]), Buffer.alloc(150_000, 1)]));
    writeFileSync(join(dir, 'voice.amr'), Buffer.alloc(4000, 2));
    writeFileSync(join(dir, 'report.pdf'), Buffer.alloc(90_000, 3));
    writeFileSync(join(dir, 'clip.mp4'), Buffer.alloc(20_000, 4));
    writeFileSync(join(dir, 'cover.gif'), Buffer.concat([Buffer.from('GIF89a'), Buffer.from([8, 0, 6, 0])]));
    const message: OutgoingMessage = {
      elements: [
        { type: 'text', text: 'everything' },
        { type: 'face', index: 4, buf: 'smile' },
        { type: 'location', desc: 'Shenzhen', latitude: 22.54, longitude: 114.06 },
        { type: 'image', path: join(dir, 'photo.gif'), level: 'original' },
        { type: 'sound', path: join(dir, 'voice.amr'), duration: 2 },
        { type: 'custom', data: '{"kind":"card"}', desc: 'a card' },
        { type: 'file', path: join(dir, 'report.pdf'), name: 'Q3.pdf' },
        { type: 'video', video: { path: join(dir, 'clip.mp4'), type: 'mp4', duration: 1 }, snapshot: { path: join(dir, 'cover.gif'), type: 'gif' } },
      ],
    };
    const events: SendEvent[] = await all(a.messages.send(BOB, message));
    const sent = events.at(-1);
    if (sent?.type !== 'sent') throw new Error('no sent event');
    const uploads = events.filter((e) => e.type === 'progress');
    expect(new Set(uploads.map((e) => e.index))).to.deep.equal(new Set([3, 4, 6, 7]));
    expect(uploads.filter((e) => e.index === 3).at(-1)).to.deep.include({ current: 150_010, total: 150_010 });
    expect(events.slice(0, -1).every((e) => e.type === 'progress')).to.equal(true);
    // The hot stream saw the same reports, with the message being sent.
    const seen = await progress.next((p) => p.index === 6 && p.current === p.total);
    expect(seen.message).to.deep.include({ conversation: BOB, sender: 'alice', status: 'sending' });

    const image = sent.message.elements[3]!;
    expect(image).to.deep.include({ type: 'image', format: 2 });
    if (image.type !== 'image') throw new Error('not an image');
    expect(image.original).to.deep.include({ width: 32, height: 16, size: 150_010 });
    const got = await b.next<Message>('messages', (m) => m.elements[0]?.type === 'text' && (m.elements[0] as { text: string }).text === 'everything');
    expect(got.elements.map((e) => e.type)).to.deep.equal(['text', 'face', 'location', 'image', 'sound', 'custom', 'file', 'video']);
    expect(got.elements).to.deep.equal(sent.message.elements);
    expect(got.elements[6]).to.deep.include({ type: 'file', name: 'Q3.pdf', size: 90_000 });
    const video = got.elements[7] as Extract<Element, { type: 'video' }>;
    expect(video.snapshot).to.deep.include({ width: 8, height: 6, size: 10 });

    // B downloads the file and the video: progress, then completion; the bytes are the sender's.
    const target = join(dir, 'downloaded.pdf');
    const steps = await b.call<DownloadProgress[]>('messages', 'downloadElement', downloadParamsOf(got.elements[6]!), target);
    expect(steps.at(-1)).to.deep.equal({ current: 90_000, total: 90_000 });
    expect(steps.map((s) => s.current)).to.deep.equal([...steps.map((s) => s.current)].sort((x, y) => x - y));
    expect(readFileSync(target)).to.deep.equal(readFileSync(join(dir, 'report.pdf')));
    const cover = join(dir, 'cover-copy.gif');
    await b.call('messages', 'downloadElement', downloadParamsOf(video, 'snapshot'), cover);
    expect(readFileSync(cover)).to.deep.equal(readFileSync(join(dir, 'cover.gif')));
  });

  it('a send naming a missing file fails with 7004; a download of an unknown file with 6009', async () => {
    const err = await lastValueFrom(a.messages.send(BOB, { elements: [{ type: 'file', path: join(dir, 'nope.bin') }] })).catch((e: unknown) => e);
    expect(isTimError(err, 7004), String(err)).to.equal(true);
    expect((err as { kind: string }).kind).to.equal('async');
    const dl = await lastValueFrom(a.messages.downloadElement({ type: 'file', id: '0'.repeat(32) }, join(dir, 'x'))).catch((e: unknown) => e);
    expect(isTimError(dl, 6009), String(dl)).to.equal(true);
  });

  it('batch send: one result per recipient, including a per-recipient failure', async () => {
    const results = await lastValueFrom(a.messages.batchSend(['bob', 'nobody', 'carol'], 'to everyone'));
    expect(results.map((r: BatchSendResult) => [r.recipient, r.code])).to.deep.equal([['bob', 0], ['nobody', 20003], ['carol', 0]]);
    expect(results[0]!.message).to.deep.include({ conversation: BOB, sender: 'alice', isFromSelf: true });
    expect(results[1]!.message).to.equal(undefined);
    await b.next<Message>('messages', (m) => (m.elements[0] as { text?: string }).text === 'to everyone');
  });

  it('the message hook: a changed message reaches the sender through messageUpdates$; a refused one fails the send', async () => {
    const sent = await lastValueFrom(a.messages.send(BOB, 'what the heck').pipe(sentMessage()));
    expect(sent.elements).to.deep.equal([{ type: 'text', text: 'what the heck' }]);
    const update = await updates.next((m) => m.seq === sent.seq && m.rand === sent.rand);
    expect(update.elements).to.deep.equal([{ type: 'text', text: 'what the ****' }]);
    const atB = await b.next<Message>('messages', (m) => m.seq === sent.seq && m.sender === 'alice');
    expect(atB.elements).to.deep.equal([{ type: 'text', text: 'what the ****' }]);
    const refused = await lastValueFrom(a.messages.send(BOB, 'forbidden')).catch((e: unknown) => e);
    expect(isTimError(refused, 20006), String(refused)).to.equal(true);
  });

  it('a reply that does not match the spec fails with a decode TimError naming the JSON path', async () => {
    const odd = { elements: [{ type: 'unknown' as const, elemType: 7, raw: { elem_type: 7, location_elem_latitude: 'north', location_elem_longitude: 1 } }] };
    const err = await lastValueFrom(a.messages.send(BOB, odd)).catch((e: unknown) => e);
    expect(isTimError(err), String(err)).to.equal(true);
    expect((err as { kind: string }).kind).to.equal('decode');
    expect((err as Error).message).to.contain('message_elem_array.0.location_elem_latitude');
  });
});
