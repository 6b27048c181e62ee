/**
 * Scripted replies of the fake backend: what one native call answers.
 * A reply is cold: it runs when the command is subscribed.
 */
import { NEVER, delay, from, of, type Observable, type SchedulerLike } from 'rxjs';
import type * as t from 'io-ts';
import type { CommandApi } from '../backend/api.js';
import type { NativeArg, RawReply } from '../backend/types.js';
import { encodeJson } from '../codecs/decode.js';

/** One native call as the fake saw it. */
export interface RecordedCall {
  readonly api: CommandApi;
  readonly args: readonly NativeArg[];
  /** `scheduler.now()` when it was made (virtual time under a TestScheduler). */
  readonly at: number;
}

/** The C function returned a TIMResult other than 0: the callback never comes. */
export interface SyncFailure {
  readonly syncResult: number;
}

/** What a call does: callback replies (one, several, late, none) or a synchronous failure. */
export type ScriptedReply = Observable<RawReply> | SyncFailure;

/** What the fake gives a script besides the call. */
export interface ScriptContext {
  readonly scheduler: SchedulerLike;
}

/** A reply, or a function of the call that returns one (to answer by arguments or by count). */
export type ReplyScript = ScriptedReply | ((call: RecordedCall, context: ScriptContext) => ScriptedReply);

/** Code 0 with `json` (default `""`, what commands without data get). */
export function ok(json = ''): Observable<RawReply> {
  return of({ code: 0, desc: '', json });
}

/** Code 0 with `value` encoded by `codec` in the spec's JSON (e.g. `okWith(ConversationList, [conv])`). */
export function okWith<A, O>(codec: t.Encoder<A, O>, value: A): Observable<RawReply> {
  return ok(encodeJson(codec, value));
}

/** The callback reports an error code (6014 not logged in, 70001 sig expired, …). */
export function fails(code: number, desc = `error ${code}`, json = ''): Observable<RawReply> {
  return of({ code, desc, json });
}

/** Code 0 with a payload that does not match the spec (not JSON, wrong shape): the command errors with kind `decode`. */
export function malformed(text: string): Observable<RawReply> {
  return ok(text);
}

/** The C function returns `result` (-3 bad JSON, -4 bad parameter, …): the command errors with kind `sync`. */
export function syncFails(result: number): SyncFailure {
  return { syncResult: result };
}

/** No callback ever (a lost reply): the command never settles. */
export function never(): Observable<RawReply> {
  return NEVER;
}

/** Several callbacks for one call (multi-shot APIs such as TIMMsgDownloadElemToPath progress). */
export function replies(...all: readonly RawReply[]): Observable<RawReply> {
  return from(all);
}

/** `reply` after `ms` of the fake's scheduler (virtual time under a TestScheduler). */
export function late(ms: number, reply: Observable<RawReply>): ReplyScript {
  return (_call, { scheduler }) => reply.pipe(delay(ms, scheduler));
}
