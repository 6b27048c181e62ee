import { Subject, type Observable } from 'rxjs';

/** A payload of a hot stream that did not decode: reported here and skipped, never an error on the stream. */
export interface Diagnostic {
  /** The native callback it came from (e.g. `TIMRecvNewMsgCallback`). */
  readonly source: string;
  /** io-ts paths of what did not match, one per line. */
  readonly errors: readonly string[];
  /** The raw text as the native side delivered it. */
  readonly raw: string;
}

export interface DiagnosticsSink {
  readonly diagnostics$: Observable<Diagnostic>;
  report(d: Diagnostic): void;
}

export function createDiagnostics(): DiagnosticsSink {
  const subject = new Subject<Diagnostic>();
  return { diagnostics$: subject.asObservable(), report: (d) => subject.next(d) };
}
