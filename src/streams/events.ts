import { Observable, filter, map, observeOn, share, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { isRight, type Either } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { TimBackend } from '../backend/types.js';
import { ConversationList, type ConversationEvent } from '../codecs/conversation.js';
import { decodeJson, decodeValue, type DecodeFailure } from '../codecs/decode.js';
import { ConvEventKind, LogLevel, NetworkStatus } from '../codecs/enums.js';
import { GroupTipsPayload, type GroupTips } from '../codecs/group-tips.js';
import { Message, MessageList } from '../codecs/message.js';
import { MessageLocatorList, MessageReceiptList, type MessageLocator, type MessageReceipt, type UploadProgress } from '../codecs/message-params.js';
import type { DiagnosticsSink } from './diagnostics.js';
import { distinctMessages } from './recent-messages.js';

/** TIMNetworkStatusListenerCallback, typed. */
export interface NetworkStatusEvent {
  readonly status: NetworkStatus;
  readonly code: number;
  readonly desc: string;
}

/** TIMLogCallback, typed. */
export interface LogEvent {
  readonly level: LogLevel;
  readonly text: string;
}

/** Hot, typed event streams: one per native callback, attached at client creation, never erroring. */
export interface TimEvents {
  /**
   * Every received message, one emission per message (TIMRecvNewMsgCallback);
   * a message delivered again (same msg id among the last 10 000) is dropped.
   */
  readonly messages$: Observable<Message>;
  readonly networkStatus$: Observable<NetworkStatusEvent>;
  readonly conversationEvents$: Observable<ConversationEvent>;
  readonly kickedOffline$: Observable<void>;
  readonly userSigExpired$: Observable<void>;
  readonly log$: Observable<LogEvent>;
  /** Group tips (joins, quits, kicks, admin and info changes), one emission per tip (TIMGroupTipsEventCallback). */
  readonly groupTips$: Observable<GroupTips>;
  /** C2C read receipts, one emission per receipt (TIMMsgReadedReceiptCallback). */
  readonly receipts$: Observable<MessageReceipt>;
  /** Revoked messages, one emission per locator (TIMMsgRevokeCallback). */
  readonly revokes$: Observable<MessageLocator>;
  /** Upload progress of every message being sent (TIMMsgElemUploadProgressCallback). */
  readonly uploadProgress$: Observable<UploadProgress>;
  /** Messages changed on the server, e.g. by a before-send hook, one emission per message (TIMMsgUpdateCallback). */
  readonly messageUpdates$: Observable<Message>;
}

/**
 * Operator: each payload through `decode`, skipping the ones it returns
 * undefined for (reported by `decode`). Synchronous, with no inner
 * observable per payload: every native event goes through one of these.
 */
function decodeEach<P, A>(decode: (payload: P) => A | undefined): OperatorFunction<P, A> {
  return (source) => source.pipe(map(decode), filter((a): a is A => a !== undefined));
}

/** Operator: the items of each list, one emission each (no inner observable per list). */
function each<A>(): OperatorFunction<readonly A[], A> {
  return (source) => new Observable<A>((subscriber) => source.subscribe({
    next: (list) => {
      for (const a of list) subscriber.next(a);
    },
    error: (e: unknown) => subscriber.error(e),
    complete: () => subscriber.complete(),
  }));
}

export function createEvents(backend: TimBackend, diagnostics: DiagnosticsSink, scheduler?: SchedulerLike): TimEvents {
  const raw = backend.events;
  const deliver = <A>(source: Observable<A>): Observable<A> =>
    (scheduler ? source.pipe(observeOn(scheduler)) : source).pipe(share());

  /** A decoded payload, or undefined and a diagnostic: a bad payload never errors the stream. */
  const reported = <A>(source: string, r: Either<DecodeFailure, A>): A | undefined => {
    if (isRight(r)) return r.right;
    diagnostics.report({ source, errors: r.left.errors, raw: r.left.raw });
    return undefined;
  };
  const decoded = <A>(source: string, codec: t.Decoder<unknown, A>, text: string): A | undefined =>
    reported(source, decodeJson(codec, text));
  const enumValue = <A>(source: string, codec: t.Decoder<unknown, A>, value: number): A | undefined =>
    reported(source, decodeValue(codec, value));
  /** Operator: the items of each JSON list payload that decodes (a list that does not is reported, whole). */
  const itemsOf = <A>(source: string, codec: t.Decoder<unknown, readonly A[]>): OperatorFunction<{ readonly json: string }, A> =>
    (payloads) => payloads.pipe(decodeEach(({ json }) => decoded(source, codec, json)), each());
  const conversationEvent = (event: number, json: string): ConversationEvent | undefined => {
    const kind = enumValue('TIMConvEventCallback', ConvEventKind, event);
    if (kind === undefined) return undefined;
    if (kind === 'sync-start' || kind === 'sync-finish') return { kind };
    const conversations = decoded('TIMConvEventCallback', ConversationList, json);
    return conversations && { kind, conversations };
  };

  return {
    messages$: deliver(raw.recvNewMsg.pipe(
      itemsOf('TIMRecvNewMsgCallback', MessageList),
      distinctMessages(),
    )),
    networkStatus$: deliver(raw.networkStatus.pipe(decodeEach(({ status, code, desc }) => {
      const s = enumValue('TIMNetworkStatusListenerCallback', NetworkStatus, status);
      return s === undefined ? undefined : { status: s, code, desc };
    }))),
    conversationEvents$: deliver(raw.convEvent.pipe(decodeEach(({ event, json }) => conversationEvent(event, json)))),
    kickedOffline$: deliver(raw.kickedOffline.pipe(map(() => undefined))),
    userSigExpired$: deliver(raw.userSigExpired.pipe(map(() => undefined))),
    receipts$: deliver(raw.msgReadedReceipt.pipe(itemsOf('TIMMsgReadedReceiptCallback', MessageReceiptList))),
    revokes$: deliver(raw.msgRevoke.pipe(itemsOf('TIMMsgRevokeCallback', MessageLocatorList))),
    uploadProgress$: deliver(raw.msgElemUploadProgress.pipe(decodeEach(({ json, index, current, total }) => {
      const message = decoded('TIMMsgElemUploadProgressCallback', Message, json);
      return message && { message, index, current, total };
    }))),
    messageUpdates$: deliver(raw.msgUpdate.pipe(itemsOf('TIMMsgUpdateCallback', MessageList))),
    groupTips$: deliver(raw.groupTips.pipe(itemsOf('TIMGroupTipsEventCallback', GroupTipsPayload))),
    log$: deliver(raw.log.pipe(decodeEach(({ level, text }) => {
      const l = enumValue('TIMLogCallback', LogLevel, level);
      return l === undefined ? undefined : { level: l, text };
    }))),
  };
}
