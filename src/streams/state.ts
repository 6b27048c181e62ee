/**
 * `tim.state`: replayed, de-duplicated state with a synchronous getter beside
 * each stream (stream-video-js `store/`): private subjects written by one
 * internal store, a read-only facade for the app.
 *
 * The store subscribes to the hot events when the client is created, so
 * nothing is missed before the app subscribes. Every input goes through one
 * queue (an input caused while handling another waits its turn) and through
 * one typed handler per input kind. After each input, derived values are
 * published before the lists that they come from: per-key streams, then the
 * total, then the list, then the connection.
 */
import { BehaviorSubject, EMPTY, Subject, Subscription, asyncScheduler, catchError, distinctUntilChanged, map, merge, switchMap, type Observable, type SchedulerLike } from 'rxjs';
import type { Conversation, ConversationEvent } from '../codecs/conversation.js';
import type { ConversationKey, Message } from '../codecs/message.js';
import type { SessionOutcome } from '../commands/manager.js';
import { isTimError } from '../errors.js';
import { initialConnection, isLoggedIn, reduceConnection, type ConnectionInput, type ConnectionMachine, type ConnectionState } from './connection.js';
import { ConversationListState, byRecentActivity, conversationKeyString, type ConversationChange, type ConversationComparator, type ConversationListAction } from './conversation-list.js';
import type { Diagnostic, DiagnosticsSink } from './diagnostics.js';
import type { NetworkStatusEvent, TimEvents } from './events.js';
import { KeyedSubjects } from './keyed.js';
import { throttleState } from './throttle.js';
import { applyReceivedMessage, applyUnreadChanges, effectiveUnread, noUnread, type UnreadCounts, type UnreadPolicy, type UnreadRules } from './unread.js';

/** The read-only state of a client. Every `x$` replays its current value, emits only on change, and has the getter `x`. */
export interface TimState {
  readonly connection$: Observable<ConnectionState>;
  readonly connection: ConnectionState;
  /**
   * All conversations, sorted (default: pinned, then most recent activity
   * first; ties by key), as an immutable list: iterable, with `size`, `at(i)`,
   * `slice(start, end)`, `get(key)` and `toArray()` (docs/state.md).
   */
  readonly conversations$: Observable<ConversationListState>;
  readonly conversations: ConversationListState;
  /** Unread messages over the conversations that count (Tencent's rule; see docs/state.md). */
  readonly totalUnread$: Observable<number>;
  readonly totalUnread: number;
  /** One conversation; undefined while the list does not hold it. */
  conversation$(key: ConversationKey): Observable<Conversation | undefined>;
  conversation(key: ConversationKey): Conversation | undefined;
  /** One conversation's unread count as shown (group tips left out when they do not count); 0 when not held. */
  unread$(key: ConversationKey): Observable<number>;
  unread(key: ConversationKey): number;
  /** Payloads of hot streams (and of the list fetches the state makes) that did not decode. Not replayed; the getter keeps the latest ones. */
  readonly diagnostics$: Observable<Diagnostic>;
  readonly diagnostics: readonly Diagnostic[];
  /** Swaps the order of `conversations$` (ties still by key). */
  setConversationComparator(comparator: ConversationComparator): void;
  /** Fetches the conversation list again now (it is fetched by itself after login, reconnect and sync-finish). */
  resync(): void;
}

export interface TimStateOptions {
  /** Order of `conversations$`. Default `byRecentActivity`. */
  readonly comparator?: ConversationComparator;
  /** Which conversations count toward `totalUnread$`. Default: all but system ones. */
  readonly unreadPolicy?: UnreadPolicy;
  /** Group tips do not count as unread. Default: the client's `config.userConfig.ignoreGroupTipsUnread`. */
  readonly ignoreGroupTipsUnread?: boolean;
  /** Throttle every state stream to one emission per this many ms (leading and trailing). Default: off. */
  readonly throttleMs?: number;
  /** The clock of the throttling. Default: the client's scheduler, else `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** How many diagnostics the `diagnostics` getter keeps. Default 100. */
  readonly diagnosticsKept?: number;
}

/** What the state is built from. */
export interface StateSources {
  readonly events: TimEvents;
  /** Login/logout outcomes, as `login`/`logout` report them. */
  readonly session$: Observable<SessionOutcome>;
  /** TIMConvGetConvList. */
  readonly listConversations: () => Observable<readonly Conversation[]>;
  readonly diagnostics: DiagnosticsSink;
}

