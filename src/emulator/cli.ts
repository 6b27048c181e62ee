/**
 * `tim-rx emulator --port P --db FILE --sdkappid N --secret KEY [--host H] [--log-level L] [--db-check C] [accounts] [limits]`
 *
 * Prints one line with the address once listening, logs to stderr, and
 * stops cleanly (exit code 0) on SIGINT / SIGTERM. Startup errors (also a
 * damaged or foreign database) give exit code 2 and one
 * `tim-rx emulator: error: …` line on stderr.
 */
import { isLogLevel, LOG_LEVELS, type LogLevel } from './log.js';
import { DATABASE_CHECKS, DatabaseOpenError, EmulatorOptionsError, startEmulator, type DatabaseCheck, type EmulatorOptions } from './index.js';
import { DEFAULT_LIMITS, resolveLimits, type ResourceLimits } from './limits.js';
import { ACCOUNT_USAGE, accountFlags } from './cli-accounts.js';
import { parseInteger, UsageError } from '../cli/args.js';

export const DEFAULT_PORT = 7171;
export const DEFAULT_DB = 'tim-rx-emulator.db';

export const USAGE = `usage: tim-rx emulator --sdkappid N --secret KEY [--port P] [--db FILE] [--host H] [--log-level L] [--revoke-time-limit S] [--file-transfer-timeout MS] [--db-check C] [accounts] [limits]
  --sdkappid N     SDKAppID served (required)
  --secret KEY     secret key UserSigs are signed with (required)
  --port P         TCP port, 0 = any free port (default ${DEFAULT_PORT})
  --db FILE        SQLite database file (default ./${DEFAULT_DB})
  --host H         interface to bind (default 127.0.0.1, loopback only)
  --log-level L    ${LOG_LEVELS.join(' | ')} (default info)
  --revoke-time-limit S  seconds after sending during which a message may be revoked (default 120)
  --file-transfer-timeout MS  how long a file transfer waits for the client's next answer before failing its call with 6022 (default 30000)
  --db-check C     check of an existing database before serving it: quick (PRAGMA quick_check) | full (PRAGMA integrity_check)
                   (default quick); a damaged database is refused (exit code 2)
${ACCOUNT_USAGE}
limits (docs/emulator.md, "Limits"):
  --max-connections N         sockets open at once; at the limit the least recently active one not
                              logged in is closed for the new one (default 1000, or the open-file
                              limit minus 64 if lower)
  --hello-timeout-ms MS       time a new socket has to send HELLO (default ${DEFAULT_LIMITS.helloTimeoutMs})
  --max-hello-bytes B         largest HELLO frame; a longer first frame closes the socket (default ${DEFAULT_LIMITS.maxHelloBytes})
  --max-call-bytes-before-login B  largest CALL before login; a longer one is answered 9522 unread
                              (default ${DEFAULT_LIMITS.maxCallBytesBeforeLogin})
  --max-call-bytes B          largest CALL once logged in; a longer one is answered 9522 unread
                              (default ${DEFAULT_LIMITS.maxCallBytes})
  --idle-timeout-ms MS        a socket not logged in and silent this long is closed (default ${DEFAULT_LIMITS.idleTimeoutMs})
  --output-pause-bytes B      unsent output above which a connection's requests wait (default ${DEFAULT_LIMITS.outputPauseBytes})
  --output-limit-bytes B      unsent output above which a connection is closed (default ${DEFAULT_LIMITS.outputLimitBytes})`;

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Where SIGINT / SIGTERM are listened for (default: process). */
  readonly signals: Pick<NodeJS.Process, 'once' | 'off'>;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  signals: process,
};

/** The limit each limit flag sets. */
const LIMIT_FLAGS = {
  'max-connections': 'maxConnections',
  'hello-timeout-ms': 'helloTimeoutMs',
  'max-hello-bytes': 'maxHelloBytes',
  'max-call-bytes-before-login': 'maxCallBytesBeforeLogin',
  'max-call-bytes': 'maxCallBytes',
  'idle-timeout-ms': 'idleTimeoutMs',
  'output-pause-bytes': 'outputPauseBytes',
  'output-limit-bytes': 'outputLimitBytes',
} as const satisfies Record<string, keyof ResourceLimits>;

const OPTIONS = ['port', 'db', 'sdkappid', 'secret', 'host', 'log-level', 'revoke-time-limit', 'file-transfer-timeout', 'db-check', 'accounts', 'unknown-accounts', ...Object.keys(LIMIT_FLAGS) as (keyof typeof LIMIT_FLAGS)[]] as const;
type OptionName = (typeof OPTIONS)[number];

