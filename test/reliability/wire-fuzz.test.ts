/**
 * Wire fuzzing of the emulator from raw loopback sockets: garbage before
 * HELLO, random frame bodies after it, random CALLs (any function id, any
 * argument tags and values) from a logged-in user, truncated frames, lying
 * lengths, abrupt disconnects. Checked along the way and at the end: the
 * users already connected keep being served, a new user can log in, every
 * message stored before and during the run is still there exactly once (read
 * from the SQLite file), and the emulator logged no internal error.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import TLSSigAPIv2 from 'tls-sig-api-v2';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { arg, encodeFrame, type WireArg } from '../../src/emulator/wire/codec.js';
import { EventId, FrameKind, FunctionId, MAX_FRAME_LENGTH } from '../../src/emulator/wire/constants.js';
import { WireClient } from '../emulator/wire-client.js';
import { FUZZ_SEED, scaled } from './scale.js';

const APP_ID = 1400000077;
const SECRET = 'tim-rx-reliability-wire-fuzz-secret';
const sigApi = new TLSSigAPIv2.Api(APP_ID, SECRET);
const sig = (user: string): string => sigApi.genUserSig(user, 3600);
const text = (s: string): string => JSON.stringify({ message_elem_array: [{ elem_type: 0, text_elem_content: s }] });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** One attack: bytes written on a fresh socket (after HELLO / a login when asked), then an abrupt close. */
interface Attack {
  readonly name: string;
  readonly hello: boolean;
  readonly login: boolean;
  readonly chunks: readonly Buffer[];
}

const anyArg: fc.Arbitrary<WireArg> = fc.oneof(
  fc.constant(arg.null()),
  fc.string({ unit: 'binary', maxLength: 64 }).map((s) => arg.str(s === 'alice' || s === 'bob' ? `x${s}` : s)),
  fc.constantFrom('{}', '[]', '{"message_elem_array":[]}', text('fuzz'), '{"message_elem_array":[{"elem_type":0}]}', 'null', '1e999')
    .map((s) => arg.str(s)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => arg.i64(v)),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => arg.u64(v)),
);
const anyCall = fc.record({
  requestId: fc.oneof(fc.constant(0), fc.nat({ max: 2 ** 32 - 1 })),
  functionId: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.constantFrom(...Object.values(FunctionId)), fc.integer({ min: 0, max: 65535 })),
  args: fc.array(anyArg, { maxLength: 5 }),
}).map((c) => encodeFrame({ kind: FrameKind.Call, ...c }));

const attacks: fc.Arbitrary<Attack> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((b) => ({ name: 'garbage before HELLO', hello: false, login: false, chunks: [Buffer.from(b)] })),
  fc.array(fc.uint8Array({ minLength: 1, maxLength: 512 }), { minLength: 1, maxLength: 4 })
    .map((bodies) => ({ name: 'random frame bodies', hello: true, login: false, chunks: bodies.map((b) => Buffer.concat([u32(b.length), Buffer.from(b)])) })),
  fc.array(anyCall, { minLength: 1, maxLength: 6 }).map((calls) => ({ name: 'random CALLs, logged in', hello: true, login: true, chunks: calls })),
  fc.tuple(anyCall, fc.nat()).map(([f, at]) => ({ name: 'truncated CALL', hello: true, login: true, chunks: [f.subarray(0, 1 + (at % (f.length - 1)))] })),
  fc.constantFrom(0, MAX_FRAME_LENGTH + 1, 2 ** 32 - 1, 1_000_000)
    .map((n) => ({ name: 'zero, oversized or unfinished length', hello: true, login: false, chunks: [u32(n), Buffer.from([3, 0, 0])] })),
  fc.tuple(fc.nat({ max: 2 ** 31 }), fc.string({ maxLength: 10 }))
    .map(([claimed, s]) => {
      const b = Buffer.from(s);
      const body = Buffer.concat([Buffer.from([FrameKind.Call]), u32(1), Buffer.from([0, 23, 1, 1]), u32(claimed), b]);
      return { name: 'string longer than its frame', hello: true, login: true, chunks: [Buffer.concat([u32(body.length), body])] };
    }),
  fc.uint8Array({ minLength: 1, maxLength: 3 }).map((b) => ({ name: 'partial header', hello: false, login: false, chunks: [Buffer.from(b)] })),
);

