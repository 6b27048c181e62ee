import { expect } from 'chai';
import { Subject, filter, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ConversationList, type Conversation } from '../../src/codecs/conversation.js';
import { createTimClient, type TimClient, type TimClientOptions } from '../../src/index.js';
import { createDiagnostics } from '../../src/streams/diagnostics.js';
import { createTimState, type TimState } from '../../src/streams/state.js';
import {
  FakeTimBackend, conversation as conv, groupTipsMessage, late, malformed, nativeEvent, ok, okWith,
} from '../../src/testing/index.js';

const ids = (list: Iterable<Conversation>) => [...list].map((c) => `${c.key.id}${c.unreadCount ? `(${c.unreadCount})` : ''}`).join(',');
const marbles = () => new TestScheduler((actual, expected) => {
  expect(actual).to.deep.equal(expected);
});
const list = (...conversations: Conversation[]) => okWith(ConversationList, conversations);

function client(fake: FakeTimBackend, options: Partial<TimClientOptions> = {}): TimClient {
  return createTimClient({ sdkAppId: 1400000001, backend: fake, ...options });
}

/** Runs `fn` at each frame of `marble` (virtual time). */
function at(cold: (m: string) => Observable<string>, marble: string, fn: (frame: string) => void): void {
  cold(marble).subscribe(fn);
}

