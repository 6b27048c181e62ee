import { Observable } from 'rxjs';
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { CommandApi } from '../backend/api.js';
import type { NativeArg, RawReply, TimBackend } from '../backend/types.js';
import { decodeJson } from '../codecs/decode.js';
import { TimError } from '../errors.js';

/**
 * One C function as a cold Observable: nothing happens before subscribe, each
 * subscription makes one native call, unsubscribing drops a late reply.
 * A non-zero TIMResult errors with kind `sync`, a non-zero callback code with
 * kind `async` (its json is never decoded as success data), a reply that does
 * not match the spec with kind `decode`.
 */
export function command<A>(
  backend: TimBackend,
  api: CommandApi,
  args: readonly NativeArg[] | (() => readonly NativeArg[]),
  onSuccess: (reply: RawReply) => A,
): Observable<A> {
  // One Observable around the backend's (no defer/map layers): the arguments
  // are built and the call made at subscribe; unsubscribing unsubscribes the call.
  return new Observable<A>((subscriber) =>
    backend.call(api, typeof args === 'function' ? args() : args).subscribe({
      next: (reply) => {
        if (reply.code !== 0) {
          subscriber.error(new TimError('async', api, reply.code, reply.desc, reply.json));
          return;
        }
        let value: A;
        try {
          value = onSuccess(reply);
        } catch (e) {
          subscriber.error(e);
          return;
        }
        subscriber.next(value);
      },
      error: (e: unknown) => subscriber.error(e),
      complete: () => subscriber.complete(),
    }));
}

/** Success payload decoder: the reply's json through `codec`, or a `decode` TimError. */
export function decodeReply<A>(api: CommandApi, codec: t.Decoder<unknown, A>): (reply: RawReply) => A {
  return (reply) => {
    const result = decodeJson(codec, reply.json);
    if (isLeft(result)) throw new TimError('decode', api, 0, result.left.message, reply.json);
    return result.right;
  };
}

/** For commands whose success carries no data (`json_params` is ""). */
export const noData = (): void => undefined;
