/**
 * The chat's local emulator: joined when one already listens on the port,
 * otherwise started in this process. When the process hosting it quits, the
 * others see their connection drop; the first to notice starts it again on
 * the same port and database (`ensure`), and every client's SDK reconnects
 * and resumes its session by itself. A database the emulator refuses
 * (damaged, not an emulator database: DatabaseOpenError) is reported once
 * and never retried, so a damaged file cannot make the chats restart in a loop.
 */
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { DatabaseOpenError, startEmulator, type LogLevel, type RunningEmulator } from '../../emulator/index.js';

export interface LocalServerOptions {
  readonly port: number;
  readonly dbPath: string;
  readonly sdkAppId: number;
  readonly secretKey: string;
  readonly revokeTimeLimitSeconds?: number | undefined;
  /** User ids the emulator started here imports (the chat's user and peer: the first message never meets 20003). */
  readonly accounts?: readonly string[];
  /** Emulator log lines (warn and above): the chat shows them, never on stderr under the screen. */
  readonly log: (level: LogLevel, message: string) => void;
}

const HOST = '127.0.0.1';

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The line the chat prints when it cannot start its emulator. */
export function startFailureLine(e: unknown, port: number, dbPath: string): string {
  const reason = e instanceof Error ? e.message : String(e);
  const advice = e instanceof DatabaseOpenError && e.kind !== 'cannot-open' ? ' (or start the chat with another database: --db FILE)' : '';
  return `tim-rx chat: error: cannot start the emulator on 127.0.0.1:${port} (database ${dbPath}): ${reason}${advice}`;
}

export class LocalServer {
  private running: RunningEmulator | undefined;
  /** The database refusal already reported: later `ensure` calls do nothing. */
  private refusal: DatabaseOpenError | undefined;
  private ensuring: Promise<void> | undefined;
  private closed = false;
  /** `host:port` (fixed once known; port 0 becomes the port picked). */
  address: string;

  constructor(private readonly options: LocalServerOptions) {
    this.address = `${HOST}:${options.port}`;
  }

  /** Whether the emulator runs in this process. */
  get hosted(): boolean {
    return this.running !== undefined;
  }

  /** Joins the emulator listening on the port, or starts one here (throws DatabaseOpenError once, then does nothing). */
  ensure(): Promise<void> {
    this.ensuring ??= this.ensureOnce().finally(() => {
      this.ensuring = undefined;
    });
    return this.ensuring;
  }

  private async ensureOnce(): Promise<void> {
    if (this.closed || this.running !== undefined || this.refusal !== undefined) return;
    const { port } = this.options;
    if (port !== 0 && (await isListening(HOST, port))) return;
    mkdirSync(dirname(this.options.dbPath), { recursive: true });
    try {
      this.running = await startEmulator({
        port,
        host: HOST,
        dbPath: this.options.dbPath,
        sdkAppId: this.options.sdkAppId,
        secretKey: this.options.secretKey,
        logLevel: 'warn',
        logSink: this.options.log,
        ...(this.options.accounts === undefined ? {} : { accounts: this.options.accounts }),
        ...(this.options.revokeTimeLimitSeconds === undefined ? {} : { revokeTimeLimitSeconds: this.options.revokeTimeLimitSeconds }),
      });
      this.address = this.running.address;
      if (this.closed) await this.close();
    } catch (e) {
      // Another process won the race for the port: join it.
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') return;
      if (e instanceof DatabaseOpenError) this.refusal = e;
      throw e;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const running = this.running;
    this.running = undefined;
    await running?.close();
  }
}