describe('tim.state over the fake backend (marbles)', () => {
  it('conversations$, totalUnread$, unread$(key), conversation$(key): seeded at login, then add / update / delete; a duplicate emits nothing', () => {
    marbles().run(({ cold, hot, expectObservable }) => {
      const fake = new FakeTimBackend().reply('TIMConvGetConvList', list(conv('c2c:bob', { unreadCount: 1, activeTime: 1n })));
      const tim = client(fake);
      at(cold, '-l', () => tim.login('alice', 'sig').subscribe());
      fake.drive('convEvent', hot('---a-u-d-x', {
        a: nativeEvent.convEvent('add', [conv('c2c:carol', { unreadCount: 2, activeTime: 5n })]),
        u: nativeEvent.convEvent('update', [conv('c2c:bob', { unreadCount: 3, activeTime: 9n })]),
        d: nativeEvent.convEvent('update', [conv('c2c:bob', { unreadCount: 3, activeTime: 9n })]), // duplicate
        x: nativeEvent.convEvent('delete', [conv('c2c:carol')]),
      }));
      expectObservable(tim.state.conversations$.pipe(map(ids))).toBe('eb-a-u---x', {
        e: '', b: 'bob(1)', a: 'carol(2),bob(1)', u: 'bob(3),carol(2)', x: 'bob(3)',
      });
      expectObservable(tim.state.totalUnread$).toBe('ab-c-d---e', { a: 0, b: 1, c: 3, d: 5, e: 3 });
      expectObservable(tim.state.unread$({ type: 'c2c', id: 'carol' })).toBe('a--b-----c', { a: 0, b: 2, c: 0 });
      expectObservable(tim.state.conversation$({ type: 'c2c', id: 'bob' }).pipe(map((c) => c?.unreadCount))).toBe('ab---c', {
        a: undefined, b: 1, c: 3,
      });
    });
  });

  it('a late subscriber gets the current value at once, and the getters read the source with no subscriber at all', () => {
    marbles().run(({ cold, hot, expectObservable, flush }) => {
      const fake = new FakeTimBackend().reply('TIMConvGetConvList', list(conv('c2c:bob', { unreadCount: 4 })));
      const tim = client(fake);
      at(cold, '-l', () => tim.login('alice', 'sig').subscribe());
      fake.drive('convEvent', hot('--a', { a: nativeEvent.convEvent('add', [conv('c2c:dan', { unreadCount: 1, activeTime: 2n })]) }));
      expectObservable(tim.state.conversations$.pipe(map(ids)), '-----^').toBe('-----x', { x: 'dan(1),bob(4)' });
      expectObservable(tim.state.totalUnread$, '----^').toBe('----x', { x: 5 });
      expectObservable(tim.state.connection$, '---^').toBe('---x', { x: { status: 'connected', userId: 'alice' } });
      flush();
      expect(ids(tim.state.conversations)).to.equal('dan(1),bob(4)');
      expect(tim.state.totalUnread).to.equal(5);
      expect(tim.state.unread({ type: 'c2c', id: 'bob' })).to.equal(4);
      expect(tim.state.conversation({ type: 'c2c', id: 'dan' })?.unreadCount).to.equal(1);
      expect(tim.state.connection).to.deep.equal({ status: 'connected', userId: 'alice' });
    });
  });

  it('resync after a reconnect replaces stale state (the SDK resumed the session: no second login)', () => {
    marbles().run(({ cold, hot, expectObservable, flush }) => {
      const fake = new FakeTimBackend()
        .replyOnce('TIMConvGetConvList', list(conv('c2c:bob', { unreadCount: 2, activeTime: 1n }), conv('c2c:gone', { activeTime: 2n })))
        .replyOnce('TIMConvGetConvList', list(conv('c2c:bob', { unreadCount: 0, activeTime: 1n }), conv('c2c:new', { unreadCount: 1, activeTime: 3n })));
      const tim = client(fake);
      at(cold, '-l', () => tim.login('alice', 'sig').subscribe());
      fake.drive('networkStatus', hot('---d-c-r', {
        d: nativeEvent.networkStatus('disconnected', 9508, 'lost'),
        c: nativeEvent.networkStatus('connecting'),
        r: nativeEvent.networkStatus('connected'),
      }));
      expectObservable(tim.state.conversations$.pipe(map(ids))).toBe('eg-----n', { e: '', g: 'gone,bob(2)', n: 'new(1),bob' });
      expectObservable(tim.state.totalUnread$).toBe('ab-----c', { a: 0, b: 2, c: 1 });
      flush();
      expect(fake.callsTo('TIMLogin')).to.have.length(1);
      expect(fake.callsTo('TIMConvGetConvList')).to.have.length(2);
    });
  });

  it('connection$: connecting, connected, disconnected, kicked; then a new login; then user-sig-expired', () => {
    marbles().run(({ cold, hot, expectObservable }) => {
      const fake = new FakeTimBackend().reply('TIMLogin', late(1, ok())); // the reply comes one frame later
      const tim = client(fake);
      at(cold, '-l---------m', () => tim.login('alice', 'sig').subscribe());
      fake.drive('networkStatus', hot('---d-c-r', {
        d: nativeEvent.networkStatus('disconnected', 9508, 'lost'),
        c: nativeEvent.networkStatus('connecting'),
        r: nativeEvent.networkStatus('connected'),
      }));
      fake.drive('kickedOffline', hot('---------k', { k: nativeEvent.kickedOffline() }));
      fake.drive('userSigExpired', hot('-------------e', { e: nativeEvent.userSigExpired() }));
      expectObservable(tim.state.connection$.pipe(map((s) => s.status))).toBe('oicd-n-c-k-ice', {
        o: 'logged-out', i: 'logging-in', c: 'connected', d: 'disconnected', n: 'connecting', k: 'kicked', e: 'user-sig-expired',
      });
    });
  });

  it('a malformed event goes to diagnostics$ while conversations$ keeps emitting', () => {
    marbles().run(({ cold, hot, expectObservable }) => {
      const fake = new FakeTimBackend();
      const tim = client(fake);
      at(cold, '-l', () => tim.login('alice', 'sig').subscribe());
      fake.drive('convEvent', hot('--a-b-c', {
        a: nativeEvent.convEvent('add', [conv('c2c:x', { unreadCount: 1 })]),
        b: { event: 2, json: '[{"conv_id":"x","conv_type":"c2c"}]' }, // conv_type is a number in the spec
        c: nativeEvent.convEvent('add', [conv('c2c:y', { unreadCount: 1, activeTime: 1n })]),
      }));
      fake.drive('recvNewMsg', hot('-----m', { m: nativeEvent.malformedJson() }));
      expectObservable(tim.state.conversations$.pipe(map(ids))).toBe('e-a---c', { e: '', a: 'x(1)', c: 'y(1),x(1)' });
      expectObservable(tim.state.diagnostics$.pipe(map((d) => d.source))).toBe('----bm', { b: 'TIMConvEventCallback', m: 'TIMRecvNewMsgCallback' });
      expectObservable(tim.state.totalUnread$).toBe('a-b---c', { a: 0, b: 1, c: 2 });
    });
  });

  it('sync-finish fetches the list again; a list that does not decode is a diagnostic, not an error', () => {
    marbles().run(({ cold, hot, expectObservable, flush }) => {
      const fake = new FakeTimBackend()
        .replyOnce('TIMConvGetConvList', malformed('[{"conv_id":"x"}]'))
        .replyOnce('TIMConvGetConvList', list(conv('c2c:synced', { unreadCount: 7 })));
      const tim = client(fake);
      at(cold, '-l', () => tim.login('alice', 'sig').subscribe());
      fake.drive('convEvent', hot('--s-f', { s: nativeEvent.convEvent('sync-start'), f: nativeEvent.convEvent('sync-finish') }));
      expectObservable(tim.state.conversations$.pipe(map(ids))).toBe('e---f', { e: '', f: 'synced(7)' });
      expectObservable(tim.state.diagnostics$.pipe(map((d) => d.source))).toBe('-d', { d: 'TIMConvGetConvList' });
      flush();
      expect(tim.state.diagnostics.map((d) => d.raw)).to.deep.equal(['[{"conv_id":"x"}]']);
    });
  });

  it('logout empties the list; a login as another user starts from an empty list and seeds it', () => {
    marbles().run(({ cold, expectObservable }) => {
      const fake = new FakeTimBackend()
        .replyOnce('TIMConvGetConvList', list(conv('c2c:bob', { unreadCount: 1 })))
        .replyOnce('TIMConvGetConvList', list(conv('c2c:erin', { unreadCount: 2 })));
      const tim = client(fake);
      at(cold, '-a-o-b', (f) => (f === 'o' ? tim.logout() : tim.login(f === 'a' ? 'alice' : 'bob', 'sig')).subscribe());
      expectObservable(tim.state.conversations$.pipe(map(ids))).toBe('eb-e-x', { e: '', b: 'bob(1)', x: 'erin(2)' });
      const settled = tim.state.connection$.pipe(map((s) => s.status), filter((s) => s !== 'logging-in'));
      expectObservable(settled).toBe('oc-o-c', { o: 'logged-out', c: 'connected' });
    });
  });

  it('the login outcome reaches the state even when the caller unsubscribed before the reply', () => {
    marbles().run(({ cold, expectObservable }) => {
      const fake = new FakeTimBackend().reply('TIMLogin', late(3, ok()));
      const tim = client(fake);
      at(cold, '-l', () => tim.login('alice', 'sig').subscribe().unsubscribe());
      expectObservable(tim.state.connection$.pipe(map((s) => s.status))).toBe('oi--c', { o: 'logged-out', i: 'logging-in', c: 'connected' });
    });
  });

  it('throttling (off by default) emits the first change at once and then the latest once per window, on the injected scheduler', () => {
    marbles().run(({ cold, hot, expectObservable, flush }) => {
      const fake = new FakeTimBackend();
      const tim = client(fake, { state: { throttleMs: 5 } });
      at(cold, 'l', () => tim.login('alice', 'sig').subscribe());
      const unread = (n: number) => nativeEvent.convEvent('update', [conv('c2c:x', { unreadCount: n })]);
      fake.drive('convEvent', hot('-abc------d', { a: unread(1), b: unread(2), c: unread(3), d: unread(4) }));
      expectObservable(tim.state.totalUnread$).toBe('0----3----4', { 0: 0, 3: 3, 4: 4 });
      flush();
      expect(tim.state.totalUnread).to.equal(4);
    });
  });

  it('group tips do not count when the client config says so (TIMSetConfig user_config_is_ignore_grouptips_unread)', () => {
    marbles().run(({ cold, hot, expectObservable, flush }) => {
      const fake = new FakeTimBackend();
      const tim = client(fake, { config: { userConfig: { ignoreGroupTipsUnread: true } } });
      at(cold, 'l', () => tim.login('alice', 'sig').subscribe());
      fake.drive('recvNewMsg', hot('-t', { t: nativeEvent.recvNewMsg([groupTipsMessage('g')]) }));
      fake.drive('convEvent', hot('--u-r', {
        u: nativeEvent.convEvent('add', [conv('group:g', { unreadCount: 1 })]),
        r: nativeEvent.convEvent('update', [conv('group:g', { unreadCount: 0 })]),
      }));
      expectObservable(tim.state.totalUnread$).toBe('0', { 0: 0 });
      expectObservable(tim.state.unread$({ type: 'group', id: 'g' })).toBe('0', { 0: 0 });
      flush();
      expect(JSON.parse(fake.configs[0]!)).to.deep.include({ set_config_user_config: { user_config_is_ignore_grouptips_unread: true } });
    });
  });

  it('a comparator that throws is reported on diagnostics$; the state keeps working', () => {
    const fake = new FakeTimBackend();
    const tim = client(fake);
    const seen: string[] = [];
    tim.state.diagnostics$.subscribe((d) => seen.push(d.source));
    tim.state.setConversationComparator(() => {
      throw new Error('boom');
    });
    tim.login('alice', 'sig').subscribe();
    fake.emit('convEvent', nativeEvent.convEvent('add', [conv('c2c:a'), conv('c2c:b')]));
    expect(seen.some((s) => s.startsWith('tim-rx state'))).to.equal(true);
    tim.state.setConversationComparator((a, b) => a.key.id.localeCompare(b.key.id));
    fake.emit('convEvent', nativeEvent.convEvent('add', [conv('c2c:c'), conv('c2c:b')]));
    expect(ids(tim.state.conversations)).to.contain('c');
  });

  it('dispose completes every state stream', async () => {
    const tim = client(new FakeTimBackend());
    const completed: string[] = [];
    tim.state.connection$.subscribe({ complete: () => completed.push('connection$') });
    tim.state.conversations$.subscribe({ complete: () => completed.push('conversations$') });
    tim.state.totalUnread$.subscribe({ complete: () => completed.push('totalUnread$') });
    tim.state.unread$({ type: 'c2c', id: 'x' }).subscribe({ complete: () => completed.push('unread$') });
    await new Promise<void>((resolve) => tim.dispose().subscribe({ complete: resolve }));
    expect(completed.sort()).to.deep.equal(['connection$', 'conversations$', 'totalUnread$', 'unread$']);
  });
});

