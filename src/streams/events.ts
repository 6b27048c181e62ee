import { EMPTY, Observable, type SchedulerLike, map, mergeMap, observeOn, of, share } from 'rxjs';
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

export function createEvents(backend: TimBackend, diagnostics: DiagnosticsSink, scheduler?: SchedulerLike): TimEvents {
  const raw = backend.events;
  const deliver = <A>(source: Observable<A>): Observable<A> =>
    (scheduler ? source.pipe(observeOn(scheduler)) : source).pipe(share());

  /** A decoded payload, or nothing and a diagnostic: a bad payload never errors the stream. */
  const reported = <A>(source: string, r: Either<DecodeFailure, A>): Observable<A> => {
    if (isRight(r)) return of(r.right);
    diagnostics.report({ source, errors: r.left.errors, raw: r.left.raw });
    return EMPTY;
  };
  const decoded = <A>(source: string, codec: t.Decoder<unknown, A>, text: string): Observable<A> =>
    reported(source, decodeJson(codec, text));
  const enumValue = <A>(source: string, codec: t.Decoder<unknown, A>, value: number): Observable<A> =>
    reported(source, decodeValue(codec, value));

  return {
    messages$: deliver(raw.recvNewMsg.pipe(
      mergeMap(({ json }) => decoded('TIMRecvNewMsgCallback', MessageList, json)),
      mergeMap((list) => list),
      distinctMessages(),
    )),
    networkStatus$: deliver(raw.networkStatus.pipe(
      mergeMap(({ status, code, desc }) =>
        enumValue('TIMNetworkStatusListenerCallback', NetworkStatus, status).pipe(map((s) => ({ status: s, code, desc })))),
    )),
    conversationEvents$: deliver(raw.convEvent.pipe(
      mergeMap(({ event, json }) => enumValue('TIMConvEventCallback', ConvEventKind, event).pipe(
        mergeMap((kind): Observable<ConversationEvent> => kind === 'sync-start' || kind === 'sync-finish'
          ? of({ kind })
          : decoded('TIMConvEventCallback', ConversationList, json).pipe(map((conversations) => ({ kind, conversations })))),
      )),
    )),
    kickedOffline$: deliver(raw.kickedOffline.pipe(map(() => undefined))),
    userSigExpired$: deliver(raw.userSigExpired.pipe(map(() => undefined))),
    receipts$: deliver(raw.msgReadedReceipt.pipe(
      mergeMap(({ json }) => decoded('TIMMsgReadedReceiptCallback', MessageReceiptList, json)),
      mergeMap((list) => list),
    )),
    revokes$: deliver(raw.msgRevoke.pipe(
      mergeMap(({ json }) => decoded('TIMMsgRevokeCallback', MessageLocatorList, json)),
      mergeMap((list) => list),
    )),
    uploadProgress$: deliver(raw.msgElemUploadProgress.pipe(
      mergeMap(({ json, index, current, total }) =>
        decoded('TIMMsgElemUploadProgressCallback', Message, json).pipe(map((message): UploadProgress => ({ message, index, current, total })))),
    )),
    messageUpdates$: deliver(raw.msgUpdate.pipe(
      mergeMap(({ json }) => decoded('TIMMsgUpdateCallback', MessageList, json)),
      mergeMap((list) => list),
    )),
    groupTips$: deliver(raw.groupTips.pipe(
      mergeMap(({ json }) => decoded('TIMGroupTipsEventCallback', GroupTipsPayload, json)),
      mergeMap((list) => list),
    )),
    log$: deliver(raw.log.pipe(
      mergeMap(({ level, text }) => enumValue('TIMLogCallback', LogLevel, level).pipe(map((l) => ({ level: l, text })))),
    )),
  };
}
