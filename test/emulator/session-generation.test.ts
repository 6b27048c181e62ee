/**
 * Session generations (docs/wire-protocol.md, "Session generations"): every
 * TIMLogin begins a new generation, announced by the internal EVENT 100
 * before its REPLY; a RESUME may continue only the latest one. A device whose
 * session was taken over while it was offline is refused with 6208 and
 * EVENT 8 on reconnect, and the newer session is untouched.
 */
import { expect } from 'chai';
import { ErrorCode } from '../../src/emulator/errors.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { harnessEachTest, makeSig, sleep, textMessage } from './helpers.js';
import { seedGeneration, storedGeneration, TOP, TWO_53, TWO_62 } from './generation-seed.js';
import type { WireClient } from './wire-client.js';

const send = (from: WireClient, to: string, text: string) =>
  from.call(FunctionId.MsgSendNewMsg, [arg.str(to), arg.i64(1), arg.str(textMessage(text))]);

describe('emulator session generations: the newest login wins over a RESUME', function () {
  this.timeout(15_000);
  const h = harnessEachTest();

  it('announces each login\'s generation (EVENT 100, u64) before its REPLY, whose JSON is unchanged', async () => {
    const c = await h().client();
    const r1 = await c.call(FunctionId.Login, [arg.str('alice'), arg.str(makeSig('alice'))]);
    expect(r1).to.include({ code: 0, desc: '', json: '' });
    expect(c.sessionGeneration, 'known when the REPLY arrives').to.equal(1n);
    const e = c.allEvents.find((x) => x.eventId === EventId.Session)!;
    expect(e.args).to.deep.equal([arg.u64(1n)]);
    await c.call(FunctionId.Login, [arg.str('alice'), arg.str(makeSig('alice'))]);
    expect(c.sessionGeneration).to.equal(2n);
    const other = await h().loggedIn('bob');
    expect(other.sessionGeneration, 'per account').to.equal(1n);
    const refused = await h().client();
    await refused.call(FunctionId.Login, [arg.str('alice'), arg.str('garbage')]);
    expect(refused.sessionGeneration, 'no EVENT 100 for a failed login').to.equal(undefined);
  });

  it('refuses a RESUME of a session taken over while offline (6208 + EVENT 8); the newer session stays', async () => {
    const conn1 = await h().loggedIn('alice');
    const old = conn1.sessionGeneration!;
    conn1.close();
    await conn1.closed;
    const conn2 = await h().loggedIn('alice');
    expect(conn2.sessionGeneration).to.equal(old + 1n);

    const again = await h().client(); // conn1's library, reconnected
    const r = await again.resume('alice', makeSig('alice'), old);
    expect(r.code, r.desc).to.equal(ErrorCode.KICKED_OFF_BY_OTHER);
    expect(r.json).to.equal('');
    expect((await again.nextEvent(EventId.KickedOffline)).args).to.deep.equal([]);
    await again.expectNoEvent(EventId.UserSigExpired, 50);
    expect((await again.call(FunctionId.ConvGetConvList)).code).to.equal(ErrorCode.NOT_LOGGED_IN);

    await conn2.expectNoEvent(EventId.KickedOffline, 50);
    expect((await conn2.call(FunctionId.ConvGetConvList)).code).to.equal(0);
    const bob = await h().loggedIn('bob');
    expect((await send(bob, 'alice', 'still here?')).code).to.equal(0);
    expect((await conn2.nextEvent(EventId.RecvNewMsg)).args[0]).to.deep.include({ tag: 1 });
    expect((await send(conn2, 'bob', 'yes')).code).to.equal(0);
    await bob.nextEvent(EventId.RecvNewMsg);
  });

  it('keeps the latest generation across a restart: the current one resumes (and gets its backlog), an older one is refused', async () => {
    const alice = await h().loggedIn('alice');
    const stale = alice.sessionGeneration!;
    const bob = await h().loggedIn('bob', { ack: false });
    await h().loggedIn('alice'); // takes alice over (live kick of the first connection)
    const current = stale + 1n;
    const bobGeneration = bob.sessionGeneration!;
    expect((await send(alice, 'bob', 'unacked')).code, 'kicked: logged out').to.equal(ErrorCode.NOT_LOGGED_IN);
    const carol = await h().loggedIn('carol');
    expect((await send(carol, 'bob', 'before restart')).code).to.equal(0);
    await bob.nextEvent(EventId.RecvNewMsg);
    await h().restart();

    const bob2 = await h().client();
    expect((await bob2.resume('bob', makeSig('bob'), bobGeneration)).code).to.equal(0);
    const redelivered = await bob2.nextEvent(EventId.RecvNewMsg);
    expect(JSON.stringify(redelivered.args[0])).to.contain('before restart');
    await bob2.expectNoEvent(EventId.KickedOffline, 50);

    const stale2 = await h().client();
    expect((await stale2.resume('alice', makeSig('alice'), stale)).code).to.equal(ErrorCode.KICKED_OFF_BY_OTHER);
    await stale2.nextEvent(EventId.KickedOffline);
    const current2 = await h().client();
    expect((await current2.resume('alice', makeSig('alice'), current)).code).to.equal(0);
    const next = await h().loggedIn('alice');
    expect(next.sessionGeneration, 'persisted: the next login goes on counting').to.equal(current + 1n);
    await current2.nextEvent(EventId.KickedOffline); // and a login still kicks the connection it replaces
  });

  it('adopts a generation it never issued (a replaced database), so the next login still outranks it', async () => {
    const c = await h().client();
    expect((await c.resume('dave', makeSig('dave'), 41n)).code).to.equal(0);
    expect((await c.call(FunctionId.ConvGetConvList)).code).to.equal(0);
    const newer = await h().loggedIn('dave');
    expect(newer.sessionGeneration).to.equal(42n);
    await c.nextEvent(EventId.KickedOffline);
  });

  it('follows every refused RESUME with exactly one event: EVENT 9 for a refused sig, EVENT 8 otherwise', async () => {
    const cases: Array<[string, (c: WireClient) => Promise<number>, number, number]> = [
      ['expired sig', async (c) => (await c.resume('erin', makeSig('erin', -10), 0n)).code, ErrorCode.USERSIG_EXPIRED, EventId.UserSigExpired],
      ['undecodable sig', async (c) => (await c.resume('erin', 'garbage', 0n)).code, ErrorCode.USERSIG_CHECK_FAILED, EventId.UserSigExpired],
      ['empty sig', async (c) => (await c.resume('erin', '', 0n)).code, ErrorCode.USERSIG_EMPTY, EventId.UserSigExpired],
      ['sig of another user', async (c) => (await c.resume('erin', makeSig('frank'), 0n)).code, ErrorCode.USERSIG_MISMATCH_ID, EventId.UserSigExpired],
      ['empty user id', async (c) => (await c.resume('', makeSig('erin'), 0n)).code, ErrorCode.INVALID_PARAMETERS, EventId.KickedOffline],
      ['no generation', async (c) => (await c.call(FunctionId.Resume, [arg.str('erin'), arg.str(makeSig('erin'))])).code,
        ErrorCode.INVALID_PARAMETERS, EventId.KickedOffline],
    ];
    for (const [what, resume, code, eventId] of cases) {
      const c = await h().client();
      expect(await resume(c), what).to.equal(code);
      await c.nextEvent(eventId, 1000);
      await sleep(30);
      const ends = c.allEvents.filter((e) => e.eventId === EventId.KickedOffline || e.eventId === EventId.UserSigExpired);
      expect(ends, what).to.have.length(1);
    }
    const foreign = await h().client({ sdkAppId: 42n });
    expect((await foreign.resume('erin', makeSig('erin'), 0n)).code).to.equal(ErrorCode.SDKAPPID_NOT_FOUND);
    await foreign.nextEvent(EventId.KickedOffline);
  });
});

