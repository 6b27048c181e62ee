import { expect } from 'chai';
import { ErrorCode } from '../../src/emulator/errors.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { IMPLEMENTED_FUNCTIONS } from '../../src/emulator/handlers/index.js';
import { EventId, FUNCTION_NAMES, FunctionId } from '../../src/emulator/wire/constants.js';
import { APP_ID, harnessEachTest, makeSig, packSigDocument, textMessage } from './helpers.js';

/** A well-formed sig document whose HMAC is wrong. */
function forgedHmac(userId: string): string {
  const time = Math.floor(Date.now() / 1000);
  return packSigDocument({
    'TLS.ver': '2.0', 'TLS.identifier': userId, 'TLS.sdkappid': APP_ID, 'TLS.time': time, 'TLS.expire': 600,
    'TLS.sig': Buffer.alloc(32, 7).toString('base64'),
  });
}

const login = (userId: string, sig: string) => [arg.str(userId), arg.str(sig)];

describe('emulator sessions: login, RESUME, kick, expiry, config, dispatch rules', function () {
  this.timeout(10_000);
  const h = harnessEachTest();

  it('answers HELLO with WELCOME and logs in with a tls-sig-api-v2 sig', async () => {
    const c = await h().client();
    expect(c.serverName).to.equal('tim-rx emulator');
    const r = await c.call(FunctionId.Login, login('alice', makeSig('alice')));
    expect(r).to.include({ code: 0, desc: '', json: '', flags: 0 });
    const list = await c.call(FunctionId.ConvGetConvList);
    expect(list).to.include({ code: 0, json: '[]' });
  });

  it('refuses bad sigs with the account codes and stays logged out', async () => {
    const c = await h().client();
    const cases: Array<[string, string, number]> = [
      ['alice', '', ErrorCode.USERSIG_EMPTY],
      ['alice', 'garbage', ErrorCode.USERSIG_CHECK_FAILED],
      ['alice', makeSig('alice').slice(0, -12) + 'AAAAAAAAAAAA', ErrorCode.USERSIG_CHECK_FAILED],
      ['alice', packSigDocument({ 'TLS.ver': '2.0' }), ErrorCode.USERSIG_CHECK_FAILED],
      ['alice', forgedHmac('alice'), ErrorCode.USERSIG_CHECK_FAILED],
      ['alice', makeSig('alice', 600, APP_ID + 5), ErrorCode.USERSIG_MISMATCH_SDKAPPID],
      ['alice', makeSig('bob'), ErrorCode.USERSIG_MISMATCH_ID],
    ];
    for (const [user, sig, code] of cases) {
      const r = await c.call(FunctionId.Login, login(user, sig));
      expect(r.code, `${sig.slice(0, 20)}… → ${r.desc}`).to.equal(code);
      expect(r.desc).to.be.a('string').and.not.empty;
    }
    expect((await c.call(FunctionId.ConvGetConvList)).code).to.equal(ErrorCode.NOT_LOGGED_IN);
    await c.expectNoEvent(EventId.UserSigExpired, 50);
  });

  it('refuses an expired sig with 70001 followed by EVENT 9, for Login and RESUME', async () => {
    const c = await h().client();
    for (const fn of [FunctionId.Login, FunctionId.Resume]) {
      const args = login('alice', makeSig('alice', -10));
      const r = await c.call(fn, fn === FunctionId.Resume ? [...args, arg.u64(1)] : args);
      expect(r.code).to.equal(ErrorCode.USERSIG_EXPIRED);
      const e = await c.nextEvent(EventId.UserSigExpired);
      expect(e.args).to.deep.equal([]);
    }
    expect((await c.call(FunctionId.ConvGetConvList)).code).to.equal(ErrorCode.NOT_LOGGED_IN);
  });

  it('answers 70020 at login when HELLO carried another sdk_app_id', async () => {
    const c = await h().client({ sdkAppId: 42n });
    const r = await c.call(FunctionId.Login, login('alice', makeSig('alice')));
    expect(r.code).to.equal(ErrorCode.SDKAPPID_NOT_FOUND);
    expect(r.desc).to.contain('42');
  });

  it('kicks the first connection (EVENT 8) when the user logs in elsewhere; the old socket stays open, logged out', async () => {
    const first = await h().loggedIn('carol');
    const second = await h().loggedIn('carol');
    const kicked = await first.nextEvent(EventId.KickedOffline);
    expect(kicked.args).to.deep.equal([]);
    expect(first.isClosed).to.equal(false);
    expect((await first.call(FunctionId.ConvGetConvList)).code).to.equal(ErrorCode.NOT_LOGGED_IN);
    expect((await second.call(FunctionId.ConvGetConvList)).code).to.equal(0);
    await second.expectNoEvent(EventId.KickedOffline, 50);
    // messages now go to the second connection only
    const dave = await h().loggedIn('dave');
    await dave.call(FunctionId.MsgSendNewMsg, [arg.str('carol'), arg.i64(1), arg.str(textMessage('hi'))]);
    await second.nextEvent(EventId.RecvNewMsg);
    await first.expectNoEvent(EventId.RecvNewMsg, 50);
  });

  it('RESUME of the current generation from a new connection replaces the old one; RESUME on the same connection is fine', async () => {
    const old = await h().loggedIn('erin');
    const generation = old.sessionGeneration!;
    const fresh = await h().client();
    expect((await fresh.resume('erin', makeSig('erin'), generation)).code).to.equal(0);
    await old.nextEvent(EventId.KickedOffline);
    expect((await fresh.resume('erin', makeSig('erin'), generation)).code).to.equal(0);
    await fresh.expectNoEvent(EventId.KickedOffline, 50);
    expect((await fresh.call(FunctionId.ConvGetConvList)).code).to.equal(0);
  });

  it('sends EVENT 9 and logs the session out when its sig expires while logged in', async function () {
    this.timeout(6000);
    const c = await h().client();
    expect((await c.call(FunctionId.Login, login('frank', makeSig('frank', 1)))).code).to.equal(0);
    const e = await c.nextEvent(EventId.UserSigExpired, 3500);
    expect(e.eventId).to.equal(EventId.UserSigExpired);
    expect((await c.call(FunctionId.ConvGetConvList)).code).to.equal(ErrorCode.NOT_LOGGED_IN);
  });

  it('does not fire the expiry timer after logout', async function () {
    this.timeout(6000);
    const c = await h().client();
    expect((await c.call(FunctionId.Login, login('gina', makeSig('gina', 1)))).code).to.equal(0);
    expect(await c.call(FunctionId.Logout)).to.include({ code: 0, desc: '', json: '' });
    await c.expectNoEvent(EventId.UserSigExpired, 2200);
  });

  it('Logout always answers 0 "" and logs out', async () => {
    const c = await h().client();
    expect(await c.call(FunctionId.Logout)).to.include({ code: 0, desc: '', json: '' });
    expect((await c.call(FunctionId.Login, login('hank', makeSig('hank')))).code).to.equal(0);
    expect(await c.call(FunctionId.Logout)).to.include({ code: 0, desc: '', json: '' });
    expect((await c.call(FunctionId.ConvGetConvList)).code).to.equal(ErrorCode.NOT_LOGGED_IN);
  });

  it('SetConfig echoes its JSON (any login state), sends nothing for request id 0, and refuses invalid JSON', async () => {
    const c = await h().client();
    const cfg = '{"set_config_user_config":{"user_config_is_read_receipt":true},"big":18446744073709551615}';
    expect(await c.call(FunctionId.SetConfig, [arg.str(cfg)])).to.include({ code: 0, desc: '', json: cfg });
    c.callNoReply(FunctionId.SetConfig, [arg.str(cfg)]);
    const bad = await c.call(FunctionId.SetConfig, [arg.str('{"a":')]);
    expect(bad.code).to.equal(ErrorCode.INVALID_PARAMETERS);
    expect(bad.desc).to.contain('not valid JSON');
    expect(c.unexpectedReplies).to.deep.equal([]);
  });

  it('answers 6014 before login, 7013 for known unimplemented functions, 6017 for unknown ids and bad args', async () => {
    const c = await h().client();
    const before = await c.call(FunctionId.GroupCreate, [arg.str('{}')]);
    expect(before).to.include({ code: ErrorCode.NOT_LOGGED_IN, desc: 'not login' });
    expect((await c.call(999)).code).to.equal(ErrorCode.INVALID_PARAMETERS);
    expect((await c.call(FunctionId.Login, [arg.str('x')])).code).to.equal(ErrorCode.INVALID_PARAMETERS);
    expect((await c.call(FunctionId.Login, [arg.i64(1), arg.str('x')])).code).to.equal(ErrorCode.INVALID_PARAMETERS);
    expect((await c.call(FunctionId.Login, login('alice', makeSig('alice')))).code).to.equal(0);
    // Every function of the wire table that the emulator does not implement (yet) answers 7013, naming itself.
    for (let fn = 18; fn <= 46; fn++) {
      if (IMPLEMENTED_FUNCTIONS.includes(fn)) continue;
      expect(await c.call(fn, [arg.str('{}')])).to.include({
        code: ErrorCode.NOT_IMPLEMENTED,
        desc: `${FUNCTION_NAMES.get(fn)} is not implemented yet by the tim-rx emulator`,
        json: '',
      });
    }
    c.callNoReply(FunctionId.ConvSetDraft, [arg.str('bob'), arg.i64(1), arg.str('{}')]);
    expect((await c.call(FunctionId.ConvGetConvList)).code).to.equal(0);
    expect(c.unexpectedReplies).to.deep.equal([]);
  });
});