function parseArgs(argv: readonly string[]): Map<OptionName, string> {
  const values = new Map<OptionName, string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--')) throw new UsageError(`unexpected argument "${token}"`);
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    if (!(OPTIONS as readonly string[]).includes(name)) throw new UsageError(`unknown option --${name}`);
    let value: string | undefined;
    if (eq >= 0) value = token.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
    }
    values.set(name as OptionName, value);
  }
  return values;
}

/** The unit of a limit flag's number, from its name. */
function limitUnit(flag: string): string | undefined {
  return flag.endsWith('-ms') ? 'milliseconds' : flag.endsWith('-bytes') ? 'bytes' : undefined;
}

/** The limits given by flags, checked (a problem names the flag). */
function limitsOf(values: Map<OptionName, string>): Partial<ResourceLimits> {
  const flags = Object.entries(LIMIT_FLAGS) as [keyof typeof LIMIT_FLAGS, keyof ResourceLimits][];
  const limits: { -readonly [K in keyof ResourceLimits]?: number } = {};
  for (const [flag, name] of flags) {
    const text = values.get(flag);
    if (text !== undefined) limits[name] = parseInteger(text, `--${flag}`, 0, Number.MAX_SAFE_INTEGER, limitUnit(flag));
  }
  const problem = resolveLimits(limits);
  if (typeof problem === 'string') throw new UsageError(flags.reduce((m, [flag, name]) => m.replaceAll(`limits.${name}`, `--${flag}`), problem));
  return limits;
}

function toOptions(values: Map<OptionName, string>): EmulatorOptions & { logLevel: LogLevel; host: string } {
  const appId = values.get('sdkappid');
  if (appId === undefined) throw new UsageError('missing --sdkappid');
  const secret = values.get('secret');
  if (secret === undefined || secret.length === 0) throw new UsageError('missing --secret');
  const level = values.get('log-level') ?? 'info';
  if (!isLogLevel(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const check = values.get('db-check') ?? 'quick';
  if (!(DATABASE_CHECKS as readonly string[]).includes(check)) throw new UsageError(`--db-check must be one of ${DATABASE_CHECKS.join(', ')}`);
  const portText = values.get('port');
  const revokeText = values.get('revoke-time-limit');
  const transferText = values.get('file-transfer-timeout');
  const accounts = accountFlags(values.get('accounts'), values.get('unknown-accounts'));
  if (typeof accounts === 'string') throw new UsageError(accounts);
  return {
    ...(transferText === undefined ? {} : { fileTransfer: { timeoutMs: parseInteger(transferText, '--file-transfer-timeout', 1, 2 ** 31 - 1, 'milliseconds') } }),
    ...(revokeText === undefined ? {} : { revokeTimeLimitSeconds: parseInteger(revokeText, '--revoke-time-limit', 0, 2 ** 31 - 1, 'seconds') }),
    sdkAppId: parseInteger(appId, '--sdkappid', 1, Number.MAX_SAFE_INTEGER),
    secretKey: secret,
    port: portText === undefined ? DEFAULT_PORT : parseInteger(portText, '--port', 0, 65535),
    dbPath: values.get('db') ?? DEFAULT_DB,
    dbCheck: check as DatabaseCheck,
    host: values.get('host') ?? '127.0.0.1',
    logLevel: level,
    limits: limitsOf(values),
    ...accounts,
  };
}

function describeStartError(e: unknown, o: { host: string; port: number }): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${o.port} on ${o.host} is already in use`;
  if (code === 'EACCES') return `permission denied to listen on ${o.host}:${o.port}`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on host ${o.host} (${code})`;
  return e instanceof Error ? e.message : String(e);
}

/** Runs the emulator until SIGINT / SIGTERM; resolves with the process exit code. */
export async function runEmulatorCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  let options: ReturnType<typeof toOptions>;
  try {
    options = toOptions(parseArgs(argv));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`tim-rx emulator: error: ${e.message}`);
    io.err(USAGE);
    return 2;
  }
  let running: Awaited<ReturnType<typeof startEmulator>>;
  try {
    running = await startEmulator({
      ...options,
      logSink: (level, message) => io.err(`${new Date().toISOString()} tim-rx emulator ${level}: ${message}`),
    });
  } catch (e) {
    const known = e instanceof DatabaseOpenError || e instanceof EmulatorOptionsError;
    io.err(`tim-rx emulator: error: ${known ? (e as Error).message : describeStartError(e, options)}`);
    return 2;
  }
  io.out(`tim-rx emulator listening on ${running.address}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (s: NodeJS.Signals): void => {
      io.signals.off('SIGINT', onSignal);
      io.signals.off('SIGTERM', onSignal);
      resolve(s);
    };
    io.signals.once('SIGINT', onSignal);
    io.signals.once('SIGTERM', onSignal);
  });
  io.err(`tim-rx emulator: ${signal} received, closing`);
  await running.close();
  return 0;
}