describe('emulator session generations are 64-bit: past 2^53 and up to 2^63-1', function () {
  this.timeout(15_000);
  const h = harnessEachTest();

  /** A RESUME of `generation` on a new connection: its REPLY code, and the one event that follows a refusal. */
  async function resumeOf(userId: string, generation: bigint): Promise<{ code: number; event?: number }> {
    const c = await h().client();
    const r = await c.resume(userId, makeSig(userId), generation);
    if (r.code === 0) return { code: 0 };
    const ended = await Promise.race([c.nextEvent(EventId.KickedOffline, 1000), c.nextEvent(EventId.UserSigExpired, 1000)]);
    return { code: r.code, event: ended.eventId };
  }

  for (const seed of [TWO_53 - 2n, TWO_53 - 1n, TWO_53, TWO_53 + 1n, TWO_62, TOP - 2n]) {
    it(`gives two logins after generation ${seed} two generations, and RESUME continues only the newest`, async () => {
      seedGeneration(h().dbPath, 'alice', seed);
      const first = await h().loggedIn('alice');
      const second = await h().loggedIn('alice');
      expect(first.sessionGeneration).to.equal(seed + 1n);
      expect(second.sessionGeneration).to.equal(seed + 2n);
      expect(storedGeneration(h().dbPath, 'alice'), 'stored exactly').to.equal(seed + 2n);
      expect(await resumeOf('alice', seed + 1n)).to.deep.equal({ code: ErrorCode.KICKED_OFF_BY_OTHER, event: EventId.KickedOffline });
      expect(await resumeOf('alice', seed + 2n)).to.deep.equal({ code: 0 });
      await second.nextEvent(EventId.KickedOffline); // the RESUME replaced the newest login's connection
    });
  }

  it('refuses a login once the account holds generation 2^63-1 (7012, no EVENT 100); that session still resumes', async () => {
    seedGeneration(h().dbPath, 'alice', TOP - 1n);
    const last = await h().loggedIn('alice');
    expect(last.sessionGeneration).to.equal(TOP);
    const c = await h().client();
    const r = await c.call(FunctionId.Login, [arg.str('alice'), arg.str(makeSig('alice'))]);
    expect(r.code, r.desc).to.equal(ErrorCode.INTERNAL_ERROR);
    expect(r.desc).to.contain('exhausted');
    expect(c.sessionGeneration).to.equal(undefined);
    await last.expectNoEvent(EventId.KickedOffline, 50);
    expect(storedGeneration(h().dbPath, 'alice'), 'no wrap, no REAL').to.equal(TOP);
    expect(await resumeOf('alice', TOP)).to.deep.equal({ code: 0 });
  });

  it('refuses a RESUME naming a generation past 2^63-1, negative, or above both the latest and 2^62 (6017 + EVENT 8), changing nothing', async () => {
    seedGeneration(h().dbPath, 'alice', 7n);
    const hostile: Array<[string, (c: WireClient) => Promise<number>]> = [
      ['2^63', async (c) => (await c.resume('alice', makeSig('alice'), TOP + 1n)).code],
      ['2^64-1', async (c) => (await c.resume('alice', makeSig('alice'), 2n ** 64n - 1n)).code],
      ['-1 (i64)', async (c) => (await c.call(FunctionId.Resume, [arg.str('alice'), arg.str(makeSig('alice')), arg.i64(-1n)])).code],
      ['2^62+1', async (c) => (await c.resume('alice', makeSig('alice'), TWO_62 + 1n)).code],
      ['2^63-1', async (c) => (await c.resume('alice', makeSig('alice'), TOP)).code],
    ];
    for (const [what, resume] of hostile) {
      const c = await h().client();
      expect(await resume(c), what).to.equal(ErrorCode.INVALID_PARAMETERS);
      await c.nextEvent(EventId.KickedOffline, 1000);
      expect((await c.call(FunctionId.ConvGetConvList)).code, what).to.equal(ErrorCode.NOT_LOGGED_IN);
    }
    expect(storedGeneration(h().dbPath, 'alice')).to.equal(7n);
    expect((await h().loggedIn('alice')).sessionGeneration).to.equal(8n);
  });

  it('adopts a RESUME up to 2^62 (a replaced database), and the next login outranks it', async () => {
    expect(await resumeOf('dave', TWO_62)).to.deep.equal({ code: 0 });
    expect((await h().loggedIn('dave')).sessionGeneration).to.equal(TWO_62 + 1n);
    expect(await resumeOf('dave', TWO_62)).to.deep.equal({ code: ErrorCode.KICKED_OFF_BY_OTHER, event: EventId.KickedOffline });
  });
});
