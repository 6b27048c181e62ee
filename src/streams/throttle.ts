import { asyncScheduler, distinctUntilChanged, identity, throttleTime, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';

/**
 * Optional throttling of a state stream, as Tencent's web SDK does (1 s,
 * leading and trailing): the first change at once, then at most one
 * emission per `ms` carrying the latest value, never a stale one last.
 * `ms` undefined or 0: no throttling (the default of tim-rx). Time comes
 * from `scheduler`, so a `TestScheduler` runs it virtually.
 */
export function throttleState<T>(ms: number | undefined, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<T> {
  if (ms === undefined || ms <= 0) return identity;
  return (source) => source.pipe(throttleTime(ms, scheduler, { leading: true, trailing: true }), distinctUntilChanged());
}
