import { Observable } from 'rxjs';
import { TimError } from './errors.js';

/**
 * A client's disposal, already under way when `tim.dispose()` returns: listeners
 * off → TIMUninit → pending replies settled (7009) → every stream completes →
 * the keep-alive is released, so the process may exit. Every call of
 * `dispose()` returns the same one.
 *
 * Wait for its end either way:
 * - `await tim.dispose()` resolves once disposal is done, or throws its `TimError`;
 * - as an `Observable<void>` it completes (or errors with that `TimError`) for
 *   every subscriber, however late: `lastValueFrom(tim.dispose(), { defaultValue: undefined })`.
 *   Unsubscribing stops nothing.
 *
 * Nothing needs to wait for it. A failure nobody awaits nor subscribes to is an
 * unhandled promise rejection (Node reports it and, by default, exits with it):
 * it is never lost silently.
 */
export type Disposal = Observable<void> & PromiseLike<void>;

/** Runs `dispose` now; its result, with any failure as a `TimError`, is the returned Disposal. */
export function startDisposal(dispose: () => Promise<void>): Disposal {
  const done = new Promise<void>((resolve) => resolve(dispose())).catch((e: unknown) => {
    throw e instanceof TimError ? e : TimError.badArguments('TIMUninit', e);
  });
  return new StartedDisposal(done);
}

class StartedDisposal extends Observable<void> implements Disposal {
  constructor(private readonly done: Promise<void>) {
    super((subscriber) => {
      done.then(() => subscriber.complete(), (e: unknown) => subscriber.error(e));
    });
  }

  then<A = void, B = never>(
    onDone?: ((value: void) => A | PromiseLike<A>) | null,
    onFailed?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.done.then(onDone, onFailed);
  }
}
