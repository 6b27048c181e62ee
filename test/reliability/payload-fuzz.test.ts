/**
 * Payload fuzzing (fast-check): mutated and random JSON for every codec, every
 * native event and every command reply, through the codecs and through a whole
 * client over the testing kit's FakeTimBackend. Contract checked: nothing
 * throws; a bad event payload is a `diagnostics$` entry (one per payload) and
 * is skipped; a bad command reply is a `TimError` (async / decode / sync);
 * the hot streams keep emitting and never error or complete.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';
import { config, firstValueFrom, lastValueFrom, type Observable, type Subscription } from 'rxjs';
import * as codecs from '../../src/codecs/index.js';
import { ConversationList } from '../../src/codecs/conversation.js';
import { decodeJson, decodeValue, encodeJson } from '../../src/codecs/decode.js';
import { ConvEventKind, LogLevel, NetworkStatus } from '../../src/codecs/enums.js';
import { MessageList } from '../../src/codecs/message.js';
import { createTimClient, isTimError, type TimClient } from '../../src/index.js';
import type { NativeEvent, NativeEventMap } from '../../src/backend/types.js';
import { FakeTimBackend, conversation, fails, nativeEvent, ok, syncFails, textMessage, type ScriptedReply } from '../../src/testing/index.js';
import { conversationSeeds, messageSeeds, payloadText, seedTexts } from './fuzz-arbitraries.js';
import { FUZZ_SEED, scaled } from './scale.js';

const RUNS = scaled(60, 1000);

/** Every io-ts codec that src/codecs exports. */
const allCodecs: [string, t.Type<unknown, unknown, unknown>][] = Object.entries(codecs as Record<string, unknown>)
  .filter((e): e is [string, t.Type<unknown, unknown, unknown>] => e[1] instanceof t.Type);

/** Errors RxJS could not deliver (thrown inside a subscriber): must stay empty. */
let unhandled: unknown[] = [];
const savedOnUnhandledError = config.onUnhandledError;

