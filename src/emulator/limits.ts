/**
 * The bounds that keep one client from taking the emulator's memory, file
 * descriptors or time from the others (docs/emulator.md, "Limits"):
 *
 * - before HELLO: a deadline, and a frame longer than a HELLO can be closes
 *   the socket as soon as its length is read;
 * - before login: a CALL longer than a small bound is refused without being
 *   buffered (REPLY 9522), and a socket idle too long is closed;
 * - logged in: a CALL longer than a larger bound is refused the same way, so
 *   that no one CALL holds the event loop long in `JSON.parse`;
 * - per connection: while its unsent output is above the pause bound, its
 *   requests are not read nor started (until the output drained); above the
 *   hard bound it is disconnected (its unacknowledged messages stay kept and
 *   are delivered again after RESUME);
 * - in total: at most `maxConnections` sockets; at the limit the least
 *   recently active socket that is not logged in makes room, or the new
 *   socket is closed at once.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from './log.js';
import { MAX_FRAME_LENGTH } from './wire/constants.js';

/** Every bound of the emulator's resources (EmulatorOptions `limits`). */
export interface ResourceLimits {
  /** Most sockets open at once. Default: 1000, or the process's open-file limit minus 64 if lower (Linux). */
  readonly maxConnections: number;
  /** Time a new socket has to send its HELLO (ms); default 10 000. */
  readonly helloTimeoutMs: number;
  /** Largest first frame (HELLO) accepted, in bytes; default 4 096. */
  readonly maxHelloBytes: number;
  /** Largest CALL accepted before login, in bytes; a longer one is refused with 9522 unread; default 65 536. */
  readonly maxCallBytesBeforeLogin: number;
  /**
   * Largest CALL accepted once logged in, in bytes; a longer one is refused
   * with 9522 unread; default 512 KiB (43 times Tencent's 12 KB message
   * body: room for imports, batch sends and member lists, while the costliest
   * JSON of that size parses in ~0.05–0.3 s).
   */
  readonly maxCallBytes: number;
  /** Time a socket past HELLO but not logged in may stay silent (ms); default 600 000 (10 min). */
  readonly idleTimeoutMs: number;
  /** Unsent output above which a connection's requests wait (bytes); default 1 MiB. */
  readonly outputPauseBytes: number;
  /**
   * Unsent output above which a connection is closed (bytes); default 32 MiB.
   * Below outputPauseBytes + 16 MiB, a client asking for one of the largest
   * replies (16 MiB) is disconnected instead of answered.
   */
  readonly outputLimitBytes: number;
}

/** Headroom left under the open-file limit for the database, its journal, uploads and Node itself. */
const RESERVED_FILES = 64;

/** The soft open-file limit of this process, where it can be read (Linux). */
function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

/** The default connection limit: 1000, lowered to fit the open-file limit where it can be read. */
export function defaultMaxConnections(): number {
  const files = openFileLimit();
  return files === undefined ? 1000 : Math.max(1, Math.min(1000, files - RESERVED_FILES));
}

export const DEFAULT_LIMITS: Omit<ResourceLimits, 'maxConnections'> = {
  helloTimeoutMs: 10_000,
  maxHelloBytes: 4096,
  maxCallBytesBeforeLogin: 64 * 1024,
  maxCallBytes: 512 * 1024,
  idleTimeoutMs: 10 * 60_000,
  outputPauseBytes: 1024 * 1024,
  outputLimitBytes: 32 * 1024 * 1024,
};

/** Least pause bound: above a socket's write high-water mark (16 KiB), so going over it always ends in a 'drain'. */
const MIN_PAUSE_BYTES = 64 * 1024;
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The range each limit must be in; the hard output bound must also exceed the pause bound. */
const RANGES: { readonly [K in keyof ResourceLimits]: readonly [number, number] } = {
  maxConnections: [1, 1_000_000],
  helloTimeoutMs: [1, MAX_TIMEOUT_MS],
  maxHelloBytes: [64, MAX_FRAME_LENGTH],
  maxCallBytesBeforeLogin: [1024, MAX_FRAME_LENGTH],
  maxCallBytes: [1024, MAX_FRAME_LENGTH],
  idleTimeoutMs: [1, MAX_TIMEOUT_MS],
  outputPauseBytes: [MIN_PAUSE_BYTES, 2 ** 40],
  outputLimitBytes: [2 * MIN_PAUSE_BYTES, 2 ** 40],
};

