import { Observable, ReplaySubject, filter, firstValueFrom, timeout, type Subscription } from 'rxjs';

/** Records every emission of a hot stream from now on, and waits for matching ones. */
export class Recorder<T> {
  readonly values: T[] = [];
  private readonly replay = new ReplaySubject<T>();
  private readonly subscription: Subscription;

  constructor(source: Observable<T>) {
    this.subscription = source.subscribe((v) => {
      this.values.push(v);
      this.replay.next(v);
    });
  }

  /** The first recorded value (past or future) matching `predicate`, within `ms`. */
  next(predicate: (v: T) => boolean = () => true, ms = 10_000): Promise<T> {
    return firstValueFrom(this.replay.pipe(filter(predicate), timeout(ms)));
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}
