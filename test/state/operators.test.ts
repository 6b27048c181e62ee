import { expect } from 'chai';
import { Subject, map, observeOn } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { KeyedSubjects } from '../../src/streams/keyed.js';
import { throttleState } from '../../src/streams/throttle.js';
import { ZoneScheduler, runInZone, type ZoneLike } from '../../src/streams/zone.js';

const marbles = () => new TestScheduler((actual, expected) => {
  expect(actual).to.deep.equal(expected);
});

/** A zone double: counts entries and tells whether code runs inside it. */
function fakeZone() {
  let depth = 0;
  const zone = {
    entered: 0,
    get inside() {
      return depth > 0;
    },
    run<T>(fn: () => T): T {
      zone.entered++;
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

describe('state operators', () => {
  it('marbles: throttleState(ms, scheduler) is identity when off, and leading + trailing (latest value) when on', () => {
    marbles().run(({ cold, expectObservable }) => {
      const source = cold('ab-c-----d-e', { a: 1, b: 2, c: 3, d: 4, e: 5 });
      expectObservable(source.pipe(throttleState(undefined))).toBe('ab-c-----d-e', { a: 1, b: 2, c: 3, d: 4, e: 5 });
      expectObservable(source.pipe(throttleState(0))).toBe('ab-c-----d-e', { a: 1, b: 2, c: 3, d: 4, e: 5 });
      expectObservable(source.pipe(throttleState(4))).toBe('a---c----d---e', { a: 1, c: 3, d: 4, e: 5 });
    });
  });

  it('runInZone delivers next, error and complete inside the zone', () => {
    const zone = fakeZone();
    const seen: string[] = [];
    const source = new Subject<number>();
    source.pipe(runInZone(zone)).subscribe({
      next: (v) => seen.push(`next ${v} ${zone.inside}`),
      complete: () => seen.push(`complete ${zone.inside}`),
    });
    source.next(1); // from outside any zone, as a native callback would
    source.complete();
    expect(seen).to.deep.equal(['next 1 true', 'complete true']);
    const errors: boolean[] = [];
    new Subject<never>().pipe(runInZone(zone)).subscribe({ error: () => errors.push(zone.inside) });
    const failing = new Subject<number>();
    failing.pipe(runInZone(zone)).subscribe({ error: () => errors.push(zone.inside) });
    failing.error(new Error('x'));
    expect(errors).to.deep.equal([true]);
  });

  it('ZoneScheduler runs scheduled work inside the zone, on the delegate\'s clock (virtual with a TestScheduler)', () => {
    const zone = fakeZone();
    const ts = marbles();
    ts.run(({ cold, expectObservable }) => {
      const scheduler = new ZoneScheduler(zone, ts);
      const delivered = cold('a-b', { a: 1, b: 2 }).pipe(observeOn(scheduler, 1), map((v) => `${v}:${zone.inside}`));
      expectObservable(delivered).toBe('-a-b', { a: '1:true', b: '2:true' });
      expect(scheduler.now()).to.equal(ts.now());
    });
    let ran = false;
    new ZoneScheduler(zone).schedule(() => (ran = zone.inside));
    expect(ran).to.equal(true);
  });

  it('KeyedSubjects: a key replays its value, hears only its own publishes, and is released when nobody observes it', () => {
    const values = new Map<string, number>([['a', 1]]);
    const keyed = new KeyedSubjects<number>((k) => values.get(k) ?? 0);
    const seenA: number[] = [];
    const seenB: number[] = [];
    const subA = keyed.observe('a').subscribe((v) => seenA.push(v));
    const subB = keyed.observe('b').subscribe((v) => seenB.push(v));
    values.set('a', 2);
    keyed.publish('a');
    keyed.publish('zzz');
    expect(seenA).to.deep.equal([1, 2]);
    expect(seenB).to.deep.equal([0]);
    expect(keyed.observedKeys).to.equal(2);
    subA.unsubscribe();
    subB.unsubscribe();
    expect(keyed.observedKeys).to.equal(0);
    keyed.complete();
    let completed = false;
    keyed.observe('a').subscribe({ complete: () => (completed = true) });
    expect(completed).to.equal(true);
  });
});
