import { Observable, type Observer, type Subscriber } from 'rxjs';
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { CommandApi } from '../backend/api.js';
import { argumentError } from '../backend/arg-check.js';
import type { NativeArg, RawReply, TimBackend } from '../backend/types.js';
import { decodeJson } from '../codecs/decode.js';
import { ConvType } from '../codecs/enums.js';
import type { ConversationKey } from '../codecs/message.js';
import { TimError } from '../errors.js';

/**
 * Relays the backend's replies to a command's subscriber. A class (methods on
 * the prototype) rather than an object of arrow functions: one allocation per
 * call instead of four closures (docs/benchmarks.md, "command overhead").
 */
class ReplyObserver<A> implements Observer<RawReply> {
  constructor(
    private readonly subscriber: Subscriber<A>,
    private readonly api: CommandApi,
    private readonly onSuccess: (reply: RawReply) => A,
  ) {}

  next(reply: RawReply): void {
    if (reply.code !== 0) {
      this.subscriber.error(new TimError('async', this.api, reply.code, reply.desc, reply.json));
      return;
    }
    let value: A;
    try {
      value = this.onSuccess(reply);
    } catch (e) {
      this.subscriber.error(e);
      return;
    }
    this.subscriber.next(value);
  }

  error(e: unknown): void {
    this.subscriber.error(e);
  }

  complete(): void {
    this.subscriber.complete();
  }
}

/**
 * One C function as a cold Observable: nothing happens before subscribe, each
 * subscription makes one native call, unsubscribing drops a late reply.
 * A non-zero TIMResult errors with kind `sync`, a non-zero callback code with
 * kind `async` (its json is never decoded as success data), a reply that does
 * not match the spec with kind `decode`. A string argument that is missing
 * (undefined, or NULL where the C API takes none) or not a string errors with
 * kind `sync`, code -4 (TIM_ERR_PARAM) naming it, without calling the C function.
 */
export function command<A>(
  backend: TimBackend,
  api: CommandApi,
  args: readonly NativeArg[] | (() => readonly NativeArg[]),
  onSuccess: (reply: RawReply) => A,
): Observable<A> {
  // One Observable around the backend's (no defer/map layers): the arguments
  // are built and the call made at subscribe; unsubscribing unsubscribes the call.
  // An argument the C function cannot take (a missing UserSig, …) is named here: the C call would only say -4.
  return new Observable<A>((subscriber) => {
    const values = typeof args === 'function' ? args() : args;
    const refused = argumentError(api, values);
    if (refused !== undefined) {
      subscriber.error(refused);
      return;
    }
    return backend.call(api, values).subscribe(new ReplyObserver(subscriber, api, onSuccess));
  });
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

/** The `conv_id, conv_type` pair most conversation and message functions start with. */
export const convArgs = (c: ConversationKey): [string, number] => [c.id, ConvType.encode(c.type)];
