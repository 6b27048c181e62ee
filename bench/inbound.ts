/**
 * Benchmark 1 — inbound pipeline.
 *
 * libtimlocal's own thread reads EVENT 1 frames from a raw wire server (in a
 * worker thread, prebuilt frames written in one go) and calls the registered
 * TIMRecvNewMsgCallback. Two listeners take turns on the same library in the
 * same process:
 *   raw floor  a bare koffi callback that JSON.parses the array and counts it;
 *   tim-rx     the client's trampoline → queueMicrotask → lossless parse →
 *              Message decoder (hand-written, checked against the io-ts
 *              codec) → messages$ (and the state's unread bookkeeping, which
 *              the client always runs); counted on messages$.
 * Messages per second from the first frame written to the last message seen.
 */
import koffi from 'koffi';
import * as t from 'io-ts';
import { lastValueFrom } from 'rxjs';
import { KoffiBackend, MessageList, createTimClient, decodeValue, defaultLibraryPath } from '../src/index.js';
import { MessageCodec } from '../src/codecs/message.js';
import { parseJson, parseJsonLossless } from '../src/json/lossless.js';
import { FakeTimBackend } from '../src/testing/index.js';
import { messageArrayJson } from './lib/payloads.js';
import { recvNewMsgFrames } from './lib/raw-server.js';
import { RawServerWorker } from './lib/raw-server-client.js';
import { fmt, interleave, machine, median, table, verdict } from './lib/report.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const BATCHES: readonly { size: number; messages: number }[] = [
  { size: 1, messages: 10_000 },
  { size: 10, messages: 20_000 },
  { size: 100, messages: 20_000 },
];

const server = await RawServerWorker.start();
server.reply(20, 0, '', '[]'); // TIMConvGetConvList after login (the state fetches it)
// The library's own thread calls the listeners, as this benchmark is defined (and as with Tencent's SDK):
// in libtimlocal's host dispatch mode (tim-rx's default there) the bare listener would be run by tim-rx's dispatch.
const backend = new KoffiBackend({ callbacks: 'library-thread' });
const tim = createTimClient({ sdkAppId: 1400000001, backend, emulatorHost: server.address });
await lastValueFrom(tim.login('bob', 'any-sig: the raw server accepts every login'), { defaultValue: undefined });

// The bare listener, on the same (already pinned) library.
koffi.proto('void BenchRecvCallback(const char *json_msg_array, const void *user_data)');
const lib = koffi.load(defaultLibraryPath);
const setRecv = lib.func('void TIMSetRecvNewMsgCallback(BenchRecvCallback *cb, const void *user_data)');

let received = 0;
let target = Infinity;
let done: ((t: number) => void) | undefined;
const count = (n: number): void => {
  received += n;
  if (received >= target && done) {
    const d = done;
    done = undefined;
    d(performance.now());
  }
};
const rawCallback = koffi.register((json: string) => {
  try {
    count((JSON.parse(json) as unknown[]).length);
  } catch {
    /* never throw into native code */
  }
}, koffi.pointer('BenchRecvCallback'));
tim.events.messages$.subscribe(() => count(1));

type Listener = 'raw' | 'timrx';
let installed: Listener | undefined;
function install(l: Listener): void {
  if (installed === l) return;
  if (l === 'raw') setRecv(rawCallback, null);
  else backend.library.setListeners(true);
  installed = l;
}

/** Messages per second for one blast of prepared frames. */
async function trial(listener: Listener, key: string, messages: number): Promise<number> {
  install(listener);
  received = 0;
  target = messages;
  const finished = new Promise<number>((resolve) => (done = resolve));
  const t0 = performance.now();
  await server.blast(key);
  const t1 = await finished;
  return messages / ((t1 - t0) / 1000);
}

