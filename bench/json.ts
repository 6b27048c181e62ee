/**
 * Benchmark 6 — parseJson on hostile input (issue 12, "Linear JSON").
 *
 * The cost per MiB of tim-rx's lossless parser on the attack's shapes (many
 * 20-digit integers and no `"` after them, …) against ordinary traffic
 * (message objects with a 19-digit unique id each) and against `JSON.parse`
 * of the same text, at 1, 2 and 4 MiB: linear means the cost per MiB stays
 * flat as the text grows. Then `JSON.parse` itself on the shapes that cost it
 * most (deep nesting, many distinct keys), which parseJson inherits; and the
 * emulator's nesting scan (`jsonNesting`, run before it parses a client's
 * JSON) against parseJson: its cost on ordinary text, and what refusing deep
 * nesting costs instead of parsing it.
 */
import { jsonNesting, MAX_JSON_DEPTH } from '../src/emulator/handlers/json-param.js';
import { parseJson } from '../src/json/lossless.js';
import { adversarialJson, ordinaryJson, type AdversarialShape } from '../test/support/json-text.js';
import { collect, fmt, interleave, machine, median, table } from './lib/report.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const MiB = 1 << 20;
const SIZES = [1, 2, 4] as const;
const SHAPES: readonly AdversarialShape[] = ['digits', 'digits-then-quote', 'digits-in-string', 'mark-strings'];

const gc = (globalThis as { gc?: () => void }).gc;

/** Milliseconds per MiB of one parse of `text`, from a collected heap (so that no sample pays for another's garbage). */
function perMiB(parse: (text: string) => unknown, text: string): number {
  gc?.();
  const t0 = performance.now();
  parse(text);
  return (performance.now() - t0) / (text.length / MiB);
}

const rows: (string | number)[][] = [];
for (const size of SIZES) {
  const ordinary = ordinaryJson(size * MiB);
  const texts = Object.fromEntries(SHAPES.map((s) => [s, adversarialJson(s, size * MiB)])) as Record<AdversarialShape, string>;
  await collect();
  const inputs: Record<string, string> = { ordinary, ...texts };
  const variants: Record<string, () => number> = {};
  for (const [input, text] of Object.entries(inputs)) {
    variants[`${input}:JSON.parse`] = () => perMiB(JSON.parse, text);
    variants[`${input}:parseJson`] = () => perMiB(parseJson, text);
  }
  const samples = await interleave(ROUNDS, variants);
  const ordinaryCost = median(samples['ordinary:parseJson']!);
  for (const input of ['ordinary', ...SHAPES]) {
    const plain = median(samples[`${input}:JSON.parse`]!);
    const ours = median(samples[`${input}:parseJson`]!);
    rows.push([`${size} MiB`, input, plain, ours, ours / plain, input === 'ordinary' ? '1' : fmt(ours / ordinaryCost)]);
  }
}

/** JSON.parse's own costly shapes: a text of about `bytes` bytes. */
const nested = (bytes: number): string => '['.repeat(bytes / 2) + ']'.repeat(bytes / 2);
const manyKeys = (bytes: number): string => `{${Array.from({ length: Math.floor(bytes / 12) }, (_, i) => `"k${i}":1`).join(',')}}`;
const own: (string | number)[][] = [];
for (const size of SIZES) {
  const ordinary = ordinaryJson(size * MiB);
  const deep = nested(size * MiB);
  const keys = manyKeys(size * MiB);
  await collect();
  const s = await interleave(ROUNDS, {
    ordinary: () => perMiB(parseJson, ordinary),
    deep: () => perMiB(parseJson, deep),
    keys: () => perMiB(parseJson, keys),
  });
  const base = median(s.ordinary);
  own.push([`${size} MiB`, base, median(s.deep), median(s.deep) / base, median(s.keys), median(s.keys) / base]);
}

/** The emulator's edge: one nesting scan, stopping past the bound (as `parseClientJson` runs it). */
const scan = (text: string): number => jsonNesting(text, MAX_JSON_DEPTH);
/** Blocks nested exactly to the bound, repeated: the scan reads every character (deeper, it stops at level 129). */
const atBound = (bytes: number): string => `[${`${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)},`.repeat(Math.floor(bytes / (2 * MAX_JSON_DEPTH - 1)))}1]`;
const edge: (string | number)[][] = [];
for (const size of SIZES) {
  const ordinary = ordinaryJson(size * MiB);
  const deep = atBound(size * MiB);
  await collect();
  const s = await interleave(ROUNDS, {
    parse: () => perMiB(parseJson, ordinary),
    scan: () => perMiB(scan, ordinary),
    deepParse: () => perMiB(parseJson, deep),
    deepScan: () => perMiB(scan, deep),
  });
  const [parse, scanned, deepParse, deepScan] = [median(s.parse), median(s.scan), median(s.deepParse), median(s.deepScan)];
  edge.push([`${size} MiB`, parse, scanned, scanned / parse, deepParse, deepScan, deepScan / deepParse]);
}

console.log('## 6. parseJson on hostile input (ms per MiB; medians)\n');
console.log(machine());
console.log(`${ROUNDS} interleaved rounds per cell; one parse per sample; texts are flat strings, as read from a socket.\n`);
console.log(table(['size', 'input', 'JSON.parse', 'parseJson', 'parseJson / JSON.parse', 'parseJson / parseJson on ordinary'], rows));
console.log('\nJSON.parse\'s own costly shapes, through parseJson (ms per MiB):\n');
console.log(table(['size', 'ordinary', 'nesting (`[[[…]]]`)', 'ratio', 'distinct keys in one object', 'ratio'], own));
console.log(`\nThe emulator's nesting scan before it parses a client's JSON (bound ${MAX_JSON_DEPTH}), ms per MiB:\n`);
console.log(table(['size', 'parseJson, ordinary', 'scan, ordinary', 'scan / parse', 'parseJson, nested to the bound', 'scan, nested to the bound', 'scan / parse'], edge));
