/**
 * Who is logged in where: at most one connection per user. A login of a
 * user already logged in elsewhere kicks the older connection (EVENT 8; its
 * socket stays open, logged out). Each session has a timer that sends
 * EVENT 9 and logs the session out when its UserSig expires.
 */
import type { Connection, Session } from './connection.js';
import type { Logger } from './log.js';
import { EventId } from './wire/constants.js';

/** setTimeout's largest delay; longer waits are re-armed. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export class Sessions {
  private readonly byUser = new Map<string, Connection>();

  constructor(private readonly log: Logger) {}

  /** The connection where `userId` is logged in, if any. */
  connectionOf(userId: string): Connection | undefined {
    return this.byUser.get(userId);
  }

  get size(): number {
    return this.byUser.size;
  }

  /**
   * Logs `conn` in as `userId` with session `generation` (replacing any
   * session it had) and kicks the user's other connection. A RESUME gets
   * here only with the latest generation, so the connection it replaces is
   * an older one of the same client, or of an older login.
   */
  logIn(conn: Connection, userId: string, sig: string, expiresAtMs: number, generation: bigint): Session {
    const other = this.byUser.get(userId);
    if (other !== undefined && other !== conn) {
      this.log.info(`${other.tag}: kicked offline by a login on conn#${conn.id}`);
      this.end(other);
      other.event(EventId.KickedOffline, []);
    }
    this.end(conn);
    const session: Session = { userId, sig, expiresAtMs, generation, timer: undefined, sentC2C: 0, sentInbox: 0 };
    conn.session = session;
    this.byUser.set(userId, conn);
    this.arm(conn, session);
    return session;
  }

  /** Ends the session of `conn`, if any (logout, socket closed, server closing). */
  logOut(conn: Connection): void {
    this.end(conn);
  }

  private end(conn: Connection): void {
    const s = conn.session;
    if (s === undefined) return;
    if (s.timer !== undefined) clearTimeout(s.timer);
    s.timer = undefined;
    conn.session = undefined;
    if (this.byUser.get(s.userId) === conn) this.byUser.delete(s.userId);
  }

  private arm(conn: Connection, s: Session): void {
    const delay = Math.min(Math.max(0, s.expiresAtMs - Date.now()), MAX_TIMER_DELAY_MS);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      if (conn.session !== s) return;
      if (Date.now() < s.expiresAtMs) {
        this.arm(conn, s);
        return;
      }
      this.log.info(`${conn.tag}: UserSig expired; logged out`);
      this.end(conn);
      conn.event(EventId.UserSigExpired, []);
    }, delay);
    s.timer.unref();
  }
}