describe('tim.state shape', () => {
  it('every x$ of the state has a getter x beside it (a value, or a function of the same key)', () => {
    const sources = {
      events: { messages$: new Subject(), networkStatus$: new Subject(), conversationEvents$: new Subject(), kickedOffline$: new Subject(), userSigExpired$: new Subject(), log$: new Subject() },
      session$: new Subject(),
      listConversations: () => new Subject<readonly Conversation[]>(),
      diagnostics: createDiagnostics(),
    } as unknown as Parameters<typeof createTimState>[0];
    const { state } = createTimState(sources);
    const names = Object.keys(state) as (keyof TimState)[];
    const streams = names.filter((n) => n.endsWith('$'));
    expect(streams).to.include.members(['connection$', 'conversations$', 'totalUnread$', 'conversation$', 'unread$', 'diagnostics$']);
    for (const name of streams) {
      const getter = name.slice(0, -1) as keyof TimState;
      expect(names, `${name} has no getter ${getter}`).to.include(getter);
      const stream = state[name];
      if (typeof stream === 'function') {
        expect(state[getter], `${getter} takes the key ${name} takes`).to.be.a('function');
      } else {
        expect(typeof state[getter], `${getter} is a value`).to.not.equal('function');
        let first: unknown = 'none';
        (stream as Observable<unknown>).subscribe((v) => (first === 'none' ? (first = v) : undefined)).unsubscribe();
        if (name !== 'diagnostics$') expect(first, `${name} replays what ${getter} returns`).to.equal(state[getter]);
      }
    }
  });
});
