/**
 * The EVENT 1 frames of one connection that the client has not acknowledged
 * yet (docs/wire-protocol.md, "Acknowledged delivery").
 *
 * Each EVENT 1 that carries stored messages gets the connection's next
 * delivery token (1, 2, …) and is remembered with the receiver's "sent up
 * to" marks at the time it was written. The marks are cumulative (every
 * stored message of the user up to them went out on this connection with
 * this token or an earlier one), so an ACK applies the highest marks of each
 * user among the tokens it covers, and dropping the oldest entries when a
 * client never acknowledges loses nothing a later ACK does not cover.
 */

/** How far one user's stored messages had been written when an EVENT 1 went out. */
export interface DeliveredMarks {
  readonly userId: string;
  /** Highest C2C message id written (the durable cursor may move to it). */
  readonly c2cUpTo: number;
  /** Highest kept group / system message id written (inbox rows up to it may go). */
  readonly inboxUpTo: number;
}

/** Unacknowledged EVENT 1 frames remembered per connection; older ones are forgotten beyond this. */
export const MAX_UNACKED_EVENTS = 1024;

interface Entry {
  readonly token: number;
  readonly marks: DeliveredMarks;
}

export class UnackedDeliveries {
  private token = 0;
  private readonly entries: Entry[] = [];

  /** The token the next recorded EVENT 1 gets. */
  get nextToken(): number {
    return this.token + 1;
  }

  /** Number of EVENT 1 frames written and not acknowledged yet. */
  get size(): number {
    return this.entries.length;
  }

  /** Remembers the EVENT 1 just written with `nextToken`; returns that token. */
  record(marks: DeliveredMarks): number {
    this.token++;
    this.entries.push({ token: this.token, marks });
    if (this.entries.length > MAX_UNACKED_EVENTS) this.entries.shift();
    return this.token;
  }

  /**
   * Forgets every EVENT 1 with a token ≤ `token` (an ACK is cumulative) and
   * returns the highest marks of each user among them.
   */
  acknowledge(token: bigint): DeliveredMarks[] {
    const upTo = token > BigInt(this.token) ? this.token : Number(token);
    const highest = new Map<string, DeliveredMarks>();
    let n = 0;
    while (n < this.entries.length && this.entries[n]!.token <= upTo) {
      const { marks } = this.entries[n]!;
      const seen = highest.get(marks.userId);
      highest.set(marks.userId, seen === undefined ? marks : {
        userId: marks.userId,
        c2cUpTo: Math.max(seen.c2cUpTo, marks.c2cUpTo),
        inboxUpTo: Math.max(seen.inboxUpTo, marks.inboxUpTo),
      });
      n++;
    }
    this.entries.splice(0, n);
    return [...highest.values()];
  }
}
