/**
 * The hot side of a backend: one Subject per native event callback, their
 * read-only streams, and the way to emit and to end them. Both backends (the
 * koffi one and the testing kit's fake) hold one.
 */
import { Subject, type Observable } from 'rxjs';
import type { NativeEvent, NativeEventMap, NativeEventStreams } from './types.js';

/** Every native event, once: a missing or extra name fails to compile. */
const NATIVE_EVENTS: { readonly [K in NativeEvent]: true } = {
  recvNewMsg: true, msgReadedReceipt: true, msgRevoke: true, msgElemUploadProgress: true, groupTips: true,
  convEvent: true, networkStatus: true, kickedOffline: true, userSigExpired: true, log: true, msgUpdate: true,
};

export class EventSubjects {
  private readonly subjects = new Map<NativeEvent, Subject<unknown>>();
  readonly streams: NativeEventStreams;

  constructor() {
    const streams: Partial<Record<NativeEvent, Observable<unknown>>> = {};
    for (const name of Object.keys(NATIVE_EVENTS) as NativeEvent[]) {
      const subject = new Subject<unknown>();
      this.subjects.set(name, subject);
      streams[name] = subject.asObservable();
    }
    this.streams = streams as NativeEventStreams;
  }

  emit<K extends NativeEvent>(name: K, payload: NativeEventMap[K]): void {
    this.subjects.get(name)!.next(payload);
  }

  complete(): void {
    for (const s of this.subjects.values()) s.complete();
  }
}
