/**
 * fast-check arbitraries of payload text: the spec's JSON examples and
 * tim-rx's own fixtures as seeds, mutated as trees (keys removed, values
 * replaced or retyped, 64-bit extremes) and as text (truncated, bytes
 * inserted, digit runs stretched past 2^53, lone surrogates), plus random
 * JSON and random strings.
 */
import fc from 'fast-check';
import { encodeJson } from '../../src/codecs/decode.js';
import { ConversationList } from '../../src/codecs/conversation.js';
import { MessageList } from '../../src/codecs/message.js';
import { parseJson, stringifyJson } from '../../src/json/lossless.js';
import { conversation, groupTipsMessage, textMessage } from '../../src/testing/index.js';
import { specVectors } from '../support/spec-vectors.js';
import { FULL } from './scale.js';

type Json = unknown;

/**
 * Depth of the nested-array mutation. 5000 levels (valid JSON, parsed by
 * JSON.parse) make decodeJson throw RangeError (defect D1 in
 * docs/benchmarks.md), which errors a hot stream; the bounded run stays below
 * that depth until it is fixed, the full run does not.
 */
export const NEST_DEPTH = Number(process.env['TIM_RX_FUZZ_NEST'] ?? (FULL ? 5000 : 1000));

const ownSeeds: string[] = [
  encodeJson(MessageList, [textMessage('c2c:alice', 'hello', { seq: 7n, rand: 2n ** 40n, uniqueId: 2n ** 63n + 5n, serverTime: 1_763_700_000 })]),
  encodeJson(MessageList, [textMessage('group:g1', '你好 😀'), groupTipsMessage('g1')]),
  encodeJson(ConversationList, [
    conversation('c2c:bob', { unreadCount: 3, activeTime: 2n ** 62n + 1n, lastMessage: textMessage('c2c:bob', 'last') }),
    conversation('group:g1', { isPinned: true }),
  ]),
];

/** Seeds as text: the spec's examples (params, results, events) and tim-rx fixtures. */
export const seedTexts: readonly string[] = [...specVectors.map((v) => JSON.stringify(v.json)), ...ownSeeds];
/** Seeds that are message arrays / conversation arrays (what the hot streams carry). */
export const messageSeeds: readonly string[] = [
  ...specVectors.filter((v) => v.api === 'TIMRecvNewMsgCallback').map((v) => JSON.stringify(v.json)), ownSeeds[0]!, ownSeeds[1]!,
];
export const conversationSeeds: readonly string[] = [
  ...specVectors.filter((v) => v.api === 'TIMConvGetConvList' || v.api === 'TIMConvCreate').map((v) => JSON.stringify(v.json)), ownSeeds[2]!,
];

const specialValues: readonly Json[] = [
  2n ** 64n - 1n, 2n ** 64n, -(2n ** 63n), 2n ** 53n + 1n, -1, 0, 1.5, 1e308, -0, '', '0', '18446744073709551615',
  'x'.repeat(4096), '\u0000', '\ud800', null, true, false, [], {}, [[[[[]]]]],
];

const jsonLeaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...specialValues),
  fc.jsonValue({ maxDepth: 2 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

interface TreeMutation {
  readonly path: readonly number[];
  readonly op: 'delete' | 'replace' | 'retype' | 'wrap';
  readonly value: Json;
}

const treeMutation: fc.Arbitrary<TreeMutation> = fc.record({
  path: fc.array(fc.nat(), { maxLength: 6 }),
  op: fc.constantFrom('delete', 'replace', 'retype', 'wrap') as fc.Arbitrary<TreeMutation['op']>,
  value: jsonLeaf,
});

function retype(v: Json): Json {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return /^-?\d+$/.test(v) ? BigInt(v) : v.length;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  if (v !== null && typeof v === 'object') return Object.values(v);
  return 0;
}

/** Applies one mutation at the node that `path` leads to (indices taken modulo the children). */
function mutate(v: Json, m: TreeMutation, depth = 0): Json {
  const children = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : v !== null && typeof v === 'object' ? Object.entries(v) : [];
  if (depth === m.path.length || children.length === 0) {
    switch (m.op) {
      case 'replace':
        return m.value;
      case 'retype':
        return retype(v);
      case 'wrap':
        return [v];
      case 'delete':
        return undefined;
    }
  }
  const [key, child] = children[m.path[depth]! % children.length]!;
  const next = mutate(child, m, depth + 1);
  if (Array.isArray(v)) {
    const copy = v.slice();
    if (next === undefined) copy.splice(key as number, 1);
    else copy[key as number] = next;
    return copy;
  }
  const copy: Record<string, Json> = { ...(v as Record<string, Json>) };
  if (next === undefined) delete copy[key as string];
  else copy[key as string] = next;
  return copy;
}

function treeMutated(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(treeMutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => {
    let v: Json = parseJson(text);
    for (const m of ms) v = mutate(v, m) ?? null;
    return stringifyJson(v);
  });
}

function textMutated(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(
    fc.constantFrom(...seeds),
    fc.nat(),
    fc.constantFrom('truncate', 'insert', 'digits', 'surrogate', 'nest', 'duplicate-key'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
  ).map(([text, at, op, s]) => {
    const i = at % (text.length + 1);
    switch (op) {
      case 'truncate':
        return text.slice(0, i);
      case 'insert':
        return text.slice(0, i) + s + text.slice(i);
      case 'digits':
        return text.replace(/\d+/, '98765432109876543210987654321');
      case 'surrogate':
        return text.slice(0, i) + '\ud83d' + text.slice(i);
      case 'nest':
        return `${'['.repeat(NEST_DEPTH)}${text}${']'.repeat(NEST_DEPTH)}`;
      default:
        return text.replace(/"(\w+)":/, '"$1":1,"$1":');
    }
  });
}

/** Payload text, biased toward the shapes that `seeds` have. */
export function payloadText(seeds: readonly string[] = seedTexts): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...seeds), weight: 1 },
    { arbitrary: treeMutated(seeds), weight: 5 },
    { arbitrary: textMutated(seeds), weight: 3 },
    { arbitrary: fc.json({ maxDepth: 3 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 64 }), weight: 1 },
  );
}
