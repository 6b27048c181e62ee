/**
 * Attack 8 of issue 12: a client holding a valid UserSig brings its
 * account's session generation to 2^53 (a RESUME naming a generation the
 * server never issued is adopted), then logs in again and again. Every
 * login must get its own generation, exactly one above the previous, and a
 * RESUME must continue the newest session only; hostile RESUME generations
 * (anything in 0..2^64-1, or a negative i64) get a clear answer, never a
 * crash, a wrap or a rounded generation.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { storedGeneration, TOP, TWO_53, TWO_62 } from '../emulator/generation-seed.js';
import { WireClient } from '../emulator/wire-client.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';
import { FUZZ_SEED, scaled } from './scale.js';

const KICKED_OFF_BY_OTHER = 6208;
const INVALID_PARAMETERS = 6017;

describe('reliability: session generations past 2^53 (attack 8)', function () {
  this.timeout(scaled(30_000, 300_000));
  const dir = mkdtempSync(join(tmpdir(), 'tim-rx-generations-'));
  const dbPath = join(dir, 'generations.db');
  let emulator: RunningEmulator;
  const sockets: WireClient[] = [];

  async function wire(): Promise<WireClient> {
    const c = await WireClient.connect(emulator.address, { sdkAppId: SDK_APP_ID });
    sockets.push(c);
    return c;
  }
  /** A RESUME on a new connection; the connection is closed after its answer. */
  async function resumeOnce(user: string, generation: bigint): Promise<number> {
    const c = await wire();
    const r = await c.resume(user, userSig(user), generation);
    if (r.code !== 0) await c.nextEvent(EventId.KickedOffline, 2000);
    c.close();
    return r.code;
  }
  async function login(user: string): Promise<bigint> {
    const c = await wire();
    const r = await c.call(FunctionId.Login, [arg.str(user), arg.str(userSig(user))]);
    expect(r.code, r.desc).to.equal(0);
    const generation = c.sessionGeneration;
    c.close();
    if (generation === undefined) throw new Error('no EVENT 100 before the login REPLY');
    return generation;
  }

  before(async () => {
    emulator = await startEmulator({ port: 0, dbPath, sdkAppId: SDK_APP_ID, secretKey: SECRET, logLevel: 'silent' });
  });
  after(async () => {
    for (const c of sockets) c.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a client raises its generation to 2^53 - 3 by RESUME, then logs in repeatedly: every login its own generation, only the newest resumes', async () => {
    const user = 'gen-mallory';
    expect(await resumeOnce(user, TWO_53 - 3n)).to.equal(0);
    const logins = scaled(12, 200);
    const issued: bigint[] = [];
    for (let i = 0; i < logins; i++) issued.push(await login(user));
    expect(issued).to.deep.equal(issued.map((_, i) => TWO_53 - 2n + BigInt(i)));
    expect(storedGeneration(dbPath, user)).to.equal(issued.at(-1));
    for (const older of issued.slice(-4, -1)) expect(await resumeOnce(user, older), `RESUME of ${older}`).to.equal(KICKED_OFF_BY_OTHER);
    expect(await resumeOnce(user, issued.at(-1)!), 'the newest session resumes').to.equal(0);
  });

  it('any RESUME generation (0..2^64-1, negative i64) gets 0, 6208 or 6017 with its one event; the next login is exactly one above', async () => {
    const user = 'gen-fuzz';
    let latest = await login(user);
    const near = (b: bigint) => fc.bigInt({ min: -3n, max: 3n }).map((d) => b + d);
    const generation = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      near(TWO_53), near(TWO_62), near(TOP), near(2n ** 64n - 4n), fc.bigInt({ min: -(2n ** 63n), max: -1n }),
    );
    await fc.assert(fc.asyncProperty(generation, async (g) => {
      const c = await wire();
      const r = await c.call(FunctionId.Resume, [arg.str(user), arg.str(userSig(user)), g < 0n ? arg.i64(g) : arg.u64(g)]);
      const expected = g === latest || (g > latest && g <= TWO_62) ? 0 : g >= 0n && g < latest ? KICKED_OFF_BY_OTHER : INVALID_PARAMETERS;
      expect(r.code, `RESUME of ${g} with latest ${latest}: ${r.desc}`).to.equal(expected);
      if (r.code !== 0) await c.nextEvent(EventId.KickedOffline, 2000);
      c.close();
      if (r.code === 0) latest = g;
      expect(storedGeneration(dbPath, user)).to.equal(latest);
      if (latest < TOP) {
        const next = await login(user);
        expect(next, 'the next login').to.equal(latest + 1n);
        latest = next;
        expect(storedGeneration(dbPath, user)).to.equal(latest);
      }
    }), { numRuns: scaled(40, 1000), seed: FUZZ_SEED });
  });
});
