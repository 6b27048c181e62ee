import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import TLSSigAPIv2 from 'tls-sig-api-v2';
import { ErrorCode } from '../../src/emulator/errors.js';
import { userSigContent, verifyUserSig } from '../../src/emulator/usersig.js';
import { APP_ID, SECRET, makeSig, packSigDocument } from './helpers.js';

const verify = (userId: string, userSig: string, nowMs?: number) =>
  verifyUserSig({ userId, userSig, sdkAppId: APP_ID, secretKey: SECRET, ...(nowMs === undefined ? {} : { nowMs }) });

function codeOf(r: ReturnType<typeof verify>): number {
  return r.ok ? 0 : r.code;
}

/** A correctly signed document with chosen fields (our own test-only signer). */
function signedDoc(fields: { id: string; appId?: number; time: number; expire: number }): Record<string, unknown> {
  const appId = fields.appId ?? APP_ID;
  const mac = createHmac('sha256', SECRET).update(userSigContent(fields.id, appId, fields.time, fields.expire)).digest('base64');
  return { 'TLS.ver': '2.0', 'TLS.identifier': fields.id, 'TLS.sdkappid': appId, 'TLS.time': fields.time, 'TLS.expire': fields.expire, 'TLS.sig': mac };
}

describe('emulator UserSig verification (tls-sig-api-v2 compatible)', () => {
  it('accepts a sig made by the tls-sig-api-v2 package and reports its expiry', () => {
    const before = Math.floor(Date.now() / 1000);
    const r = verify('alice', makeSig('alice', 600));
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.claims.identifier).to.equal('alice');
    expect(r.claims.sdkAppId).to.equal(APP_ID);
    expect(r.claims.expire).to.equal(600);
    expect(r.claims.time).to.be.within(before, before + 1);
    expect(r.claims.expiresAtMs).to.equal((r.claims.time + 600 + 1) * 1000);
  });

  it('accepts the package genUserSig alias and sigs carrying a userbuf', () => {
    const api = new TLSSigAPIv2.Api(APP_ID, SECRET);
    expect(codeOf(verify('bob', api.genUserSig('bob', 600)))).to.equal(0);
    const withUserbuf = api as unknown as { genPrivateMapKey(id: string, expire: number, room: number, privileges: number): string };
    expect(codeOf(verify('bob', withUserbuf.genPrivateMapKey('bob', 600, 1234, 255)))).to.equal(0);
  });

  it('is valid through time+expire and expired one second later (70001)', () => {
    const doc = signedDoc({ id: 'u', time: 1_700_000_000, expire: 100 });
    const sig = packSigDocument(doc);
    expect(codeOf(verify('u', sig, (1_700_000_100 * 1000) + 999))).to.equal(0);
    expect(codeOf(verify('u', sig, 1_700_000_101 * 1000))).to.equal(ErrorCode.USERSIG_EXPIRED);
  });

  it('reports a sig the package made already expired (negative lifetime) as 70001', () => {
    expect(codeOf(verify('alice', makeSig('alice', -10)))).to.equal(ErrorCode.USERSIG_EXPIRED);
  });

  it('reports an empty sig as 70002', () => {
    expect(codeOf(verify('alice', ''))).to.equal(ErrorCode.USERSIG_EMPTY);
  });

  it('reports garbage, wrong versions, missing fields and tampered HMACs as 70003', () => {
    expect(codeOf(verify('alice', 'not a sig!'))).to.equal(ErrorCode.USERSIG_CHECK_FAILED);
    expect(codeOf(verify('alice', 'eJzLSM3JyQcABiwCFQ__'))).to.equal(ErrorCode.USERSIG_CHECK_FAILED); // zlib("hello")
    expect(codeOf(verify('alice', packSigDocument([1, 2])))).to.equal(ErrorCode.USERSIG_CHECK_FAILED);
    const good = signedDoc({ id: 'alice', time: Math.floor(Date.now() / 1000), expire: 600 });
    expect(codeOf(verify('alice', packSigDocument(good)))).to.equal(0);
    expect(codeOf(verify('alice', packSigDocument({ ...good, 'TLS.ver': '1.0' })))).to.equal(ErrorCode.USERSIG_CHECK_FAILED);
    expect(codeOf(verify('alice', packSigDocument({ ...good, 'TLS.time': '123' })))).to.equal(ErrorCode.USERSIG_CHECK_FAILED);
    expect(codeOf(verify('alice', packSigDocument({ ...good, 'TLS.expire': 601 })))).to.equal(ErrorCode.USERSIG_CHECK_FAILED);
    expect(codeOf(verify('alice', packSigDocument({ ...good, 'TLS.identifier': 'mallory' }))))
      .to.equal(ErrorCode.USERSIG_CHECK_FAILED);
    const other = new TLSSigAPIv2.Api(APP_ID, 'another-secret').genSig('alice', 600);
    expect(codeOf(verify('alice', other))).to.equal(ErrorCode.USERSIG_CHECK_FAILED);
  });

  it('reports a sig of another SDKAppID as 70014', () => {
    expect(codeOf(verify('alice', makeSig('alice', 600, APP_ID + 1)))).to.equal(ErrorCode.USERSIG_MISMATCH_SDKAPPID);
  });

  it("reports another user's valid sig as 70013", () => {
    expect(codeOf(verify('alice', makeSig('bob', 600)))).to.equal(ErrorCode.USERSIG_MISMATCH_ID);
  });
});