/** Names of the limits, in the order they are documented. */
const LIMIT_NAMES = Object.keys(RANGES) as readonly (keyof ResourceLimits)[];

/** The defaults with `given` applied, or why `given` cannot work (a message naming the option). */
export function resolveLimits(given: Partial<ResourceLimits> = {}): ResourceLimits | string {
  const limits: ResourceLimits = { maxConnections: given.maxConnections ?? defaultMaxConnections(), ...DEFAULT_LIMITS, ...given };
  for (const name of LIMIT_NAMES) {
    const [min, max] = RANGES[name];
    const v = limits[name];
    if (!Number.isSafeInteger(v) || v < min || v > max) return `limits.${name} must be an integer in ${min}..${max}, got ${String(v)}`;
  }
  if (limits.outputLimitBytes <= limits.outputPauseBytes) {
    return `limits.outputLimitBytes (${limits.outputLimitBytes}) must be above limits.outputPauseBytes (${limits.outputPauseBytes})`;
  }
  return limits;
}

/** What the connection limit needs to know of a connection. */
export interface LimitedConnection {
  readonly tag: string;
  readonly closed: boolean;
  /** Logged in (a session): never evicted. */
  readonly loggedIn: boolean;
  /** Date.now() of the last bytes received (or of the accept). */
  readonly lastActivityMs: number;
  close(reason: string): void;
}

/** A warning logged at most once per interval, with the count of those held back. */
class ThrottledWarning {
  private lastMs = -Infinity;
  private held = 0;

  constructor(private readonly log: Logger, private readonly intervalMs = 10_000) {}

  warn(line: () => string): void {
    const now = Date.now();
    if (now - this.lastMs < this.intervalMs) {
      this.held++;
      return;
    }
    const more = this.held > 0 ? ` (and ${this.held} more like it in the last ${Math.round((now - this.lastMs) / 1000)} s)` : '';
    this.held = 0;
    this.lastMs = now;
    this.log.warn(line() + more);
  }
}

/** The total connection limit: room is made by evicting the least recently active socket not logged in. */
export class ConnectionLimit {
  private readonly evictions: ThrottledWarning;
  private readonly refusals: ThrottledWarning;

  constructor(private readonly max: number, log: Logger) {
    this.evictions = new ThrottledWarning(log);
    this.refusals = new ThrottledWarning(log);
  }

  /**
   * Called before a new socket from `remote` joins `open` (the connections
   * counted, which the caller removes an evicted one from: `evicted`).
   * True when it may join.
   */
  admit<C extends LimitedConnection>(open: ReadonlySet<C>, remote: string, evicted: (c: C) => void): boolean {
    if (open.size < this.max) return true;
    let oldest: C | undefined;
    for (const c of open) {
      if (!c.closed && !c.loggedIn && (oldest === undefined || c.lastActivityMs < oldest.lastActivityMs)) oldest = c;
    }
    if (oldest === undefined) {
      this.refusals.warn(() => `connection limit reached (${this.max} sockets, all logged in): refused a new connection from ${remote}`);
      return false;
    }
    const idleS = ((Date.now() - oldest.lastActivityMs) / 1000).toFixed(1);
    this.evictions.warn(() => `connection limit reached (${this.max} sockets): closed ${oldest.tag}, not logged in, idle ${idleS} s, for a new connection from ${remote}`);
    oldest.close(`connection limit reached (${this.max}); evicted for a new connection`);
    evicted(oldest);
    return open.size < this.max;
  }
}