describe('reliability: payload fuzzing through codecs and hot streams', function () {
  this.timeout(scaled(60_000, 600_000));
  before(() => {
    config.onUnhandledError = (e) => unhandled.push(e);
  });
  after(() => {
    config.onUnhandledError = savedOnUnhandledError;
  });
  beforeEach(() => {
    unhandled = [];
  });
  afterEach(() => {
    expect(unhandled.map(String)).to.deep.equal([]);
  });

  it(`decodes or rejects any text with each of the ${allCodecs.length} exported codecs, never throwing; what decodes encodes again`, () => {
    expect(allCodecs.length).to.be.greaterThan(10);
    for (const [name, codec] of allCodecs) {
      fc.assert(fc.property(payloadText(), (text) => {
        const r = decodeJson(codec, text);
        if (isRight(r)) {
          const again = decodeJson(codec, encodeJson(codec, r.right));
          expect(isRight(again), `${name}: ${text} decodes, but its encoding does not`).to.equal(true);
        } else {
          expect(r.left.errors.length, name).to.be.greaterThan(0);
          expect(r.left.raw).to.equal(text);
        }
      }), { numRuns: RUNS, seed: FUZZ_SEED });
    }
  });

  describe('hot streams of a client over FakeTimBackend', () => {
    let fake: FakeTimBackend;
    let tim: TimClient;
    const subs: Subscription[] = [];
    const counts = { messages: 0, networkStatus: 0, conversationEvents: 0, kickedOffline: 0, userSigExpired: 0, log: 0, diagnostics: 0 };
    const streamFailures: string[] = [];
    let listReply = '[]';

    function watch<T>(name: string, source: Observable<T>, onValue: (v: T) => void = () => undefined): void {
      subs.push(source.subscribe({
        next: onValue,
        error: (e: unknown) => streamFailures.push(`${name} errored: ${String(e)}`),
        complete: () => streamFailures.push(`${name} completed`),
      }));
    }

    beforeEach(async () => {
      fake = new FakeTimBackend();
      fake.reply('TIMConvGetConvList', () => ok(listReply));
      tim = createTimClient({ sdkAppId: 1, backend: fake });
      for (const [name, stream] of Object.entries(tim.events) as [string, Observable<unknown>][]) {
        watch(name, stream, () => {
          if (name.endsWith('$') && name.slice(0, -1) in counts) counts[name.slice(0, -1) as keyof typeof counts]++;
        });
      }
      watch('diagnostics$', tim.diagnostics$, () => counts.diagnostics++);
      watch('state.connection$', tim.state.connection$);
      watch('state.conversations$', tim.state.conversations$);
      watch('state.totalUnread$', tim.state.totalUnread$);
      watch('state.unread$', tim.state.unread$({ type: 'c2c', id: 'alice' }));
      await lastValueFrom(tim.login('me', 'sig'), { defaultValue: undefined });
    });
    afterEach(async () => {
      for (const s of subs.splice(0)) s.unsubscribe();
      await lastValueFrom(tim.dispose(), { defaultValue: undefined });
      expect(streamFailures.splice(0)).to.deep.equal([]);
    });

    const snapshot = () => ({ ...counts });
    type Raw = { [K in NativeEvent]: { readonly event: K; readonly payload: NativeEventMap[K] } }[NativeEvent];
    const json = (seeds: readonly string[]) => payloadText(seeds).map((j) => ({ json: j }));
    const rawEvent: fc.Arbitrary<Raw> = fc.oneof(
      json(messageSeeds).map((payload) => ({ event: 'recvNewMsg' as const, payload })),
      fc.record({ event: fc.integer({ min: -2, max: 6 }), json: payloadText(conversationSeeds) })
        .map((payload) => ({ event: 'convEvent' as const, payload })),
      fc.record({ status: fc.integer({ min: -2, max: 5 }), code: fc.integer(), desc: fc.string({ unit: 'binary', maxLength: 30 }) })
        .map((payload) => ({ event: 'networkStatus' as const, payload })),
      fc.record({ level: fc.integer({ min: -1, max: 9 }), text: fc.string({ unit: 'binary', maxLength: 60 }) })
        .map((payload) => ({ event: 'log' as const, payload })),
      fc.constant({ event: 'kickedOffline' as const, payload: {} }),
      fc.constant({ event: 'userSigExpired' as const, payload: {} }),
      ...(['msgReadedReceipt', 'msgRevoke', 'groupTips', 'msgUpdate'] as const).map((event) => json(seedTexts).map((payload) => ({ event, payload }))),
      fc.record({ json: payloadText(messageSeeds), index: fc.nat(), current: fc.nat(), total: fc.nat() })
        .map((payload) => ({ event: 'msgElemUploadProgress' as const, payload })),
    );

    /** What each event must produce on its typed stream or on diagnostics$ (undefined: no precise expectation). */
    function expected(e: Raw): { stream: keyof typeof counts; n: number } | { diagnostics: 1 } | undefined {
      const decoded = <A>(r: { _tag: 'Left' } | { _tag: 'Right'; right: A }, stream: keyof typeof counts, n: (a: A) => number) =>
        r._tag === 'Right' ? { stream, n: n(r.right) } : { diagnostics: 1 as const };
      switch (e.event) {
        case 'recvNewMsg':
          return decoded(decodeJson(MessageList, e.payload.json), 'messages', (l) => l.length);
        case 'networkStatus':
          return decoded(decodeValue(NetworkStatus, e.payload.status), 'networkStatus', () => 1);
        case 'log':
          return decoded(decodeValue(LogLevel, e.payload.level), 'log', () => 1);
        case 'convEvent': {
          const kind = decodeValue(ConvEventKind, e.payload.event);
          if (kind._tag === 'Left') return { diagnostics: 1 };
          if (kind.right === 'sync-start' || kind.right === 'sync-finish') return { stream: 'conversationEvents', n: 1 };
          return decoded(decodeJson(ConversationList, e.payload.json), 'conversationEvents', () => 1);
        }
        case 'kickedOffline':
          return { stream: 'kickedOffline', n: 1 };
        case 'userSigExpired':
          return { stream: 'userSigExpired', n: 1 };
        default:
          return undefined;
      }
    }

    it('every raw event is either emitted, typed, on its stream or reported once on diagnostics$; the streams live on', () => {
      fc.assert(fc.property(fc.array(rawEvent, { minLength: 1, maxLength: 25 }), payloadText(conversationSeeds), (events, list) => {
        listReply = list; // what TIMConvGetConvList answers when the state fetches the list (after sync-finish)
        for (const e of events) {
          const before = snapshot();
          const want = expected(e);
          expect(() => fake.emit(e.event, e.payload as never)).not.to.throw();
          if (want === undefined) continue;
          const after = snapshot();
          if ('diagnostics' in want) {
            expect(after.diagnostics - before.diagnostics, `${e.event} ${JSON.stringify(e.payload)}`).to.be.at.least(1);
          } else {
            expect(after[want.stream] - before[want.stream], `${e.event} ${JSON.stringify(e.payload)}`).to.equal(want.n);
          }
        }
        // Still alive: a valid message and a valid conversation go through, typed.
        const before = snapshot();
        fake.emit('recvNewMsg', nativeEvent.recvNewMsg([textMessage('c2c:alice', 'still here')]));
        expect(counts.messages - before.messages).to.equal(1);
        fake.emit('convEvent', nativeEvent.convEvent('add', [conversation('c2c:zed', { unreadCount: 2 })]));
        expect(tim.state.conversation({ type: 'c2c', id: 'zed' })?.unreadCount).to.equal(2);
        expect(streamFailures).to.deep.equal([]);
      }), { numRuns: scaled(40, 500), seed: FUZZ_SEED });
    });

    it('every command reply, fuzzed, ends as a value or a TimError of the matching kind', async () => {
      type Outcome = { value: unknown } | { error: unknown };
      const settle = (o: Observable<unknown>): Promise<Outcome> =>
        lastValueFrom(o, { defaultValue: undefined }).then((value) => ({ value }), (error: unknown) => ({ error }));
      const commands: Record<string, { api: Parameters<FakeTimBackend['reply']>[0]; run: () => Observable<unknown>; seeds: readonly string[] }> = {
        login: { api: 'TIMLogin', run: () => tim.login('me', 'sig'), seeds: seedTexts },
        logout: { api: 'TIMLogout', run: () => tim.logout(), seeds: seedTexts },
        list: { api: 'TIMConvGetConvList', run: () => tim.conversations.list(), seeds: conversationSeeds },
        send: { api: 'TIMMsgSendNewMsg', run: () => tim.messages.send({ type: 'c2c', id: 'alice' }, 'hi'), seeds: messageSeeds.concat(seedTexts) },
      };
      type Reply = { script: () => ScriptedReply; code: number | 'sync'; json: string };
      const reply = (seeds: readonly string[]): fc.Arbitrary<Reply> => fc.oneof(
        payloadText(seeds).map((json): Reply => ({ script: () => ok(json), code: 0, json })),
        fc.tuple(fc.integer().filter((c) => c !== 0), fc.string({ maxLength: 20 }), payloadText(seeds))
          .map(([code, desc, json]): Reply => ({ script: () => fails(code, desc, json), code, json })),
        fc.integer({ min: -6, max: -1 }).map((r): Reply => ({ script: () => syncFails(r), code: 'sync', json: '' })),
      );
      for (const [name, c] of Object.entries(commands)) {
        await fc.assert(fc.asyncProperty(reply(c.seeds), async ({ script, code }) => {
          fake.replyOnce(c.api, script());
          let outcome: Outcome | undefined;
          expect(() => {
            outcome = undefined;
            void settle(c.run()).then((o) => (outcome = o));
          }).not.to.throw();
          await new Promise((r) => setImmediate(r));
          expect(outcome, `${name} did not settle`).not.to.equal(undefined);
          if ('error' in outcome!) {
            const e = outcome.error;
            expect(isTimError(e), `${name}: ${String(e)}`).to.equal(true);
            if (!isTimError(e)) return;
            if (code === 'sync') expect(e.kind).to.equal('sync');
            else if (code !== 0) expect([e.kind, e.code]).to.deep.equal(['async', code]);
            else expect(e.kind).to.equal('decode');
          } else {
            expect(code, `${name} succeeded`).to.equal(0);
          }
        }), { numRuns: scaled(60, 500), seed: FUZZ_SEED });
      }
      // And the client still works with proper replies.
      fake.replyOnce('TIMConvGetConvList', ok(encodeJson(ConversationList, [conversation('c2c:ok')])));
      expect((await firstValueFrom(tim.conversations.list())).map((x) => x.key.id)).to.deep.equal(['ok']);
    });

    it('a 5000-level nested array on TIMRecvNewMsgCallback is a diagnostic, and messages$ lives on (was defect D1)', () => {
      const before = snapshot();
      expect(() => fake.emit('recvNewMsg', { json: `${'['.repeat(5000)}${']'.repeat(5000)}` })).not.to.throw();
      fake.emit('recvNewMsg', nativeEvent.recvNewMsg([textMessage('c2c:alice', 'after the nested one')]));
      expect(counts.diagnostics - before.diagnostics).to.equal(1);
      expect(counts.messages - before.messages).to.equal(1);
    });
  });
});