type StateInput =
  | { readonly kind: 'session'; readonly outcome: SessionOutcome }
  | { readonly kind: 'network'; readonly event: NetworkStatusEvent }
  | { readonly kind: 'kicked-offline' }
  | { readonly kind: 'user-sig-expired' }
  | { readonly kind: 'conversation-event'; readonly event: ConversationEvent }
  | { readonly kind: 'snapshot'; readonly conversations: readonly Conversation[] }
  | { readonly kind: 'message'; readonly message: Message }
  | { readonly kind: 'sort'; readonly comparator: ConversationComparator }
  | { readonly kind: 'resync' };

type Handlers = { readonly [K in StateInput['kind']]: (input: Extract<StateInput, { kind: K }>) => void };

interface KeyedValue {
  readonly conversation: Conversation | undefined;
  readonly unread: number;
}

/** The writeable store: owns the subjects; only its handlers change them. */
class StateStore {
  private machine: ConnectionMachine = initialConnection;
  private list: ConversationListState;
  private unread: UnreadCounts = noUnread;
  /** The user whose conversations the list holds. */
  private owner: string | undefined;
  private readonly rules: UnreadRules;

  readonly connectionSubject = new BehaviorSubject<ConnectionState>(initialConnection.state);
  readonly conversationsSubject: BehaviorSubject<ConversationListState>;
  readonly totalUnreadSubject = new BehaviorSubject<number>(0);
  readonly keyed = new KeyedSubjects<KeyedValue>((key) => this.keyedValue(key));
  recentDiagnostics: readonly Diagnostic[] = [];

  private readonly queue: StateInput[] = [];
  private draining = false;
  private readonly seeds = new Subject<boolean>();
  /** A list fetch was started and not cancelled since (it may have finished). */
  private fetchStarted = false;
  private readonly subscription = new Subscription();

  constructor(private readonly sources: StateSources, options: TimStateOptions) {
    this.list = ConversationListState.empty(options.comparator ?? byRecentActivity);
    this.conversationsSubject = new BehaviorSubject(this.list);
    this.rules = { ...options.unreadPolicy, ignoreGroupTips: options.ignoreGroupTipsUnread ?? false };
    const kept = options.diagnosticsKept ?? 100;
    const { events } = sources;
    this.subscription.add(sources.diagnostics.diagnostics$.subscribe((d) => {
      const all = [...this.recentDiagnostics, d];
      this.recentDiagnostics = all.length > kept ? all.slice(all.length - kept) : all;
    }));
    this.subscription.add(this.seeds.pipe(
      switchMap((fetch) => (fetch ? sources.listConversations().pipe(catchError((e: unknown) => this.seedFailed(e))) : EMPTY)),
    ).subscribe((conversations) => this.dispatch({ kind: 'snapshot', conversations })));
    this.subscription.add(merge(
      sources.session$.pipe(map((outcome): StateInput => ({ kind: 'session', outcome }))),
      events.networkStatus$.pipe(map((event): StateInput => ({ kind: 'network', event }))),
      events.kickedOffline$.pipe(map((): StateInput => ({ kind: 'kicked-offline' }))),
      events.userSigExpired$.pipe(map((): StateInput => ({ kind: 'user-sig-expired' }))),
      events.conversationEvents$.pipe(map((event): StateInput => ({ kind: 'conversation-event', event }))),
      events.messages$.pipe(map((message): StateInput => ({ kind: 'message', message }))),
    ).subscribe((input) => this.dispatch(input)));
  }

  get conversationList(): ConversationListState {
    return this.list;
  }

  keyedValue(key: string): KeyedValue {
    const conversation = this.list.get(key);
    return { conversation, unread: conversation === undefined ? 0 : effectiveUnread(conversation, this.unread) };
  }

