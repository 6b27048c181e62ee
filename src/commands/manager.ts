import { Observable, type Observer, type Subscriber } from 'rxjs';
import type { TimBackend } from '../backend/types.js';
import { isTimError } from '../errors.js';
import { command, noData } from './command.js';

/** What login and logout tell the state (`tim.state.connection$`). */
export type SessionOutcome =
  | { readonly kind: 'login-start'; readonly userId: string }
  | { readonly kind: 'login-success'; readonly userId: string }
  | { readonly kind: 'login-failure'; readonly userId: string; readonly code: number; readonly desc: string }
  | { readonly kind: 'logout-success' };

/** Receives session outcomes, synchronously, before the caller of login/logout hears of them. */
export type SessionReporter = (outcome: SessionOutcome) => void;

/**
 * TIMLogin: completes when the server accepted the user; errors with the server's code (70001 expired sig, …).
 * With a `report`er, the outcome is reported even if the caller unsubscribed
 * before the reply (the native login cannot be cancelled; the state must know
 * how it ended).
 */
export function login(backend: TimBackend, userId: string, userSig: string, report?: SessionReporter): Observable<void> {
  const call = command(backend, 'TIMLogin', [userId, userSig], noData);
  if (!report) return call;
  return reported(call, report, { kind: 'login-start', userId }, { kind: 'login-success', userId }, (e) => ({
    kind: 'login-failure',
    userId,
    code: isTimError(e) ? e.code : -1,
    desc: isTimError(e) ? e.desc : String(e),
  }));
}

const logoutSuccess: SessionOutcome = { kind: 'logout-success' };
const noFailureOutcome = (): undefined => undefined;

/** TIMLogout. With a `report`er, a success is reported even if the caller unsubscribed before the reply. */
export function logout(backend: TimBackend, report?: SessionReporter): Observable<void> {
  const call = command(backend, 'TIMLogout', [], noData);
  return report ? reported(call, report, undefined, logoutSuccess, noFailureOutcome) : call;
}

/** Reports how a session call ended, then relays it to the caller (a class: no closures per call). */
class ReportingObserver implements Observer<void> {
  constructor(
    private readonly subscriber: Subscriber<void>,
    private readonly report: SessionReporter,
    private readonly success: SessionOutcome,
    private readonly failure: (e: unknown) => SessionOutcome | undefined,
  ) {}

  next(): void {
    /* login and logout carry no data */
  }

  error(e: unknown): void {
    const f = this.failure(e);
    if (f) this.report(f);
    this.subscriber.error(e);
  }

  complete(): void {
    this.report(this.success);
    this.subscriber.complete();
  }
}

/** Runs `call` to its end whatever the caller does, reporting start, success and failure. */
function reported(
  call: Observable<void>,
  report: SessionReporter,
  start: SessionOutcome | undefined,
  success: SessionOutcome,
  failure: (e: unknown) => SessionOutcome | undefined,
): Observable<void> {
  return new Observable<void>((subscriber) => {
    if (start) report(start);
    // Not unsubscribed with the caller: the outcome is reported however early the caller leaves.
    call.subscribe(new ReportingObserver(subscriber, report, success, failure));
  });
}
