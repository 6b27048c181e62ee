import TLSSigAPIv2 from 'tls-sig-api-v2';

export const SDK_APP_ID = 1400000001;
export const SECRET = 'tim-rx-test-secret-0123456789abcdef';

const api = new TLSSigAPIv2.Api(SDK_APP_ID, SECRET);

/** A valid UserSig made by Tencent's tls-sig-api-v2 package. */
export function userSig(userId: string, expireSeconds = 86400, appId = SDK_APP_ID, secret = SECRET): string {
  return (appId === SDK_APP_ID && secret === SECRET ? api : new TLSSigAPIv2.Api(appId, secret)).genUserSig(userId, expireSeconds);
}

/** A sig made by the package an hour ago that lived one minute: expired now. */
export function expiredUserSig(userId: string): string {
  const realNow = Date.now;
  Date.now = () => realNow() - 3_600_000;
  try {
    return api.genUserSig(userId, 60);
  } finally {
    Date.now = realNow;
  }
}

/** A valid sig with one character of its HMAC region changed. */
export function forgedUserSig(userId: string): string {
  const sig = userSig(userId);
  const i = Math.floor(sig.length / 2);
  return sig.slice(0, i) + (sig[i] === 'A' ? 'B' : 'A') + sig.slice(i + 1);
}