  /** Queues an input; handles it now unless another one is being handled (then right after it). */
  dispatch(input: StateInput): void {
    this.queue.push(input);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        try {
          (this.handlers[next.kind] as (i: StateInput) => void)(next);
        } catch (e) {
          // A throwing comparator or subscriber must not stop the state: report and go on.
          this.sources.diagnostics.report({ source: `tim-rx state (${next.kind})`, errors: [String(e)], raw: '' });
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private readonly handlers: Handlers = {
    session: ({ outcome }) => {
      if (outcome.kind === 'login-start' && outcome.userId !== this.owner) this.reset();
      if (outcome.kind === 'logout-success') this.reset();
      this.drive(outcome);
      if (outcome.kind === 'login-success') {
        this.owner = outcome.userId;
        this.fetchList();
      }
    },
    network: ({ event }) => {
      const wasConnected = this.machine.network?.status === 'connected';
      this.drive({ kind: 'network', ...event });
      // Reconnected: the SDK resumed the session by itself; what changed meanwhile comes from a fresh list.
      if (event.status === 'connected' && !wasConnected && isLoggedIn(this.machine.state)) this.fetchList();
    },
    'kicked-offline': (input) => this.endSession(input),
    'user-sig-expired': (input) => this.endSession(input),
    'conversation-event': ({ event }) => {
      this.applyToList(event);
      if (event.kind === 'sync-finish' && isLoggedIn(this.machine.state)) this.fetchList();
    },
    snapshot: ({ conversations }) => this.applyToList({ kind: 'snapshot', conversations }),
    message: ({ message }) => {
      const before = this.unread;
      this.unread = applyReceivedMessage(before, message, this.list.get(message.conversation), this.rules);
      if (this.unread !== before) this.publish([conversationKeyString(message.conversation)]);
    },
    sort: ({ comparator }) => this.applyToList({ kind: 'sort', comparator }),
    resync: () => {
      if (isLoggedIn(this.machine.state)) this.fetchList();
    },
  };

  /** Fetches the list (a newer fetch replaces one in flight). */
  private fetchList(): void {
    this.fetchStarted = true;
    this.seeds.next(true);
  }

  /** Drops a fetch in flight, if one may be. */
  private cancelFetch(): void {
    if (!this.fetchStarted) return;
    this.fetchStarted = false;
    this.seeds.next(false);
  }

  private drive(input: ConnectionInput): void {
    this.machine = reduceConnection(this.machine, input);
    if (this.machine.state !== this.connectionSubject.value) this.connectionSubject.next(this.machine.state);
  }

  /** Kicked or sig expired: the session is over; the list stays as it was (the app decides what to show). */
  private endSession(input: ConnectionInput): void {
    this.drive(input);
    if (!isLoggedIn(this.machine.state)) this.cancelFetch();
  }

  /** A new user (or none): forget the list and any fetch in flight. */
  private reset(): void {
    this.owner = undefined;
    this.cancelFetch();
    this.applyToList({ kind: 'clear' });
  }

  private applyToList(action: ConversationListAction): void {
    const step = this.list.apply(action);
    this.list = step.list;
    this.unread = applyUnreadChanges(this.unread, step.changes, this.rules);
    this.publish(step.changes.map((c: ConversationChange) => c.key));
  }

  /** Derived first: per-key values, then the total, then the list. */
  private publish(keys: readonly string[]): void {
    for (const key of keys) this.keyed.publish(key);
    if (this.unread.total !== this.totalUnreadSubject.value) this.totalUnreadSubject.next(this.unread.total);
    if (this.list !== this.conversationsSubject.value) this.conversationsSubject.next(this.list);
  }

  private seedFailed(e: unknown): Observable<never> {
    // Only a reply that does not decode is news; a network failure is retried by the next reconnect.
    if (isTimError(e) && e.kind === 'decode') {
      this.sources.diagnostics.report({ source: e.api, errors: [e.desc], raw: e.raw ?? '' });
    }
    return EMPTY;
  }

  dispose(): void {
    this.subscription.unsubscribe();
    this.keyed.complete();
    this.connectionSubject.complete();
    this.conversationsSubject.complete();
    this.totalUnreadSubject.complete();
  }
}

/** The state and how to end it (the client calls `dispose` when it is disposed). */
export interface TimStateHandle {
  readonly state: TimState;
  dispose(): void;
}

/** Builds the store over `sources` and returns its read-only facade. */
export function createTimState(sources: StateSources, options: TimStateOptions = {}): TimStateHandle {
  const store = new StateStore(sources, options);
  const throttled = <T>(source: Observable<T>): Observable<T> =>
    source.pipe(throttleState<T>(options.throttleMs, options.scheduler ?? asyncScheduler), distinctUntilChanged());
  const keyed = (key: ConversationKey) => store.keyed.observe(conversationKeyString(key));

  const state: TimState = {
    connection$: throttled(store.connectionSubject.asObservable()),
    get connection() {
      return store.connectionSubject.value;
    },
    conversations$: throttled(store.conversationsSubject.asObservable()),
    get conversations() {
      return store.conversationsSubject.value;
    },
    totalUnread$: throttled(store.totalUnreadSubject.asObservable()),
    get totalUnread() {
      return store.totalUnreadSubject.value;
    },
    conversation$: (key) => throttled(keyed(key).pipe(map((v) => v.conversation))),
    conversation: (key) => store.conversationList.get(key),
    unread$: (key) => throttled(keyed(key).pipe(map((v) => v.unread))),
    unread: (key) => store.keyedValue(conversationKeyString(key)).unread,
    diagnostics$: sources.diagnostics.diagnostics$,
    get diagnostics() {
      return store.recentDiagnostics;
    },
    setConversationComparator: (comparator) => store.dispatch({ kind: 'sort', comparator }),
    resync: () => store.dispatch({ kind: 'resync' }),
  };
  return { state, dispose: () => store.dispose() };
}
