/**
 * Benchmark 3 — derived state scaling: the cost of one conversation event
 * (an existing conversation gets a new last message: unread + 1, active time
 * newest, so it moves to the top) with 1k, 10k and 100k conversations held.
 *
 *   reducer  `ConversationListState.apply` (the exported pure reducer) alone;
 *   state    the client's path, built as createTimClient builds it, over the
 *            testing kit's FakeTimBackend: raw TIMConvEventCallback JSON →
 *            createEvents (codec) → createTimState (list reducer, unread
 *            total, per-key subjects) → `conversations$` emits; one
 *            subscriber each on conversations$, totalUnread$ and one
 *            conversation's unread$. The initial list is handed over decoded
 *            (encoding and decoding 100k conversations would take ~18 s).
 *            Each payload is a flat string, as koffi hands over a C string:
 *            `encodeJson`'s own result is a concatenation, whose first parse
 *            cost ~10 µs more (flattening it), the same at every size, which
 *            diluted the ratio until 2026-11-22 (docs/benchmarks.md, session 3).
 * Every size is measured in each round, interleaved; medians of µs per event.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { Subject, of, skip } from 'rxjs';
import {
  Conversation, ConversationList, ConversationListState, createTimState, type SessionOutcome, type TimState,
} from '../src/index.js';
import { createDiagnostics } from '../src/streams/diagnostics.js';
import { createEvents } from '../src/streams/events.js';
import { FakeTimBackend } from '../src/testing/index.js';
import { decodeJson, encodeJson } from '../src/codecs/decode.js';
import { conversationArrayJson } from './lib/payloads.js';
import { interleave, machine, median, table, verdict } from './lib/report.js';

/** 21 rounds: with 7, a shared 2-core machine moved the 100k / 1k ratio by ±0.4 between runs (docs/benchmarks.md, session 3). */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 21);
const SIZES = [1_000, 10_000, 100_000] as const;
/** Events per trial, the same at every size. */
const EVENTS_PER_TRIAL = 1000;

const template = (() => {
  const r = decodeJson(ConversationList, conversationArrayJson(0, 1));
  if (isLeft(r)) throw new Error('template conversation does not decode');
  return r.right[0]!;
})();
const BASE_TIME = 1_763_000_000n;

function conversationAt(i: number, activeTime: bigint, unreadCount: number): Conversation {
  const id = `user${String(i).padStart(6, '0')}`;
  return { ...template, key: { type: 'c2c', id }, showName: id, activeTime, unreadCount };
}

/** One size: the pure list and a client whose state holds the same conversations. */
interface Fixture {
  readonly size: number;
  list: ConversationListState;
  readonly fake: FakeTimBackend;
  readonly state: TimState;
  readonly unread: number[];
  clock: bigint;
  emitted: number;
}

async function fixture(size: number): Promise<Fixture> {
  const initial = Array.from({ length: size }, (_, i) => conversationAt(i, BASE_TIME + BigInt(i), 1));
  const fake = new FakeTimBackend();
  const diagnostics = createDiagnostics();
  const session = new Subject<SessionOutcome>();
  const { state } = createTimState({
    events: createEvents(fake, diagnostics), session$: session, listConversations: () => of(initial), diagnostics,
  });
  session.next({ kind: 'login-start', userId: 'bob' });
  session.next({ kind: 'login-success', userId: 'bob' });
  if (state.conversations.size !== size) throw new Error(`state holds ${state.conversations.size}, expected ${size}`);
  const f: Fixture = {
    size, list: ConversationListState.empty().apply({ kind: 'snapshot', conversations: initial }).list, fake, state,
    unread: initial.map(() => 1), clock: BASE_TIME + BigInt(size), emitted: 0,
  };
  state.conversations$.pipe(skip(1)).subscribe(() => f.emitted++);
  state.totalUnread$.subscribe(() => undefined);
  state.unread$({ type: 'c2c', id: 'user000000' }).subscribe(() => undefined);
  return f;
}

/** The next `EVENTS` updates of random conversations, each newest. */
function nextUpdates(f: Fixture, seed: number): Conversation[] {
  let x = seed;
  return Array.from({ length: EVENTS_PER_TRIAL }, () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const i = x % f.size;
    f.unread[i]!++;
    return conversationAt(i, ++f.clock, f.unread[i]!);
  });
}

let seed = 1;
function reducerTrial(f: Fixture): number {
  const updates = nextUpdates(f, seed++);
  let list = f.list;
  const t0 = performance.now();
  for (const c of updates) list = list.apply({ kind: 'update', conversations: [c] }).list;
  const us = ((performance.now() - t0) * 1000) / updates.length;
  f.list = list;
  return us;
}

/** A payload as the native callback delivers it: a flat string decoded from the C string's bytes. */
const nativeJson = (conversations: readonly Conversation[]): string =>
  Buffer.from(encodeJson(ConversationList, conversations), 'utf8').toString('utf8');

function stateTrial(f: Fixture): number {
  const payloads = nextUpdates(f, seed++).map((c) => ({ event: 2, json: nativeJson([c]) }));
  const before = f.emitted;
  const t0 = performance.now();
  for (const p of payloads) f.fake.emit('convEvent', p);
  const us = ((performance.now() - t0) * 1000) / payloads.length;
  if (f.emitted - before !== payloads.length) throw new Error(`conversations$ emitted ${f.emitted - before} times for ${payloads.length} events`);
  return us;
}

const fixtures = new Map<number, Fixture>();
for (const size of SIZES) fixtures.set(size, await fixture(size));
for (const f of fixtures.values()) {
  reducerTrial(f); // warm-up
  stateTrial(f);
}

const variants: Record<string, () => number> = {};
for (const f of fixtures.values()) {
  variants[`reducer-${f.size}`] = () => reducerTrial(f);
  variants[`state-${f.size}`] = () => stateTrial(f);
}
const s = await interleave(ROUNDS, variants);

const rows: (string | number)[][] = [];
for (const kind of ['reducer', 'state'] as const) {
  const [a, b, c] = SIZES.map((n) => median(s[`${kind}-${n}`]!));
  rows.push([
    kind === 'reducer' ? 'list reducer alone' : 'conv event → tim.state (codec, reducer, unread, emit)',
    a!, b!, c!, c! / a!,
    kind === 'state' ? verdict(c! / a!, '≤', 1.5) : `diagnostic: ${verdict(c! / a!, '≤', 1.5)}; the target is one event's cost (next row)`,
  ]);
}

// The codec part of the state path: one ConvInfo (with its last message) decoded.
const oneConv = nativeJson([conversationAt(1, BASE_TIME, 1)]);
const codecUs = (() => {
  for (let i = 0; i < 200; i++) decodeJson(ConversationList, oneConv);
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) decodeJson(ConversationList, oneConv);
  return ((performance.now() - t0) * 1000) / 2000;
})();
rows.push(['codec alone: decodeJson of the event\'s one ConvInfo', codecUs, codecUs, codecUs, 1, 'constant']);

console.log('## 3. Derived state scaling (µs per conversation event; one conversation updated and moved to the top)\n');
console.log(machine());
console.log(`${ROUNDS} interleaved rounds of ${EVENTS_PER_TRIAL} events per cell, medians.\n`);
console.log(table(['path', '1k convs µs', '10k convs µs', '100k convs µs', '100k / 1k', 'target'], rows));

process.exit(0);