const rows: (string | number)[][] = [];
for (const { size, messages } of BATCHES) {
  for (const uniqueId of [true, false]) {
    const key = `${size}-${uniqueId}`;
    const json = messageArrayJson(size, uniqueId);
    server.prepare(key, recvNewMsgFrames(json, messages / size));
    // One untimed warm-up blast per listener.
    await trial('raw', key, messages);
    await trial('timrx', key, messages);
    const s = await interleave(ROUNDS, {
      raw: () => trial('raw', key, messages),
      timrx: () => trial('timrx', key, messages),
    });
    const raw = median(s.raw);
    const rx = median(s.timrx);
    rows.push([
      size, uniqueId ? 'emulator (19-digit unique id: lossless path)' : 'no unique id (JSON.parse path)',
      fmt(Buffer.byteLength(json) / size) + ' B', raw, rx, rx / raw, uniqueId ? verdict(rx / raw, '≥', 0.6) : 'info',
    ]);
  }
}

// Where the time goes: the same payloads through each stage alone, on the main thread, no native code.
function perMessage(batch: number, fn: () => void): number {
  const reps = Math.max(20, Math.round(4000 / batch));
  for (let i = 0; i < reps / 4; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return ((performance.now() - t0) * 1000) / reps / batch;
}
/**
 * The whole client path, each emit with messages not seen before: `messages$`
 * drops a message whose id it emitted recently (at-least-once delivery), so
 * repeating one payload would measure the drop, not the pipeline.
 */
let nextMessage = 1_000_000;
function emitDistinct(fake: FakeTimBackend, batch: number, uniqueId: boolean): number {
  const reps = Math.max(20, Math.round(4000 / batch));
  const payloads = Array.from({ length: reps + Math.ceil(reps / 4) }, () => {
    // A flat string, as koffi makes from the C `const char*`: the concatenated string stringifyJson
    // returns would be flattened by parseJson's first regex, a cost the real path never pays.
    const json = Buffer.from(messageArrayJson(batch, uniqueId, nextMessage)).toString();
    nextMessage += batch;
    return json;
  });
  let i = 0;
  return perMessage(batch, () => fake.emit('recvNewMsg', { json: payloads[i++]! }));
}
const breakdown: (string | number)[][] = [];
{
  const ioTsMessageList = t.readonlyArray(MessageCodec);
  const fake = new FakeTimBackend();
  const fakeClient = createTimClient({ sdkAppId: 1, backend: fake });
  fakeClient.events.messages$.subscribe(() => undefined);
  for (const size of [1, 100]) {
    for (const uniqueId of [true, false]) {
      const json = messageArrayJson(size, uniqueId);
      const value = parseJson(json);
      const cells = [
        perMessage(size, () => JSON.parse(json)),
        perMessage(size, () => parseJsonLossless(json)),
        perMessage(size, () => parseJson(json)),
        perMessage(size, () => decodeValue(ioTsMessageList, value)),
        perMessage(size, () => decodeValue(MessageList, value)),
        emitDistinct(fake, size, uniqueId),
      ];
      breakdown.push([size, uniqueId ? 'emulator' : 'no unique id', ...cells]);
    }
  }
  await lastValueFrom(fakeClient.dispose(), { defaultValue: undefined });
}

console.log('## 1. Inbound pipeline (messages/s on messages$ vs bare koffi callback + JSON.parse)\n');
console.log(machine());
console.log(`${ROUNDS} interleaved rounds per cell, medians; libtimlocal's thread delivers from a raw wire server in a worker thread.\n`);
console.log(table(['msgs/callback', 'payload', 'bytes/msg', 'raw floor msg/s', 'tim-rx msg/s', 'ratio', 'target'], rows));
console.log('\nCost per message of each stage alone (µs, main thread, no native code; FakeTimBackend for the whole client path):\n');
console.log(table(['msgs/array', 'payload', 'JSON.parse', 'lossless-json (reference)', 'parseJson (tim-rx)', 'io-ts codec alone', 'MessageList decode (tim-rx)', 'client: emit → messages$ (+ state)'], breakdown));

install('timrx');
await lastValueFrom(tim.dispose(), { defaultValue: undefined });
await server.close();
process.exit(0);
