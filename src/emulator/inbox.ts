/**
 * A one-reader queue of frames for an async loop (transfers.ts): `put` from
 * the socket side, `take` waits with a deadline; `fail` makes the pending and
 * every later `take` reject.
 */
export class Inbox<T> {
  private readonly items: T[] = [];
  private waiter: { resolve: (v: T) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined;
  private error: Error | undefined;

  /** `timedOut` makes the error of a `take` whose deadline passed. */
  constructor(private readonly timedOut: () => Error) {}

  put(item: T): void {
    if (this.error !== undefined) return;
    const w = this.waiter;
    if (w === undefined) {
      this.items.push(item);
      return;
    }
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.resolve(item);
  }

  fail(e: Error): void {
    if (this.error !== undefined) return;
    this.error = e;
    const w = this.waiter;
    this.waiter = undefined;
    if (w !== undefined) {
      clearTimeout(w.timer);
      w.reject(e);
    }
  }

  /** The next item; rejects after `ms` without one, or once failed. */
  take(ms: number): Promise<T> {
    if (this.error !== undefined) return Promise.reject(this.error);
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(this.timedOut()), ms);
      this.waiter = { resolve, reject, timer };
    });
  }
}
