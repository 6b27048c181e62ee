import { expect } from 'chai';
import { distinctUntilChanged, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ConversationList, createTimClient, type TimClient } from '../../src/index.js';
import { FakeTimBackend, conversation, fails, nativeEvent, okWith } from '../../src/testing/index.js';

/** The app's service under test: an unread badge and a connection banner. */
class InboxService {
  readonly badge$: Observable<string>;
  readonly banner$: Observable<string>;

  constructor(private readonly tim: TimClient) {
    this.badge$ = tim.state.totalUnread$.pipe(map((n) => (n === 0 ? '' : n > 99 ? '99+' : `${n}`)));
    this.banner$ = tim.state.connection$.pipe(
      map((s) => {
        switch (s.status) {
          case 'disconnected': return 'Reconnecting…';
          case 'kicked': return 'Signed in on another device';
          case 'user-sig-expired': return 'Please sign in again';
          default: return '';
        }
      }),
      distinctUntilChanged(),
    );
  }

  signIn(userId: string, userSig: string): Observable<void> {
    return this.tim.login(userId, userSig);
  }
}

describe('InboxService (marble-tested over tim-rx/testing)', () => {
  const testScheduler = () => new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });

  it('shows the unread total: seeded at sign-in, then following conversation events', () => {
    testScheduler().run(({ cold, hot, expectObservable }) => {
      const fake = new FakeTimBackend()
        .reply('TIMConvGetConvList', okWith(ConversationList, [conversation('c2c:bob', { unreadCount: 2 })]));
      const inbox = new InboxService(createTimClient({ sdkAppId: 1400000001, backend: fake }));

      cold('-s').subscribe(() => inbox.signIn('alice', 'sig').subscribe());
      fake.drive('convEvent', hot('---a-b', {
        a: nativeEvent.convEvent('add', [conversation('group:team', { unreadCount: 120 })]),
        b: nativeEvent.convEvent('delete', [conversation('group:team')]),
      }));

      expectObservable(inbox.badge$).toBe('es-a-b', { e: '', s: '2', a: '99+', b: '2' });
    });
  });

  it('shows a banner while the SDK reconnects by itself, and when the user is kicked', () => {
    testScheduler().run(({ cold, hot, expectObservable }) => {
      const fake = new FakeTimBackend();
      const inbox = new InboxService(createTimClient({ sdkAppId: 1400000001, backend: fake }));

      cold('-s').subscribe(() => inbox.signIn('alice', 'sig').subscribe());
      fake.drive('networkStatus', hot('---d-c', {
        d: nativeEvent.networkStatus('disconnected', 9508, 'connection lost'),
        c: nativeEvent.networkStatus('connected'),
      }));
      fake.drive('kickedOffline', hot('-------k', { k: nativeEvent.kickedOffline() }));

      expectObservable(inbox.banner$).toBe('e--r-e-k', { e: '', r: 'Reconnecting…', k: 'Signed in on another device' });
    });
  });

  it('asks to sign in again when the UserSig has expired', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const fake = new FakeTimBackend().reply('TIMLogin', fails(70001, 'UserSig expired'));
      const inbox = new InboxService(createTimClient({ sdkAppId: 1400000001, backend: fake }));

      cold('-s').subscribe(() => inbox.signIn('alice', 'old-sig').subscribe({ error: () => undefined }));

      expectObservable(inbox.banner$).toBe('ex', { e: '', x: 'Please sign in again' });
    });
  });
});
// ---- end of the README example ----

describe('README', () => {
  it('shows the example above verbatim (with package imports)', async () => {
    const { readFile } = await import('node:fs/promises');
    const self = await readFile(new URL(import.meta.url), 'utf8');
    const example = self.slice(0, self.indexOf('// ---- end of the README example ----'))
      .replace("'../../src/index.js'", "'tim-rx'")
      .replace("'../../src/testing/index.js'", "'tim-rx/testing'")
      .trim();
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).to.include(example);
  });
});
