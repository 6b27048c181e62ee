/**
 * Measuring an emulator under attack, for the resource-limit tests: the
 * resident memory of its process (from /proc), and the round trip of a
 * well-behaved client before and during the attack.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import type { WireClient } from '../emulator/wire-client.js';

/** Resident memory of process `pid` in bytes (Linux). */
export function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}

/** Samples the resident memory of `pid` every `everyMs` until `stop`; `peak` is the highest seen. */
export class RssSampler {
  peak: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number, everyMs = 20) {
    this.peak = rssOf(pid);
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    try {
      this.peak = Math.max(this.peak, rssOf(this.pid));
    } catch {
      // the process ended: the last peak stands
    }
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

/** Milliseconds of one TIMConvGetConvList round trip of a logged-in client. */
export async function roundTrip(c: WireClient): Promise<number> {
  const t0 = performance.now();
  const r = await c.call(FunctionId.ConvGetConvList);
  if (r.code !== 0) throw new Error(`round trip failed: ${r.code} ${r.desc}`);
  return performance.now() - t0;
}

/** The median of `n` round trips. */
export async function baselineRoundTrip(c: WireClient, n = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await roundTrip(c));
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)]!;
}

/** Round trips of `c` one after another until `stop`; `max` is the slowest. */
export class RoundTripProbe {
  max = 0;
  count = 0;
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(private readonly c: WireClient) {
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.max = Math.max(this.max, await roundTrip(this.c));
      this.count++;
    }
  }

  async stop(): Promise<number> {
    this.stopped = true;
    await this.done;
    return this.max;
  }
}

/** The bound of the issue for a round trip during an attack: generous, so a busy machine never fails it. */
export const roundTripBound = (baselineMs: number): number => Math.max(10 * baselineMs, 500);

/** A raw TCP socket to `address` (`host:port`), once connected; errors are ignored (the server may close it). */
export async function rawSocket(address: string): Promise<Socket> {
  const i = address.lastIndexOf(':');
  const s = connect({ host: address.slice(0, i), port: Number(address.slice(i + 1)) });
  s.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('close', () => reject(new Error('closed before connecting')));
  });
  return s;
}

/** Resolves when `s` is closed, or false after `ms`. */
export function closedWithin(s: Socket, ms: number): Promise<boolean> {
  if (s.destroyed && s.closed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    s.once('close', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

export const MiB = 1024 * 1024;
