/**
 * UserSig verification, compatible with Tencent's `tls-sig-api-v2` format:
 *
 *   sig  = urlsafe(base64(zlib_deflate(JSON document)))
 *          where urlsafe maps '+' → '*', '/' → '-', '=' → '_'
 *   JSON = { "TLS.ver": "2.0", "TLS.identifier": string, "TLS.sdkappid": number,
 *            "TLS.time": number, "TLS.expire": number, "TLS.sig": base64,
 *            ["TLS.userbuf": base64] }
 *   TLS.sig = base64(HMAC-SHA256(secretKey,
 *              "TLS.identifier:" + id + "\n" + "TLS.sdkappid:" + appid + "\n" +
 *              "TLS.time:" + time + "\n" + "TLS.expire:" + expire + "\n" +
 *              ["TLS.userbuf:" + userbuf + "\n"]))
 *
 * The sig is valid while `time + expire >= now` (seconds).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { ErrorCode } from './errors.js';

/** Longest sig text accepted (a normal sig is ~200 characters). */
const MAX_SIG_LENGTH = 8192;
/** Largest inflated JSON document accepted. */
const MAX_DOC_LENGTH = 64 * 1024;
const SIG_ALPHABET = /^[A-Za-z0-9*\-_+/=]+$/;

export interface UserSigClaims {
  readonly identifier: string;
  readonly sdkAppId: number;
  /** Issue time, UTC seconds. */
  readonly time: number;
  /** Lifetime in seconds. */
  readonly expire: number;
  /** First instant (ms since the epoch) at which the sig is expired. */
  readonly expiresAtMs: number;
}

export type UserSigResult =
  | { readonly ok: true; readonly claims: UserSigClaims }
  | { readonly ok: false; readonly code: ErrorCode; readonly desc: string };

export interface VerifyUserSigParams {
  readonly userId: string;
  readonly userSig: string;
  readonly sdkAppId: number;
  readonly secretKey: string;
  /** Current time in ms (defaults to Date.now()). */
  readonly nowMs?: number;
}

const fail = (code: ErrorCode, desc: string): UserSigResult => ({ ok: false, code, desc });

function decodeDocument(sig: string): Record<string, unknown> | undefined {
  if (sig.length > MAX_SIG_LENGTH || !SIG_ALPHABET.test(sig)) return undefined;
  const b64 = sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
  try {
    const compressed = Buffer.from(b64, 'base64');
    const text = inflateSync(compressed, { maxOutputLength: MAX_DOC_LENGTH }).toString('utf8');
    const doc: unknown = JSON.parse(text);
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** The exact byte string that `TLS.sig` signs. */
export function userSigContent(
  identifier: string,
  sdkAppId: number,
  time: number,
  expire: number,
  userbuf?: string,
): string {
  let content =
    `TLS.identifier:${identifier}\n` +
    `TLS.sdkappid:${sdkAppId}\n` +
    `TLS.time:${time}\n` +
    `TLS.expire:${expire}\n`;
  if (userbuf !== undefined) content += `TLS.userbuf:${userbuf}\n`;
  return content;
}

/**
 * Checks a UserSig. Order: empty (70002) → undecodable (70003) → other app
 * (70014) → bad HMAC (70003) → other user (70013) → expired (70001).
 */
export function verifyUserSig(p: VerifyUserSigParams): UserSigResult {
  if (p.userSig.length === 0) return fail(ErrorCode.USERSIG_EMPTY, 'user_sig is empty');
  const doc = decodeDocument(p.userSig);
  if (doc === undefined) {
    return fail(ErrorCode.USERSIG_CHECK_FAILED, 'user_sig is not a TLS v2 UserSig (base64/zlib/JSON decoding failed)');
  }
  const ver = doc['TLS.ver'];
  const identifier = doc['TLS.identifier'];
  const appId = doc['TLS.sdkappid'];
  const time = doc['TLS.time'];
  const expire = doc['TLS.expire'];
  const mac = doc['TLS.sig'];
  const userbuf = doc['TLS.userbuf'];
  if (
    ver !== '2.0' ||
    typeof identifier !== 'string' ||
    !isInt(appId) ||
    !isInt(time) ||
    !isInt(expire) ||
    typeof mac !== 'string' ||
    (userbuf !== undefined && typeof userbuf !== 'string')
  ) {
    return fail(ErrorCode.USERSIG_CHECK_FAILED, 'user_sig document lacks the TLS v2 fields or has wrong types');
  }
  if (appId !== p.sdkAppId) {
    return fail(
      ErrorCode.USERSIG_MISMATCH_SDKAPPID,
      `user_sig was issued for sdkappid ${appId}, the emulator serves ${p.sdkAppId}`,
    );
  }
  const expected = createHmac('sha256', p.secretKey)
    .update(userSigContent(identifier, appId, time, expire, userbuf), 'utf8')
    .digest();
  const given = Buffer.from(mac, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail(ErrorCode.USERSIG_CHECK_FAILED, 'user_sig signature check failed (HMAC-SHA256 mismatch)');
  }
  if (identifier !== p.userId) {
    return fail(ErrorCode.USERSIG_MISMATCH_ID, `user_sig was issued for "${identifier}", not for "${p.userId}"`);
  }
  const expiresAtMs = (time + expire + 1) * 1000;
  const nowMs = p.nowMs ?? Date.now();
  if (nowMs >= expiresAtMs) {
    return fail(ErrorCode.USERSIG_EXPIRED, `user_sig expired at ${new Date((time + expire) * 1000).toISOString()}`);
  }
  return { ok: true, claims: { identifier, sdkAppId: appId, time, expire, expiresAtMs } };
}
