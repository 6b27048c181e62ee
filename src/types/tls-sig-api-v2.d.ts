// Types for Tencent's tls-sig-api-v2 (the package ships none).
declare module 'tls-sig-api-v2' {
  export class Api {
    constructor(sdkAppId: number, key: string);
    genUserSig(userId: string, expireSeconds: number): string;
    genSig(userId: string, expireSeconds: number, userBuf?: Buffer | null): string;
  }
  const TLSSigAPIv2: { Api: typeof Api };
  export default TLSSigAPIv2;
}
