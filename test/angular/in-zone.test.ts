import { expect } from 'chai';
import { Subject, firstValueFrom, lastValueFrom } from 'rxjs';
import { createTimClient } from '../../src/index.js';
import { inZone, type ZoneLike } from '../../src/streams/zone.js';
import { FakeTimBackend, conversation, nativeEvent } from '../../src/testing/index.js';

function fakeZone() {
  let depth = 0;
  const zone = {
    get inside() {
      return depth > 0;
    },
    run<T>(fn: () => T): T {
      depth++;
      try {
        return fn();
      } finally {
        depth--;
      }
    },
  };
  return zone satisfies ZoneLike;
}

describe('inZone: the zone-aware client that tim-rx/angular provides', () => {
  it('delivers state streams, events and command results inside the zone; getters and values pass through', async () => {
    const zone = fakeZone();
    const fake = new FakeTimBackend({ version: 'v' });
    const raw = createTimClient({ sdkAppId: 1, backend: fake });
    const tim = inZone(raw, zone);
    const seen: string[] = [];
    tim.state.totalUnread$.subscribe((n) => seen.push(`total ${n} ${zone.inside}`));
    tim.state.unread$({ type: 'c2c', id: 'bob' }).subscribe((n) => seen.push(`bob ${n} ${zone.inside}`));
    tim.events.conversationEvents$.subscribe((e) => seen.push(`event ${e.kind} ${zone.inside}`));
    await lastValueFrom(tim.login('alice', 'sig'), { defaultValue: undefined });
    fake.emit('convEvent', nativeEvent.convEvent('add', [conversation('c2c:bob', { unreadCount: 2 })]));
    expect(seen).to.deep.equal(['total 0 true', 'bob 0 true', 'bob 2 true', 'total 2 true', 'event add true']);
    const inside = await new Promise<boolean>((resolve) => tim.conversations.list().subscribe(() => resolve(zone.inside)));
    expect(inside).to.equal(true);
    expect(tim.version).to.equal('v');
    expect(tim.state.totalUnread).to.equal(2);
    expect(tim.state.connection).to.equal(raw.state.connection); // the same object, not a proxy
    expect(tim.state.conversations).to.equal(raw.state.conversations);
  });

  it('returns the same wrapped Observable at every read (an async pipe keeps one subscription)', () => {
    const tim = inZone(createTimClient({ sdkAppId: 1, backend: new FakeTimBackend() }), fakeZone());
    expect(tim.state.conversations$).to.equal(tim.state.conversations$);
    expect(tim.events.messages$).to.equal(tim.events.messages$);
    expect(tim.state).to.equal(tim.state);
  });

  it('leaves values that are not Observables alone (a method returning a plain value, a model object)', async () => {
    const api = { n: 1, data: { a: 1 }, f: () => 2, o$: new Subject<number>(), p: () => firstValueFrom(new Subject<number>()) };
    const wrapped = inZone(api, fakeZone());
    expect(wrapped.n).to.equal(1);
    expect(wrapped.data).to.equal(api.data);
    expect(wrapped.f()).to.equal(2);
    expect(wrapped.p()).to.be.instanceOf(Promise);
  });

  it('the example app config provides the client through provideTimClient (typechecked with the example)', async () => {
    const { appConfig } = await import('../../examples/angular/app.config.js');
    expect(appConfig.providers).to.have.length(1);
  });
});