describe('reliability: wire fuzzing of the emulator from raw sockets', function () {
  this.timeout(scaled(60_000, 600_000));
  const dir = mkdtempSync(join(tmpdir(), 'tim-rx-wire-fuzz-'));
  const dbPath = join(dir, 'fuzz.db');
  const internalErrors: string[] = [];
  let emulator: RunningEmulator;
  let alice: WireClient;
  let bob: WireClient;
  let sent = 0;
  let mallories = 0;

  async function client(user?: string): Promise<WireClient> {
    const c = await WireClient.connect(emulator.address, { sdkAppId: APP_ID });
    if (user !== undefined) {
      const r = await c.call(FunctionId.Login, [arg.str(user), arg.str(sig(user))]);
      expect(r.code, r.desc).to.equal(0);
    }
    return c;
  }

  async function aliceSends(): Promise<void> {
    const r = await alice.call(FunctionId.MsgSendNewMsg, [arg.str('bob'), arg.i64(1), arg.str(text(`m${sent}`))]);
    expect(r.code, r.desc).to.equal(0);
    sent++;
    await bob.nextEvent(EventId.RecvNewMsg);
  }

  before(async () => {
    emulator = await startEmulator({
      port: 0, dbPath, sdkAppId: APP_ID, secretKey: SECRET, logLevel: 'error',
      logSink: (level, message) => internalErrors.push(`${level}: ${message}`),
    });
    bob = await client('bob');
    alice = await client('alice');
    for (let i = 0; i < 20; i++) await aliceSends();
  });
  after(async () => {
    alice?.close();
    bob?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(attack: Attack): Promise<void> {
    const socket: Socket = connect({ host: '127.0.0.1', port: emulator.port });
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    if (attack.hello) socket.write(encodeFrame({ kind: FrameKind.Hello, protocol: 1, sdkAppId: BigInt(APP_ID), sdkVersion: 'fuzz' }));
    if (attack.login) {
      const user = `mallory${mallories++ % 4}`;
      socket.write(encodeFrame({ kind: FrameKind.Call, requestId: 1, functionId: FunctionId.Login, args: [arg.str(user), arg.str(sig(user))] }));
    }
    for (const chunk of attack.chunks) socket.write(chunk);
    await sleep(2);
    socket.destroy();
  }

  it('keeps serving the connected users and loses nothing stored', async () => {
    let n = 0;
    const byName = new Map<string, number>();
    await fc.assert(fc.asyncProperty(attacks, async (attack) => {
      byName.set(attack.name, (byName.get(attack.name) ?? 0) + 1);
      await run(attack);
      if (++n % 25 === 0) await aliceSends();
    }), { numRuns: scaled(150, 3000), seed: FUZZ_SEED });
    expect([...byName.keys()].length, 'every kind of attack was tried').to.equal(7);

    // Still served, and a new user can log in.
    await aliceSends();
    const carol = await client('carol');
    carol.close();

    // Everything alice sent is stored once, in order, and bob's conversation counts it.
    const list = await bob.call(FunctionId.ConvGetConvList);
    const withAlice = (JSON.parse(list.json) as { conv_id: string; conv_unread_num: number }[]).find((c) => c.conv_id === 'alice');
    expect(withAlice?.conv_unread_num).to.equal(sent);
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare("SELECT seq, elems FROM messages WHERE sender = 'alice' AND receiver = 'bob' ORDER BY seq").all() as { seq: number; elems: string }[];
      expect(rows.map((r) => r.seq)).to.deep.equal(Array.from({ length: sent }, (_, i) => i + 1));
      expect(rows.map((r) => (JSON.parse(r.elems) as { text_elem_content: string }[])[0]!.text_elem_content))
        .to.deep.equal(Array.from({ length: sent }, (_, i) => `m${i}`));
    } finally {
      db.close();
    }
    expect(internalErrors).to.deep.equal([]);
  });
});
