import TLSSigAPIv2 from 'tls-sig-api-v2';

/** A UserSig made with Tencent's own `tls-sig-api-v2` package (what your server would issue). */
export function makeUserSig(sdkAppId: number, secretKey: string, userId: string, expireSeconds = 7 * 86400): string {
  return new TLSSigAPIv2.Api(sdkAppId, secretKey).genUserSig(userId, expireSeconds);
}
