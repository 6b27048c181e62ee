import { expect } from 'chai';
import { concatWith, firstValueFrom, lastValueFrom, map, mergeMap, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ConversationList } from '../../src/codecs/conversation.js';
import { Message } from '../../src/codecs/message.js';
import { createTimClient, isTimError, type TimClient } from '../../src/index.js';
import {
  FakeTimBackend, conversation, fails, late, malformed, nativeEvent, never, ok, okWith, replies, syncFails, textMessage,
} from '../../src/testing/index.js';

const marbles = () => new TestScheduler((actual, expected) => {
  expect(actual).to.deep.equal(expected);
});
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

function setup(): { fake: FakeTimBackend; tim: TimClient } {
  const fake = new FakeTimBackend({ version: '8.0.0-fake' });
  return { fake, tim: createTimClient({ sdkAppId: 1400000001, backend: fake, config: { logLevel: 'warn' } }) };
}

describe('tim-rx/testing: FakeTimBackend', () => {
  it('createTimClient runs over it: TIMSetConfig and TIMInit are recorded, the version is the fake\'s', () => {
    const { fake, tim } = setup();
    expect(tim.version).to.equal('8.0.0-fake');
    expect(fake.initArgs?.sdkAppId).to.equal(1400000001n);
    expect(JSON.parse(fake.configs[0]!)).to.deep.equal({ set_config_is_log_output_console: false, set_config_log_level: 5 });
  });

  it('a refused TIMInit makes createTimClient throw, as with the native library', () => {
    expect(() => createTimClient({ sdkAppId: 1, backend: new FakeTimBackend({ initResult: -4 }) })).to.throw(/TIMInit/);
  });

  it('scripts a success with JSON built from models, and records each call with its native arguments', async () => {
    const { fake, tim } = setup();
    fake.reply('TIMConvGetConvList', okWith(ConversationList, [conversation('c2c:bob', { unreadCount: 2 })]));
    const list = await firstValueFrom(tim.conversations.list());
    expect(list.map((c) => [c.key.id, c.unreadCount])).to.deep.equal([['bob', 2]]);
    await lastValueFrom(tim.login('alice', 'sig'), { defaultValue: undefined });
    expect(fake.calls.map((c) => c.api)).to.deep.equal(['TIMConvGetConvList', 'TIMLogin', 'TIMConvGetConvList']);
    expect(fake.callsTo('TIMLogin')[0]!.args).to.deep.equal(['alice', 'sig']);
  });

  it('scripts an error code, a malformed payload and a synchronous TIMResult: the three error kinds', async () => {
    const { fake, tim } = setup();
    fake.replyOnce('TIMLogin', fails(70001, 'sig expired'));
    const expired = await errorOf(lastValueFrom(tim.login('alice', 'old')));
    expect(isTimError(expired, 70001) && expired.kind).to.equal('async');

    fake.replyOnce('TIMConvGetConvList', malformed('{"not":"a list"}'));
    const decode = await errorOf(firstValueFrom(tim.conversations.list()));
    expect(isTimError(decode) && decode.kind).to.equal('decode');

    fake.replyOnce('TIMMsgSendNewMsg', syncFails(-3));
    const sync = await errorOf(firstValueFrom(tim.messages.send({ type: 'c2c', id: 'bob' }, 'hi')));
    expect(isTimError(sync, -3) && sync.kind).to.equal('sync');
  });

  it('an unscripted command answers 7013 naming itself; login, logout and the list have working defaults', async () => {
    const { tim } = setup();
    const err = await errorOf(firstValueFrom(tim.messages.send({ type: 'c2c', id: 'bob' }, 'hi')));
    expect(isTimError(err, 7013) && err.desc).to.contain('TIMMsgSendNewMsg');
    await lastValueFrom(tim.login('a', 's'), { defaultValue: undefined });
    expect(await firstValueFrom(tim.conversations.list())).to.deep.equal([]);
    await lastValueFrom(tim.logout(), { defaultValue: undefined });
  });

  it('replyOnce scripts queue in order before the standing reply; a function script answers from the call', async () => {
    const { fake, tim } = setup();
    fake.reply('TIMMsgSendNewMsg', (call) => {
      const [id, , json] = call.args as [string, number, string];
      const sent = JSON.parse(json) as { message_elem_array: unknown };
      return ok(JSON.stringify({ message_conv_id: id, message_conv_type: 1, message_elem_array: sent.message_elem_array, message_seq: fake.calls.length }));
    });
    fake.replyOnce('TIMMsgSendNewMsg', fails(6200, 'no network'));
    const first = await errorOf(firstValueFrom(tim.messages.send({ type: 'c2c', id: 'bob' }, 'one')));
    expect(isTimError(first, 6200)).to.equal(true);
    const second = await firstValueFrom(tim.messages.send({ type: 'c2c', id: 'bob' }, 'two'));
    expect(second.message.elements).to.deep.equal([{ type: 'text', text: 'two' }]);
    expect(second.message.seq).to.equal(2n);
  });

  it('marbles: a late reply arrives in virtual time; each call is recorded at its virtual time', () => {
    marbles().run(({ cold, expectObservable, flush }) => {
      const { fake, tim } = setup();
      fake.reply('TIMConvGetConvList', late(5, okWith(ConversationList, [conversation('c2c:x')])));
      const asked = cold('--a|').pipe(mergeMap(() => tim.conversations.list()), map((l) => l.length));
      expectObservable(asked).toBe('-------(n|)', { n: 1 });
      flush();
      expect(fake.calls.map((c) => c.at)).to.deep.equal([2]);
    });
  });

  it('a reply that never comes keeps the call pending until the subscriber leaves', () => {
    const { fake, tim } = setup();
    fake.reply('TIMConvGetConvList', never());
    const sub = tim.conversations.list().subscribe();
    expect(fake.pending).to.equal(1);
    sub.unsubscribe();
    expect(fake.pending).to.equal(0);
  });

  it('dispose settles every call still in flight with 7009 and completes it, as the koffi backend does', async () => {
    const progress = replies({ code: 0, desc: 'downloading', json: '{"p":1}' });
    const fake = new FakeTimBackend()
      .reply('TIMMsgDownloadElemToPath', progress.pipe(concatWith(never())))
      .reply('TIMConvGetConvList', never());
    const seen: string[] = [];
    const record = (name: string) => ({
      next: (r: { code: number; desc: string; json: string }) => seen.push(`${name} ${r.code} ${r.desc} ${JSON.stringify(r.json)}`),
      error: () => seen.push(`${name} error`),
      complete: () => seen.push(`${name} complete`),
    });
    fake.call('TIMMsgDownloadElemToPath', ['{}', '/tmp/x']).subscribe(record('download'));
    fake.call('TIMConvGetConvList', []).subscribe(record('list'));
    fake.call('TIMConvGetConvList', []).subscribe().unsubscribe();
    expect(fake.pending).to.equal(2);
    await fake.dispose();
    expect(fake.pending).to.equal(0);
    expect(seen).to.deep.equal([
      'download 0 downloading "{\\"p\\":1}"',
      'download 7009 disposed before the native reply arrived ""',
      'download complete',
      'list 7009 disposed before the native reply arrived ""',
      'list complete',
    ]);
  });

  it('a command in flight when the client is disposed fails with 7009', async () => {
    const { fake, tim } = setup();
    fake.reply('TIMConvGetConvList', never());
    let err: unknown;
    tim.conversations.list().subscribe({ error: (e: unknown) => (err = e) });
    await fake.dispose();
    expect(isTimError(err, 7009) && err.kind).to.equal('async');
  });

  it('several replies for one call (multi-shot APIs) are all delivered', async () => {
    const fake = new FakeTimBackend().reply('TIMMsgDownloadElemToPath', replies(
      { code: 0, desc: 'downloading', json: '{"p":1}' },
      { code: 0, desc: '', json: '' },
    ));
    const all = await lastValueFrom(fake.call('TIMMsgDownloadElemToPath', ['{}', '/tmp/x']).pipe(toArray()));
    expect(all.map((r) => r.desc)).to.deep.equal(['downloading', '']);
  });

  it('emits any native event with the C callback\'s raw arguments; the typed streams decode them', () => {
    const { fake, tim } = setup();
    const seen: string[] = [];
    tim.events.messages$.subscribe((m) => seen.push(`message ${m.sender}`));
    tim.events.networkStatus$.subscribe((s) => seen.push(`network ${s.status} ${s.code}`));
    tim.events.conversationEvents$.subscribe((e) => seen.push(`conversation ${e.kind}`));
    tim.events.kickedOffline$.subscribe(() => seen.push('kicked'));
    tim.events.userSigExpired$.subscribe(() => seen.push('expired'));
    tim.events.log$.subscribe((l) => seen.push(`log ${l.level}`));
    fake.emit('recvNewMsg', nativeEvent.recvNewMsg([textMessage('c2c:bob', 'hi')]));
    fake.emit('networkStatus', nativeEvent.networkStatus('connect-failed', 9511, 'refused'));
    fake.emit('convEvent', nativeEvent.convEvent('sync-start'));
    fake.emit('convEvent', { event: 2, json: '[{"conv_id":"bob","conv_type":1}]' });
    fake.emit('kickedOffline', nativeEvent.kickedOffline());
    fake.emit('userSigExpired', nativeEvent.userSigExpired());
    fake.emit('log', nativeEvent.log('warn', 'careful'));
    expect(seen).to.deep.equal([
      'message bob', 'network connect-failed 9511', 'conversation sync-start', 'conversation update', 'kicked', 'expired', 'log warn',
    ]);
  });

  it('model fixtures decode exactly as the codecs decode the SDK\'s JSON', () => {
    const m = textMessage('group:g1', 'hello', { seq: 2n ** 60n, sender: 'bob' });
    const fromJson = Message.decode(Message.encode(m));
    expect(fromJson._tag === 'Right' && fromJson.right).to.deep.equal(m);
    expect(conversation('system:@TIM#SYSTEM').key).to.deep.equal({ type: 'system', id: '@TIM#SYSTEM' });
  });

  it('dispose completes the events; later calls error with kind disposed', async () => {
    const { fake, tim } = setup();
    let completed = false;
    tim.events.messages$.subscribe({ complete: () => (completed = true) });
    await lastValueFrom(tim.dispose(), { defaultValue: undefined });
    expect(completed).to.equal(true);
    expect(fake.disposed).to.equal(true);
    const err = await errorOf(firstValueFrom(tim.conversations.list()));
    expect(isTimError(err) && err.kind).to.equal('disposed');
  });
});
