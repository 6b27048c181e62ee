/**
 * `tim-rx chat` options. By default two terminals meet without any setup:
 * both use the local emulator on 127.0.0.1:7171 with the same SDKAppID and
 * a built-in secret; the first one starts it (in its own process, database
 * under the OS temp folder), the second finds it listening and joins.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatOptions, parseArgs, parseInteger, UsageError, type OptionSpec } from '../args.js';

export const DEFAULT_CHAT_PORT = 7171;
export const DEFAULT_CHAT_SDKAPPID = 1400000000;
/** The local chat's emulator secret: not a secret at all, it only lets two terminals make UserSigs the emulator accepts. */
export const DEFAULT_CHAT_SECRET = 'tim-rx-local-chat';
/** The scripted peer of `--demo`. */
export const DEMO_PEER = 'bot';

export type ServerChoice =
  /** The local emulator on 127.0.0.1:`port`: joined when one listens, else started here (0: a private one on a free port). */
  | { readonly kind: 'local'; readonly port: number; readonly dbPath: string }
  /** An emulator already running at `address`: connect only. */
  | { readonly kind: 'remote'; readonly address: string }
  /** Another library with the C ABI (Tencent's libImSDK.so): no emulator. */
  | { readonly kind: 'library'; readonly library: string };

export interface ChatOptions {
  readonly user: string;
  /** The conversation opened at start (c2c). */
  readonly peer: string;
  readonly demo: boolean;
  readonly server: ServerChoice;
  readonly sdkAppId: number;
  readonly secret: string;
  /** Log in with this UserSig instead of making one with `secret`. */
  readonly userSig: string | undefined;
  /** Seconds during which a message may be revoked, for an emulator started here. */
  readonly revokeTimeLimit: number | undefined;
}

const OPTIONS: readonly OptionSpec[] = [
  { name: 'user', value: 'ID', help: 'who you are (default alice)' },
  { name: 'peer', value: 'ID', help: `the chat opened at start (default: bob for alice, else alice; ${DEMO_PEER} with --demo)` },
  { name: 'demo', help: `also run a scripted peer, "${DEMO_PEER}", in a child process` },
  { name: 'port', value: 'P', help: `local emulator port (default ${DEFAULT_CHAT_PORT}): joined if one listens, else started here; 0 = private` },
  { name: 'db', value: 'FILE', help: 'database of an emulator started here (default <tmp>/tim-rx/chat-<port>.db)' },
  { name: 'emulator', value: 'HOST:PORT', help: 'connect to this running emulator (never start one)' },
  { name: 'library', value: 'PATH', help: "another library with the C ABI, e.g. Tencent's libImSDK.so (no emulator)" },
  { name: 'sdkappid', value: 'N', help: `SDKAppID (default ${DEFAULT_CHAT_SDKAPPID})` },
  { name: 'secret', value: 'KEY', help: 'secret the UserSig is made with (default: the local chat\'s; or TIM_RX_SECRET)' },
  { name: 'usersig', value: 'SIG', help: 'log in with this UserSig (e.g. issued by your server) instead' },
  { name: 'revoke-time-limit', value: 'S', help: 'revoke window of an emulator started here (default 120)' },
];

export const CHAT_USAGE = `usage: tim-rx chat [--user ID] [--peer ID] [--demo] [--port P | --emulator HOST:PORT | --library PATH] [options]

An interactive terminal chat built on tim-rx's public streams and commands.
Two terminals chat with each other: \`tim-rx chat\` (alice) and \`tim-rx chat --user bob\`.

${formatOptions(OPTIONS)}

Keys: type and Enter to send; Esc for the chat list (↑↓, Enter, n new chat, q quit);
/revoke takes back your last message; /to USER opens a chat; Ctrl-C quits.`;

/** The default database of a local emulator on `port`. */
export function defaultDbPath(port: number): string {
  return join(tmpdir(), 'tim-rx', `chat-${port}.db`);
}

const USER_ID = /^[^\s/]{1,64}$/;

/** Parsed options, or undefined for `--help`. Throws `UsageError`. */
export function parseChatOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ChatOptions | undefined {
  const args = parseArgs(argv, OPTIONS);
  if (args.help) return undefined;
  const o = args.options;
  const user = o.get('user') ?? 'alice';
  if (!USER_ID.test(user)) throw new UsageError(`--user must be 1 to 64 characters without spaces or "/", got "${user}"`);
  const demo = o.has('demo');
  const peer = o.get('peer') ?? (demo ? DEMO_PEER : user === 'alice' ? 'bob' : 'alice');
  if (!USER_ID.test(peer)) throw new UsageError(`--peer must be 1 to 64 characters without spaces or "/", got "${peer}"`);
  if (demo && user === DEMO_PEER) throw new UsageError(`--user ${DEMO_PEER} is the scripted peer's name with --demo; pick another`);
  const exclusive = ['emulator', 'library', 'port'].filter((n) => o.has(n));
  if (exclusive.length > 1) throw new UsageError(`--${exclusive[0]} and --${exclusive[1]} cannot be used together`);
  if (o.has('db') && (o.has('emulator') || o.has('library'))) throw new UsageError('--db is for an emulator started here (not with --emulator or --library)');

  let server: ServerChoice;
  const emulator = o.get('emulator');
  const library = o.get('library');
  if (emulator !== undefined) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/.test(emulator)) throw new UsageError(`--emulator must be HOST:PORT, got "${emulator}"`);
    server = { kind: 'remote', address: emulator };
  } else if (library !== undefined) {
    if (demo) throw new UsageError('--demo needs the emulator (not with --library)');
    server = { kind: 'library', library };
  } else {
    const portText = o.get('port');
    const port = portText === undefined ? DEFAULT_CHAT_PORT : parseInteger(portText, '--port', 0, 65535);
    server = { kind: 'local', port, dbPath: o.get('db') ?? defaultDbPath(port) };
  }
  const userSig = o.get('usersig');
  const secret = o.get('secret') ?? env['TIM_RX_SECRET'] ?? (server.kind === 'library' ? '' : DEFAULT_CHAT_SECRET);
  if (userSig === undefined && secret.length === 0) throw new UsageError('with --library, give --usersig (issued by your server) or --secret');
  if (demo && userSig !== undefined && o.get('secret') === undefined && server.kind === 'remote') {
    throw new UsageError('--demo with --usersig needs --secret too (the scripted peer makes its own UserSig)');
  }
  const sdkText = o.get('sdkappid');
  const revokeText = o.get('revoke-time-limit');
  return {
    user, peer, demo, server, secret, userSig,
    sdkAppId: sdkText === undefined ? DEFAULT_CHAT_SDKAPPID : parseInteger(sdkText, '--sdkappid', 1, 2 ** 32 - 1),
    revokeTimeLimit: revokeText === undefined ? undefined : parseInteger(revokeText, '--revoke-time-limit', 0, 2 ** 31 - 1, 'seconds'),
  };
}
