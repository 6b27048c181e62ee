/**
 * The hand-written decoders (message-fast.ts, conversation-fast.ts) against
 * their io-ts codecs: on valid payloads of every element type and on mutated
 * or invalid ones, the same model (deep equality and key order) or both a
 * failure; and through the public codecs, the same diagnostics.
 */
import { expect } from 'chai';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import * as t from 'io-ts';
import { fastConversation } from '../../src/codecs/conversation-fast.js';
import { ConversationCodec } from '../../src/codecs/conversation.js';
import { Conversation, ConversationList, Element, Message, MessageList, decodeJson, decodeValue } from '../../src/codecs/index.js';
import { fastElement } from '../../src/codecs/elements-fast.js';
import { fastMessage } from '../../src/codecs/message-fast.js';
import { MessageCodec } from '../../src/codecs/message.js';
import { parseJson, stringifyJson } from '../../src/json/lossless.js';
import { conversationSeeds, messageSeeds, payloadText } from '../reliability/fuzz-arbitraries.js';
import { specVectors } from '../support/spec-vectors.js';
import { rawConversation, rawElement, rawMessage, mutated } from './fast-decode-arbitraries.js';

type Outcome = { readonly ok: unknown; readonly keys: string } | { readonly failed: true };

/** Every key path in order, so that a different key order shows (deep equality ignores it). */
function keyOrder(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(keyOrder).join(',')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, x]) => `${k}:${keyOrder(x)}`).join(',')}}`;
  return typeof v;
}

function ioTs<A>(codec: t.Decoder<unknown, A>, u: unknown): Outcome {
  const r = codec.decode(u);
  return isRight(r) ? { ok: r.right, keys: keyOrder(r.right) } : { failed: true };
}

function fast<A>(decode: (u: unknown) => A, u: unknown): Outcome {
  try {
    const a = decode(u);
    return { ok: a, keys: keyOrder(a) };
  } catch {
    return { failed: true };
  }
}

/** A value as the client sees it: written as JSON and parsed back (bigints only above 2^53). */
const asParsed = (v: unknown): unknown => parseJson(stringifyJson(v));

interface Pair {
  readonly name: string;
  readonly fast: (u: unknown) => unknown;
  readonly codec: t.Decoder<unknown, unknown>;
}

const pairs: readonly [Pair, Pair, Pair] = [
  { name: 'Message', fast: fastMessage, codec: MessageCodec },
  { name: 'Conversation', fast: fastConversation, codec: ConversationCodec },
  { name: 'Element', fast: fastElement, codec: Element },
];

function expectSame(u: unknown, which: readonly Pair[] = pairs): void {
  for (const p of which) {
    const expected = ioTs(p.codec, u);
    expect(fast(p.fast, u), `${p.name}: ${stringifyJson(u)}`).to.deep.equal(expected);
  }
}

describe('codecs: hand-written decoders equal the io-ts codecs', () => {
  it('on every object inside the spec vectors (messages, conversations, elements and all the rest)', () => {
    const visit = (v: unknown): void => {
      if (typeof v !== 'object' || v === null) return;
      expectSame(v);
      for (const x of Object.values(v)) visit(x);
    };
    let checked = 0;
    for (const vector of specVectors) {
      visit(asParsed(vector.json));
      checked++;
    }
    expect(checked).to.be.greaterThan(30);
  });

  it('on valid elements of every type (text, image, sound, custom, file, group tips, face, location, group report, video, unknown)', () => {
    fc.assert(fc.property(rawElement, (e) => {
      const u = asParsed(e);
      expect(isRight(Element.decode(u)), stringifyJson(u)).to.equal(true);
      expectSame(u, [pairs[2]]);
    }), { numRuns: 1500 });
  });

  it('on valid messages: the same model, with the same keys in the same order', () => {
    fc.assert(fc.property(rawMessage, (m) => {
      const u = asParsed(m);
      expect(isRight(MessageCodec.decode(u)), stringifyJson(u)).to.equal(true);
      expectSame(u, [pairs[0]]);
    }), { numRuns: 1000 });
  });

  it('on valid conversations (last message, draft, group type, receive option)', () => {
    fc.assert(fc.property(rawConversation, (c) => {
      const u = asParsed(c);
      expect(isRight(ConversationCodec.decode(u)), stringifyJson(u)).to.equal(true);
      expectSame(u, [pairs[1]]);
    }), { numRuns: 600 });
  });

  it('on mutated messages and conversations: the same model or both a failure', () => {
    fc.assert(fc.property(mutated(rawMessage), (u) => expectSame(asParsed(u), [pairs[0]])), { numRuns: 1500 });
    fc.assert(fc.property(mutated(rawConversation), (u) => expectSame(asParsed(u), [pairs[1]])), { numRuns: 1000 });
    fc.assert(fc.property(mutated(rawElement), (u) => expectSame(asParsed(u), [pairs[2]])), { numRuns: 1000 });
  });

  it('on fuzzed payload text (the reliability suite\'s mutations of the seeds), item by item', () => {
    fc.assert(fc.property(payloadText([...messageSeeds, ...conversationSeeds]), (text) => {
      let v: unknown;
      try {
        v = parseJson(text);
      } catch {
        return;
      }
      expectSame(v);
      if (Array.isArray(v)) for (const item of v) expectSame(item);
    }), { numRuns: 800 });
  });

  it('through the public codecs: the same success and, on failure, the same diagnostics as io-ts alone', () => {
    const plainMessageList = t.readonlyArray(MessageCodec);
    const plainConversationList = t.readonlyArray(ConversationCodec);
    const lists = fc.oneof(
      fc.array(mutated(rawMessage), { maxLength: 3 }).map((l) => ({ list: l, kind: 'messages' as const })),
      fc.array(mutated(rawConversation), { maxLength: 3 }).map((l) => ({ list: l, kind: 'conversations' as const })),
    );
    fc.assert(fc.property(lists, ({ list, kind }) => {
      const text = stringifyJson(list);
      const [fastCodec, plain, one, plainOne] = kind === 'messages'
        ? [MessageList, plainMessageList, Message, MessageCodec] as const
        : [ConversationList, plainConversationList, Conversation, ConversationCodec] as const;
      expect(decodeJson<unknown>(fastCodec, text), text).to.deep.equal(decodeJson<unknown>(plain, text));
      for (const item of parseJson(text) as unknown[]) {
        expect(decodeValue<unknown>(one, item)).to.deep.equal(decodeValue<unknown>(plainOne, item));
      }
    }), { numRuns: 600 });
  });

  it('falls back to the codec for what it does not decide itself: its failure report is the codec\'s', () => {
    const text = '[{"message_conv_id":"u","message_conv_type":1,"message_elem_array":[{"elem_type":0}],"message_seq":-1}]';
    const r = decodeJson(MessageList, text);
    expect(isLeft(r)).to.equal(true);
    expect(r).to.deep.equal(decodeJson(t.readonlyArray(MessageCodec), text));
    if (isLeft(r)) expect(r.left.errors.join('\n')).to.contain('0.message_elem_array.0.text_elem_content').and.contain('0.message_seq');
  });
});
