/**
 * Security: UserSigs that must not log in (end to end through tim-rx →
 * libtimlocal → emulator, and as a fast-check property on the wire), and a
 * user acting on what is not theirs. Checks that depend on functions the
 * emulator does not implement yet (answer 7013) report themselves skipped.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { lastValueFrom } from 'rxjs';
import { createTimClient, isTimError, type TimClient } from '../../src/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { packSigDocument } from '../emulator/helpers.js';
import { WireClient } from '../emulator/wire-client.js';
import { Recorder } from '../support/record.js';
import { SDK_APP_ID, SECRET, expiredUserSig, forgedUserSig, userSig } from '../support/usersig.js';
import { FUZZ_SEED, scaled } from './scale.js';

const OTHER_APP_ID = SDK_APP_ID + 1;
const NOT_SUPPORTED = 7013;
const text = (s: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ message_elem_array: [{ elem_type: 0, text_elem_content: s }], ...extra });

interface Reply { code: number; desc: string; json: string }

/** The JSON document inside a sig (urlsafe base64 → zlib), or undefined. */
function sigDocument(sig: string): string | undefined {
  try {
    return inflateSync(Buffer.from(sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64')).toString('utf8');
  } catch {
    return undefined;
  }
}

describe('reliability: security', function () {
  this.timeout(scaled(60_000, 300_000));
  const dir = mkdtempSync(join(tmpdir(), 'tim-rx-security-'));
  let emulator: RunningEmulator;
  const sockets: WireClient[] = [];

  async function wire(user?: string, appId = SDK_APP_ID): Promise<WireClient> {
    const c = await WireClient.connect(emulator.address, { sdkAppId: appId });
    sockets.push(c);
    if (user !== undefined) {
      const r = await c.call(FunctionId.Login, [arg.str(user), arg.str(userSig(user))]);
      expect(r.code, r.desc).to.equal(0);
    }
    return c;
  }
  const login = (c: WireClient, user: string, sig: string) => c.call(FunctionId.Login, [arg.str(user), arg.str(sig)]);

  before(async () => {
    emulator = await startEmulator({ port: 0, dbPath: join(dir, 'security.db'), sdkAppId: SDK_APP_ID, secretKey: SECRET, logLevel: 'silent' });
  });
  after(async () => {
    for (const c of sockets) c.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('UserSig, end to end through tim-rx and libtimlocal', () => {
    let tim: TimClient | undefined;
    afterEach(async () => {
      if (tim) await lastValueFrom(tim.dispose(), { defaultValue: undefined });
      tim = undefined;
    });
    const refused = async (client: TimClient, user: string, sig: string): Promise<number> => {
      const e = await lastValueFrom(client.login(user, sig), { defaultValue: undefined }).then(() => undefined, (err: unknown) => err);
      expect(isTimError(e), `login of ${user} was not refused: ${String(e)}`).to.equal(true);
      expect((e as { kind: string }).kind).to.equal('async');
      return (e as { code: number }).code;
    };

    it('refuses forged (70003), expired (70001, then userSigExpired$), other-user (70013), other-app (70014), empty (70002) and wrong-key (70003) sigs; a valid one still works', async () => {
      const client = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
      tim = client;
      const expired = new Recorder(client.events.userSigExpired$);
      expect(await refused(client, 'sec-dave', forgedUserSig('sec-dave'))).to.equal(70003);
      expect(await refused(client, 'sec-dave', expiredUserSig('sec-dave'))).to.equal(70001);
      await expired.next();
      expect(await refused(client, 'sec-dave', userSig('sec-erin'))).to.equal(70013);
      expect(await refused(client, 'sec-dave', userSig('sec-dave', 86400, OTHER_APP_ID))).to.equal(70014);
      expect(await refused(client, 'sec-dave', '')).to.equal(70002);
      expect(await refused(client, 'sec-dave', userSig('sec-dave', 86400, SDK_APP_ID, 'another-secret-key'))).to.equal(70003);
      expect(client.state.connection.status).not.to.equal('connected');
      await lastValueFrom(client.login('sec-dave', userSig('sec-dave')), { defaultValue: undefined });
      expect(client.state.connection.status).to.equal('connected');
    });

    it('refuses a client initialized with another SDKAppID (70020), even with a valid sig', async () => {
      const client = createTimClient({ sdkAppId: OTHER_APP_ID, emulatorHost: emulator.address });
      tim = client;
      expect(await refused(client, 'sec-frank', userSig('sec-frank'))).to.equal(70020);
      expect(await refused(client, 'sec-frank', userSig('sec-frank', 86400, OTHER_APP_ID))).to.equal(70020);
    });
  });

  describe('UserSig, fuzzed on the wire', () => {
    it('no random, mutated or self-made sig logs anyone in', async () => {
      const c = await wire();
      const real = userSig('sec-victim');
      const b64 = (buf: Buffer) => buf.toString('base64');
      const selfMade = fc.record({
        identifier: fc.constantFrom('sec-victim', 'sec-other', ''),
        sdkappid: fc.constantFrom(SDK_APP_ID, OTHER_APP_ID, 0),
        time: fc.integer({ min: 0, max: 2 ** 31 }),
        expire: fc.integer({ min: -1, max: 2 ** 31 }),
        key: fc.constantFrom('', 'guess', SECRET.slice(0, -1), `${SECRET}x`),
        ver: fc.constantFrom('2.0', '1.0', ''),
      }).map((d) => {
        const content = `TLS.identifier:${d.identifier}\nTLS.sdkappid:${d.sdkappid}\nTLS.time:${d.time}\nTLS.expire:${d.expire}\n`;
        return packSigDocument({
          'TLS.ver': d.ver, 'TLS.identifier': d.identifier, 'TLS.sdkappid': d.sdkappid, 'TLS.time': d.time, 'TLS.expire': d.expire,
          'TLS.sig': b64(createHmac('sha256', d.key).update(content).digest()),
        });
      });
      const mutated = fc.tuple(fc.integer({ min: 4, max: real.length - 5 }), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_'))
        .filter(([i, ch]) => real[i] !== ch)
        .map(([i, ch]) => real.slice(0, i) + ch + real.slice(i + 1));
      const codes = new Set<number>();
      await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), selfMade, mutated), async (sig) => {
        const r = await login(c, 'sec-victim', sig);
        codes.add(r.code);
        // A changed character may fall in the deflate stream's padding bits: the same document, the same credential.
        if (r.code === 0) expect(sigDocument(sig), `sig ${JSON.stringify(sig)} logged in`).to.equal(sigDocument(real));
      }), { numRuns: scaled(150, 3000), seed: FUZZ_SEED });
      for (const code of codes) expect([0, 70001, 70002, 70003, 70013, 70014], `code ${code}`).to.include(code);
      // The connection is still usable: the real sig works.
      expect((await login(c, 'sec-victim', real)).code).to.equal(0);
    });
  });

  describe("a user and other users' messages", () => {
    let alice: WireClient;
    let bob: WireClient;
    let carol: WireClient;
    let sentToBob: Reply;

    before(async () => {
      bob = await wire('sec-bob');
      carol = await wire('sec-carol');
      alice = await wire('sec-alice');
      // Spoofing attempt: the sender field of the param is not the sender.
      sentToBob = await alice.call(FunctionId.MsgSendNewMsg, [arg.str('sec-bob'), arg.i64(1), arg.str(text('for bob only', { message_sender: 'sec-carol' }))]);
      expect(sentToBob.code, sentToBob.desc).to.equal(0);
      await bob.nextEvent(EventId.RecvNewMsg);
    });

    const skipIfMissing = (ctx: Mocha.Context, r: Reply, what: string): void => {
      if (r.code === NOT_SUPPORTED) {
        console.log(`      skipped: the emulator does not implement ${what} yet (7013)`);
        ctx.skip();
      }
    };
    const conversations = async (c: WireClient): Promise<{ conv_id: string; conv_last_msg?: { message_seq: unknown } }[]> => {
      const r = await c.call(FunctionId.ConvGetConvList);
      expect(r.code, r.desc).to.equal(0);
      return JSON.parse(r.json) as { conv_id: string }[];
    };
    const history = async (c: WireClient, peer: string): Promise<Reply & { texts: string[] }> => {
      const r = await c.call(FunctionId.MsgGetMsgList, [arg.str(peer), arg.i64(1), arg.str('{"msg_getmsglist_param_count":100}')]);
      const texts = r.code === 0
        ? (JSON.parse(r.json) as { message_elem_array: { text_elem_content?: string }[] }[]).map((m) => m.message_elem_array[0]?.text_elem_content ?? '')
        : [];
      return { ...r, texts };
    };

    it('the sender is the logged-in user, whatever the param says', async () => {
      const m = JSON.parse(sentToBob.json) as { message_sender: string };
      expect(m.message_sender).to.equal('sec-alice');
    });

    it('a third user neither receives nor lists the conversation of two others', async () => {
      await carol.expectNoEvent(EventId.RecvNewMsg, 100);
      const ids = (await conversations(carol)).map((c) => c.conv_id);
      expect(ids).not.to.include('sec-alice');
      expect(ids).not.to.include('sec-bob');
    });

    it('a logged-out or kicked connection can do nothing but log in (6014)', async () => {
      const anonymous = await wire();
      expect((await anonymous.call(FunctionId.ConvGetConvList)).code).to.equal(6014);
      expect((await anonymous.call(FunctionId.MsgSendNewMsg, [arg.str('sec-bob'), arg.i64(1), arg.str(text('x'))])).code).to.equal(6014);
      const first = await wire('sec-kicked');
      await wire('sec-kicked');
      await first.nextEvent(EventId.KickedOffline);
      expect((await first.call(FunctionId.MsgSendNewMsg, [arg.str('sec-bob'), arg.i64(1), arg.str(text('x'))])).code).to.equal(6014);
      expect((await first.call(FunctionId.ConvGetConvList)).code).to.equal(6014);
    });

    it("a user cannot read another pair's messages (TIMMsgGetMsgList)", async function () {
      for (const peer of ['sec-alice', 'sec-bob']) {
        const r = await history(carol, peer);
        skipIfMissing(this, r, 'TIMMsgGetMsgList');
        expect(r.texts).not.to.include('for bob only');
      }
      const own = await history(bob, 'sec-alice');
      expect(own.texts).to.include('for bob only');
    });

    it("neither the receiver nor a third user can revoke the sender's message", async function () {
      const byCarol = await carol.call(FunctionId.MsgRevoke, [arg.str('sec-alice'), arg.i64(1), arg.str(sentToBob.json)]);
      skipIfMissing(this, byCarol, 'TIMMsgRevoke');
      expect(byCarol.code, 'revoke by a third user').not.to.equal(0);
      const byCarolAsBob = await carol.call(FunctionId.MsgRevoke, [arg.str('sec-bob'), arg.i64(1), arg.str(sentToBob.json)]);
      expect(byCarolAsBob.code, 'revoke by a third user, naming the receiver').not.to.equal(0);
      const received = JSON.parse((await history(bob, 'sec-alice')).json) as { message_elem_array: { text_elem_content?: string }[] }[];
      const atBob = received.find((m) => m.message_elem_array[0]?.text_elem_content === 'for bob only');
      const byBob = await bob.call(FunctionId.MsgRevoke, [arg.str('sec-alice'), arg.i64(1), arg.str(JSON.stringify(atBob))]);
      expect(byBob.code, 'revoke by the receiver').not.to.equal(0);
      await bob.expectNoEvent(EventId.MsgRevoke, 50);
      expect((await history(bob, 'sec-alice')).texts).to.include('for bob only');
    });

    it("deleting is for oneself only: a third user's delete changes nothing, the receiver's does not reach the sender", async function () {
      const del = (c: WireClient, peer: string, msg: string) =>
        c.call(FunctionId.MsgDelete, [arg.str(peer), arg.i64(1), arg.str(JSON.stringify({ msg_delete_param_msg: JSON.parse(msg) as unknown }))]);
      const byCarol = await del(carol, 'sec-alice', sentToBob.json);
      skipIfMissing(this, byCarol, 'TIMMsgDelete');
      expect((await history(bob, 'sec-alice')).texts).to.include('for bob only');
      expect((await history(alice, 'sec-bob')).texts).to.include('for bob only');
      const received = JSON.parse((await history(bob, 'sec-alice')).json) as unknown[];
      const byBob = await del(bob, 'sec-alice', JSON.stringify(received[received.length - 1]));
      expect(byBob.code, byBob.desc).to.equal(0);
      expect((await history(alice, 'sec-bob')).texts, "the sender's copy").to.include('for bob only');
    });

    it('a non-member cannot send to, change or dismiss a private group', async function () {
      const created = await alice.call(FunctionId.GroupCreate, [arg.str(JSON.stringify({
        create_group_param_group_id: 'sec-private', create_group_param_group_name: 'private', create_group_param_group_type: 1,
      }))]);
      skipIfMissing(this, created, 'TIMGroupCreate');
      expect(created.code, created.desc).to.equal(0);
      const send = await carol.call(FunctionId.MsgSendNewMsg, [arg.str('sec-private'), arg.i64(2), arg.str(text('intruder'))]);
      expect(send.code, 'send by a non-member').not.to.equal(0);
      const modify = await carol.call(FunctionId.GroupModifyGroupInfo, [arg.str(JSON.stringify({
        group_modify_info_param_group_id: 'sec-private', group_modify_info_param_modify_flag: 1, group_modify_info_param_group_name: 'mine',
      }))]);
      expect(modify.code, 'modify by a non-member').not.to.equal(0);
      const kick = await carol.call(FunctionId.GroupDeleteMember, [arg.str(JSON.stringify({
        group_delete_member_param_group_id: 'sec-private', group_delete_member_param_identifier_array: ['sec-alice'],
      }))]);
      expect(kick.code, 'kick by a non-member').not.to.equal(0);
      const dismiss = await carol.call(FunctionId.GroupDelete, [arg.str('sec-private')]);
      expect(dismiss.code, 'dismiss by a non-member').not.to.equal(0);
    });
  });
});
