import { BehaviorSubject, EMPTY, Observable } from 'rxjs';

/**
 * One replaying subject per key, alive while someone subscribes to that key.
 * The state publishes only the keys an event changed, so an event costs
 * O(changed keys), whatever the number of conversations or of per-key
 * subscribers.
 */
export class KeyedSubjects<V> {
  private readonly entries = new Map<string, { readonly subject: BehaviorSubject<V>; refs: number }>();
  private closed = false;

  /** `current(key)` reads the value from the state when a key is first observed and at each publish. */
  constructor(private readonly current: (key: string) => V) {}

  /** The key's current value at once, then each published one. */
  observe(key: string): Observable<V> {
    return new Observable<V>((subscriber) => {
      if (this.closed) return EMPTY.subscribe(subscriber);
      let entry = this.entries.get(key);
      if (entry === undefined) {
        entry = { subject: new BehaviorSubject(this.current(key)), refs: 0 };
        this.entries.set(key, entry);
      }
      const held = entry;
      held.refs++;
      const subscription = held.subject.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        if (--held.refs === 0 && this.entries.get(key) === held) this.entries.delete(key);
      };
    });
  }

  /** Re-reads the key's value; its subscribers hear of it (if it changed: they de-duplicate). */
  publish(key: string): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) entry.subject.next(this.current(key));
  }

  /** Keys observed right now (for tests and leak checks). */
  get observedKeys(): number {
    return this.entries.size;
  }

  complete(): void {
    this.closed = true;
    for (const entry of this.entries.values()) entry.subject.complete();
    this.entries.clear();
  }
}
