import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Observable, ReplaySubject, filter, firstValueFrom, map, timeout } from 'rxjs';
import { SDK_APP_ID, userSig } from './usersig.js';

/** What peer-process.ts reports for a failed op. */
export interface PeerError { kind?: string; code?: number; desc?: string; message: string }

export class PeerCallError extends Error {
  constructor(readonly detail: PeerError) {
    super(detail.message);
  }
}

export interface PeerEvent { event: string; value: unknown }

/** A tim-rx user running in a child process (see peer-process.ts). */
export class Peer {
  /** Every emission of the child's streams since it started, replayed to late subscribers. */
  readonly events = new ReplaySubject<PeerEvent>();
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const m = raw as { id?: number; ok?: boolean; value?: unknown; error?: PeerError; event?: string };
      if (m.event !== undefined) {
        this.events.next({ event: m.event, value: m.value });
      } else if (m.id !== undefined) {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.ok) w?.resolve(m.value);
        else w?.reject(new PeerCallError(m.error ?? { message: 'unknown' }));
      }
    });
    child.on('exit', () => {
      for (const w of this.waiting.values()) w.reject(new Error('peer process exited'));
      this.waiting.clear();
    });
  }

  static async start(env: NodeJS.ProcessEnv = {}): Promise<Peer> {
    const script = fileURLToPath(new URL('./peer-process.ts', import.meta.url));
    const child = fork(script, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`peer exited early (${code})`)));
    });
    return new Peer(child);
  }

  /**
   * A peer whose client talks to `emulatorHost`, logged in as `userId`. The
   * `register` users log in (and out) first: the server only takes messages
   * for accounts that have logged in once.
   */
  static async loggedIn(
    emulatorHost: string,
    userId: string,
    options: { register?: readonly string[]; config?: unknown } = {},
  ): Promise<Peer> {
    const peer = await Peer.start();
    await peer.call('create', { sdkAppId: SDK_APP_ID, emulatorHost, ...(options.config === undefined ? {} : { config: options.config }) });
    for (const other of options.register ?? []) {
      await peer.call('login', other, userSig(other));
      await peer.call('logout');
    }
    await peer.call('login', userId, userSig(userId));
    return peer;
  }

  call<T = unknown>(op: string, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, args });
    });
  }

  /** The values of one forwarded stream. */
  stream<T>(name: string): Observable<T> {
    return this.events.pipe(filter((e) => e.event === name), map((e) => e.value as T));
  }

  /** The first value of `name` matching `predicate`, within `ms`. */
  next<T>(name: string, predicate: (v: T) => boolean = () => true, ms = 10_000): Promise<T> {
    return firstValueFrom(this.stream<T>(name).pipe(filter(predicate), timeout(ms)));
  }

  /** Disposes the client (if any) and ends the process. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await this.call('dispose').catch(() => undefined);
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  /** Sends `signal` to the child process (SIGSTOP, SIGCONT, SIGKILL: fault tests). */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves once the child process has exited (at once if it has). */
  exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }
}
