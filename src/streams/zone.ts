/**
 * Zone delivery without a zone dependency (AngularFire's `zones.ts`, reduced
 * to what tim-rx needs). Native callbacks arrive outside any Angular zone;
 * these put the emissions back inside one, so change detection sees them.
 * A zone is anything with `run`: Angular's `NgZone`, a zone.js `Zone`, or a
 * test double.
 */
import { Observable, isObservable, queueScheduler, type MonoTypeOperatorFunction, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

/** What tim-rx needs of a zone. */
export interface ZoneLike {
  run<T>(fn: () => T): T;
}

/** Delivers every notification (next, error, complete) inside `zone.run`. */
export function runInZone<T>(zone: ZoneLike): MonoTypeOperatorFunction<T> {
  return (source) => new Observable<T>((subscriber) => source.subscribe({
    next: (value) => zone.run(() => subscriber.next(value)),
    error: (error: unknown) => zone.run(() => subscriber.error(error)),
    complete: () => zone.run(() => subscriber.complete()),
  }));
}

/**
 * A scheduler that runs its work inside `zone` (through `delegate`, default
 * `queueScheduler`: at once, unless a delay is asked). Pass it as
 * `createTimClient({ scheduler })` and every hot event, hence every state
 * emission, is delivered inside the zone; time stays the delegate's, so a
 * `TestScheduler` delegate keeps marble tests virtual.
 */
export class ZoneScheduler implements SchedulerLike {
  constructor(private readonly zone: ZoneLike, private readonly delegate: SchedulerLike = queueScheduler) {}

  now(): number {
    return this.delegate.now();
  }

  schedule<T>(work: (this: SchedulerAction<T>, state: T) => void, delay?: number, state?: T): Subscription {
    const zone = this.zone;
    return this.delegate.schedule<T>(function (this: SchedulerAction<T>, s?: T) {
      zone.run(() => work.call(this, s as T));
    }, delay, state);
  }
}

/**
 * The same API with every Observable it hands out delivered inside `zone`:
 * Observable properties (`state.totalUnread$`, `events.messages$`), the
 * results of methods (`login()`, `conversations.list()`, `unread$(key)`;
 * `dispose()`'s Disposal stays awaitable), recursively through namespaces
 * (`state`, `events`, `conversations`, …).
 * Values and getters (`state.totalUnread`, `version`) pass through unchanged.
 * A property yields the same wrapped Observable at every read, so a
 * template's `async` pipe keeps one subscription.
 */
export function inZone<T extends object>(api: T, zone: ZoneLike): T {
  const cache = new Map<PropertyKey, { readonly source: unknown; readonly wrapped: unknown }>();
  const remember = (prop: PropertyKey, source: unknown, wrap: () => unknown): unknown => {
    const hit = cache.get(prop);
    if (hit !== undefined && hit.source === source) return hit.wrapped;
    const wrapped = wrap();
    cache.set(prop, { source, wrapped });
    return wrapped;
  };
  return new Proxy(api, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (isObservable(value)) return remember(prop, value, () => value.pipe(runInZone(zone)));
      if (typeof value === 'function') {
        return remember(prop, value, () => (...args: unknown[]) => {
          const result: unknown = Reflect.apply(value, target, args);
          return isObservable(result) ? deliverInZone(result, zone) : result;
        });
      }
      if (isNamespace(target, prop, value)) return remember(prop, value, () => inZone(value, zone));
      return value;
    },
  });
}

/**
 * `source` delivered inside `zone`; one that is also awaitable (`dispose()`'s
 * Disposal) stays awaitable, with the same outcome (a zone-aware Promise
 * resumes the awaiting code in the zone it awaited from).
 */
function deliverInZone(source: Observable<unknown>, zone: ZoneLike): Observable<unknown> {
  const wrapped = source.pipe(runInZone(zone));
  const then: unknown = Reflect.get(source, 'then');
  return typeof then === 'function' ? Object.assign(wrapped, { then: then.bind(source) as unknown }) : wrapped;
}

/** A data property holding an API object (has a method or an Observable), not a model value or a getter's result. */
function isNamespace(target: object, prop: PropertyKey, value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const descriptor = Object.getOwnPropertyDescriptor(target, prop);
  if (descriptor === undefined || descriptor.get !== undefined) return false;
  return Object.keys(value).some((k) => {
    const d = Object.getOwnPropertyDescriptor(value, k);
    return d !== undefined && d.get === undefined && (typeof d.value === 'function' || isObservable(d.value));
  });
}
