import { expect } from 'chai';
import { Observable, Subject, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import type { CommandApi } from '../../src/backend/api.js';
import type { NativeArg, RawReply, TimBackend } from '../../src/backend/types.js';
import { getConversationList } from '../../src/commands/conversation.js';
import { command, decodeReply, noData } from '../../src/commands/command.js';
import { login, logout, type SessionOutcome } from '../../src/commands/manager.js';
import { ConversationList } from '../../src/codecs/conversation.js';
import { sendMessage } from '../../src/commands/message.js';
import { TimError } from '../../src/errors.js';

/** A backend whose replies the test scripts; it records every native call. */
function scriptedBackend(reply: (api: CommandApi, args: readonly NativeArg[]) => Observable<RawReply>) {
  const calls: { api: CommandApi; args: readonly NativeArg[] }[] = [];
  const backend: TimBackend = {
    init: () => 0,
    setConfig: () => 0,
    version: () => 'scripted',
    call: (api, args) => {
      calls.push({ api, args });
      return reply(api, args);
    },
    events: {} as TimBackend['events'],
    invoke: () => 0,
    dispose: async () => undefined,
  };
  return { backend, calls };
}

const ok = (json = ''): Observable<RawReply> => new Observable((s) => {
  s.next({ code: 0, desc: '', json });
  s.complete();
});

describe('commands are cold Observables over one native call each', () => {
  it('makes no native call before subscribe, and one per subscription', async () => {
    const { backend, calls } = scriptedBackend(() => ok('[]'));
    const list$ = getConversationList(backend);
    expect(calls).to.have.length(0);
    await firstValueFrom(list$);
    await firstValueFrom(list$);
    expect(calls.map((c) => c.api)).to.deep.equal(['TIMConvGetConvList', 'TIMConvGetConvList']);
  });

  it('encodes the send parameters with the spec keys and decodes the sent message', async () => {
    const sentJson = '{"message_conv_id":"bob","message_conv_type":1,"message_elem_array":[{"elem_type":0,"text_elem_content":"hi"}],'
      + '"message_sender":"alice","message_seq":7,"message_rand":9,"message_unique_id":6663412958246207497}';
    const { backend, calls } = scriptedBackend(() => ok(sentJson));
    const [event] = await lastValueFrom(sendMessage(backend, { type: 'c2c', id: 'bob' }, 'hi').pipe(toArray()));
    expect(calls[0]!.args).to.deep.equal(['bob', 1, '{"message_elem_array":[{"elem_type":0,"text_elem_content":"hi"}]}']);
    expect(event!.type).to.equal('sent');
    expect(event!.message.uniqueId).to.equal(6663412958246207497n);
  });

  it('errors with kind async and the callback code, never decoding a failure payload', async () => {
    const { backend } = scriptedBackend(() => new Observable((s) => s.next({ code: 70001, desc: 'expired', json: '{"x":1}' })));
    const err = await lastValueFrom(login(backend, 'a', 'sig')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TimError);
    expect(err).to.deep.include({ kind: 'async', code: 70001, api: 'TIMLogin', desc: 'expired' });
  });

  it('errors with kind decode and the io-ts path when the reply does not match the spec', async () => {
    const { backend } = scriptedBackend(() => ok('[{"conv_id":"x","conv_type":"one"}]'));
    const err = await firstValueFrom(getConversationList(backend)).catch((e: unknown) => e);
    expect(err).to.deep.include({ kind: 'decode', api: 'TIMConvGetConvList' });
    expect((err as TimError).message).to.contain('conv_type');
    expect((err as TimError).raw).to.equal('[{"conv_id":"x","conv_type":"one"}]');
  });

  it('unsubscribing before the reply tears the native request down', () => {
    const pending = new Subject<RawReply>();
    let torn = 0;
    const { backend } = scriptedBackend(() => new Observable((s) => {
      const sub = pending.subscribe(s);
      return () => {
        torn++;
        sub.unsubscribe();
      };
    }));
    const seen: unknown[] = [];
    getConversationList(backend).subscribe((v) => seen.push(v)).unsubscribe();
    pending.next({ code: 0, desc: '', json: '[]' });
    expect(torn).to.equal(1);
    expect(seen).to.deep.equal([]);
  });

  it('builds lazy arguments at each subscribe, not before', async () => {
    const { backend, calls } = scriptedBackend(() => ok());
    let built = 0;
    const call = command(backend, 'TIMConvDelete', () => ['c' + String(++built), 1], noData);
    expect(built).to.equal(0);
    await lastValueFrom(call, { defaultValue: undefined });
    await lastValueFrom(call, { defaultValue: undefined });
    expect(calls.map((c) => c.args)).to.deep.equal([['c1', 1], ['c2', 1]]);
  });

  it('passes every reply of a multi-shot call through, then completes', async () => {
    const { backend } = scriptedBackend(() => new Observable((s) => {
      s.next({ code: 0, desc: 'downloading', json: '1' });
      s.next({ code: 0, desc: 'downloading', json: '2' });
      s.next({ code: 0, desc: '', json: '3' });
      s.complete();
    }));
    const seen = await lastValueFrom(command(backend, 'TIMMsgDownloadElemToPath', ['p', 'q'], (r) => r.json).pipe(toArray()));
    expect(seen).to.deep.equal(['1', '2', '3']);
  });

  it('a decode error or a non-zero code after a progress reply errors once and tears the native request down', async () => {
    for (const last of [{ code: 0, desc: '', json: '{"bad":' }, { code: 6017, desc: 'invalid', json: '' }]) {
      let torn = 0;
      const { backend } = scriptedBackend(() => new Observable((s) => {
        s.next({ code: 0, desc: '', json: '[]' });
        s.next(last);
        s.next({ code: 0, desc: '', json: '[]' });
        return () => torn++;
      }));
      const err = await lastValueFrom(command(backend, 'TIMConvGetConvList', [], decodeReply('TIMConvGetConvList', ConversationList)).pipe(
        toArray(),
      )).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(TimError);
      expect((err as TimError).kind).to.equal(last.code === 0 ? 'decode' : 'async');
      expect(torn).to.equal(1);
    }
  });

  it('reports the logout outcome even when the caller unsubscribed before the reply', () => {
    const reply = new Subject<RawReply>();
    const { backend } = scriptedBackend(() => reply);
    const outcomes: SessionOutcome[] = [];
    logout(backend, (o) => outcomes.push(o)).subscribe().unsubscribe();
    expect(outcomes).to.deep.equal([]);
    reply.next({ code: 0, desc: '', json: '' });
    reply.complete();
    expect(outcomes).to.deep.equal([{ kind: 'logout-success' }]);
  });

  it('reports a login failure with its code, and errors the caller with it', async () => {
    const { backend } = scriptedBackend(() => new Observable((s) => s.next({ code: 70001, desc: 'expired', json: '' })));
    const outcomes: SessionOutcome[] = [];
    const err = await lastValueFrom(login(backend, 'u', 'sig', (o) => outcomes.push(o)), { defaultValue: undefined }).catch((e: unknown) => e);
    expect(err).to.deep.include({ kind: 'async', code: 70001 });
    expect(outcomes).to.deep.equal([
      { kind: 'login-start', userId: 'u' },
      { kind: 'login-failure', userId: 'u', code: 70001, desc: 'expired' },
    ]);
  });
});
