/**
 * `tim.dispose()` over the fake backend: the call itself starts disposal (a
 * user who writes `tim.dispose()` and nothing else gets a disposed client),
 * every call returns the same Disposal, which is both an Observable<void>
 * replaying its end to any subscriber and awaitable; a failure reaches
 * whoever waits, as a TimError.
 */
import { expect } from 'chai';
import { catchError, firstValueFrom, lastValueFrom, map, of, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createTimClient, inZone, isTimError, type TimClient, type ZoneLike } from '../../src/index.js';
import { FakeTimBackend, never } from '../../src/testing/index.js';

const marbles = () => new TestScheduler((actual, expected) => {
  expect(actual).to.deep.equal(expected);
});
const errorOf = (p: PromiseLike<unknown>): Promise<unknown> => Promise.resolve(p).then(() => undefined, (e: unknown) => e);
/** What a command ends with: `kind api` of its TimError, or 'ok'. */
const outcome = (o: Observable<unknown>): Observable<string> => o.pipe(
  map(() => 'ok'),
  catchError((e: unknown) => of(isTimError(e) ? `${e.kind} ${e.api}` : String(e))),
);

function setup(options: ConstructorParameters<typeof FakeTimBackend>[0] = {}): { fake: FakeTimBackend; tim: TimClient } {
  const fake = new FakeTimBackend(options);
  return { fake, tim: createTimClient({ sdkAppId: 1400000001, backend: fake }) };
}

describe('tim.dispose(): disposal starts with the call, awaitable and subscribable', () => {
  it('without a subscriber: the events complete at once and every later command fails with kind disposed', () => {
    const { fake, tim } = setup();
    marbles().run(({ expectObservable }) => {
      tim.dispose(); // the README's usage: nothing subscribes, nothing awaits
      expectObservable(tim.events.messages$).toBe('|');
      expectObservable(outcome(tim.login('alice', 'sig'))).toBe('(a|)', { a: 'disposed TIMLogin' });
      expectObservable(outcome(tim.conversations.list())).toBe('(a|)', { a: 'disposed TIMConvGetConvList' });
      expectObservable(outcome(tim.messages.send({ type: 'c2c', id: 'bob' }, 'hi'))).toBe('(a|)', { a: 'disposed TIMMsgSendNewMsg' });
    });
    expect(fake.disposed).to.equal(true);
    expect(fake.calls, 'no native call after dispose()').to.deep.equal([]);
  });

  it('without a subscriber: the state completes and a command in flight gets 7009', async () => {
    const { fake, tim } = setup();
    fake.reply('TIMLogin', never());
    const login = errorOf(lastValueFrom(tim.login('alice', 'sig'), { defaultValue: undefined }));
    const stateEnded = new Promise<void>((resolve) => tim.state.connection$.subscribe({ complete: resolve }));
    tim.dispose();
    const err = await login;
    expect(isTimError(err, 7009) && err.kind).to.equal('async');
    await stateEnded;
  });

  it('is idempotent: every call returns the same Disposal, and the backend is disposed once', async () => {
    const { fake, tim } = setup();
    let disposals = 0;
    const dispose = fake.dispose.bind(fake);
    fake.dispose = () => {
      disposals++;
      return dispose();
    };
    const first = tim.dispose();
    expect(tim.dispose()).to.equal(first);
    await first;
    expect(tim.dispose()).to.equal(first);
    expect(disposals).to.equal(1);
  });

  it('is awaitable, and an Observable that completes for every subscriber, however late', async () => {
    const { tim } = setup();
    const disposal = tim.dispose();
    expect(await disposal).to.equal(undefined);
    expect(await lastValueFrom(tim.dispose(), { defaultValue: undefined })).to.equal(undefined);
    const late = await new Promise<string>((resolve) => disposal.subscribe({ next: () => resolve('next'), error: () => resolve('error'), complete: () => resolve('complete') }));
    expect(late).to.equal('complete');
  });

  it('a failed TIMUninit reaches the caller as a TimError, whichever way it waits, after disposing everything else', async () => {
    const { fake, tim } = setup({ uninitResult: -1 });
    const disposal = tim.dispose();
    const awaited = await errorOf(disposal);
    expect(isTimError(awaited, -1) && [awaited.kind, awaited.api]).to.deep.equal(['sync', 'TIMUninit']);
    const observed = await errorOf(lastValueFrom(tim.dispose(), { defaultValue: undefined }));
    expect(observed).to.equal(awaited);
    expect(fake.disposed).to.equal(true);
    const err = await errorOf(firstValueFrom(tim.conversations.list()));
    expect(isTimError(err) && err.kind).to.equal('disposed');
  });

  it('a backend that fails with something else still fails the disposal with a TimError', async () => {
    const { fake, tim } = setup();
    fake.dispose = () => Promise.reject(new Error('library gone'));
    const err = await errorOf(tim.dispose());
    expect(isTimError(err) && [err.kind, err.api, err.desc]).to.deep.equal(['sync', 'TIMUninit', 'bad arguments: library gone']);
  });

  it('through a zone wrapper (tim-rx/angular\'s Tim) it starts at once and stays awaitable, delivering in the zone', async () => {
    const { fake, tim } = setup();
    let inside = 0;
    const zone: ZoneLike = { run: (fn) => { inside++; return fn(); } };
    const zoned = inZone(tim, zone);
    const disposal = zoned.dispose();
    expect(fake.disposed).to.equal(true);
    await disposal;
    await lastValueFrom(disposal, { defaultValue: undefined });
    expect(inside, 'the completion delivered by zone.run').to.equal(1);
  });
});
