/**
 * `tim-rx usersig <user> --sdkappid N --secret KEY [--expire S]`: prints a
 * UserSig made with Tencent's own `tls-sig-api-v2` package, which is what
 * your server issues (never hand-rolled: the emulator verifies the same
 * format, and Tencent's cloud accepts it for a real SDKAppID and key).
 */
import TLSSigAPIv2 from 'tls-sig-api-v2';
import { formatOptions, parseArgs, parseInteger, processIo, UsageError, type CommandIo, type OptionSpec } from './args.js';

/** Seven days, as Tencent's examples. */
export const DEFAULT_EXPIRE_SECONDS = 7 * 86400;

/** A UserSig made with Tencent's `tls-sig-api-v2` package. */
export function makeUserSig(sdkAppId: number, secretKey: string, userId: string, expireSeconds = DEFAULT_EXPIRE_SECONDS): string {
  return new TLSSigAPIv2.Api(sdkAppId, secretKey).genUserSig(userId, expireSeconds);
}

const OPTIONS: readonly OptionSpec[] = [
  { name: 'sdkappid', value: 'N', help: 'your SDKAppID (required)' },
  { name: 'secret', value: 'KEY', help: 'the secret key of that SDKAppID (required; or the environment variable TIM_RX_SECRET)' },
  { name: 'expire', value: 'S', help: `lifetime in seconds (default ${DEFAULT_EXPIRE_SECONDS}, seven days)` },
];

export const USERSIG_USAGE = `usage: tim-rx usersig <user> --sdkappid N --secret KEY [--expire S]

Prints a UserSig for <user>, made with Tencent's tls-sig-api-v2 package.

${formatOptions(OPTIONS)}`;

export function runUsersigCli(argv: readonly string[], io: CommandIo = processIo, env: NodeJS.ProcessEnv = process.env): number {
  try {
    const args = parseArgs(argv, OPTIONS, 1);
    if (args.help) {
      io.out(USERSIG_USAGE);
      return 0;
    }
    const user = args.positionals[0];
    if (user === undefined || user.length === 0) throw new UsageError('missing <user>');
    const appIdText = args.options.get('sdkappid');
    if (appIdText === undefined) throw new UsageError('missing --sdkappid');
    const secret = args.options.get('secret') ?? env['TIM_RX_SECRET'];
    if (secret === undefined || secret.length === 0) throw new UsageError('missing --secret (or TIM_RX_SECRET)');
    const expireText = args.options.get('expire');
    const expire = expireText === undefined ? DEFAULT_EXPIRE_SECONDS : parseInteger(expireText, '--expire', 1, 2 ** 31 - 1, 'seconds');
    io.out(makeUserSig(parseInteger(appIdText, '--sdkappid', 1, 2 ** 32 - 1), secret, user, expire));
    return 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`tim-rx usersig: error: ${e.message}\n${USERSIG_USAGE}`);
    return 2;
  }
}
