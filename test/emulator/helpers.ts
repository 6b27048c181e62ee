/** Shared setup of the emulator tests: temp databases, UserSigs, a harness that closes everything. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import TLSSigAPIv2 from 'tls-sig-api-v2';
import { expect } from 'chai';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import { WireClient } from './wire-client.js';

export const APP_ID = 1400000001;
export const SECRET = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';

/** A UserSig made by Tencent's own `tls-sig-api-v2` package. */
export function makeSig(userId: string, expireSeconds = 3600, appId = APP_ID, key = SECRET): string {
  return new TLSSigAPIv2.Api(appId, key).genSig(userId, expireSeconds);
}

/** Packs an arbitrary document the way UserSigs are packed (for malformed-sig tests). */
export function packSigDocument(doc: unknown): string {
  return deflateSync(Buffer.from(JSON.stringify(doc)))
    .toString('base64')
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=/g, '_');
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tim-rx-emu-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Emulator options a harness may set (the rest are the harness's own). */
export type HarnessOptions = Partial<Pick<EmulatorOptions, 'accounts' | 'unknownAccounts'>>;

/** One emulator on a temp database, plus the clients of a test; `close()` releases all. */
export class Harness {
  emulator!: RunningEmulator;
  readonly dbPath: string;
  private readonly tmp = tempDir();
  private readonly clients: WireClient[] = [];

  constructor(private readonly options: HarnessOptions = {}) {
    this.dbPath = join(this.tmp.dir, 'emulator.db');
  }

  async start(): Promise<this> {
    this.emulator = await startEmulator({ port: 0, dbPath: this.dbPath, sdkAppId: APP_ID, secretKey: SECRET, logLevel: 'silent', ...this.options });
    return this;
  }

  /** Closes the emulator (keeps the database) and starts a new one on the same file. */
  async restart(): Promise<void> {
    await this.emulator.close();
    await this.start();
  }

  async client(opts: { sdkAppId?: number | bigint; hello?: boolean; ack?: boolean } = {}): Promise<WireClient> {
    const c = await WireClient.connect(this.emulator.address, {
      sdkAppId: opts.sdkAppId ?? APP_ID, hello: opts.hello ?? true, ack: opts.ack ?? true,
    });
    this.clients.push(c);
    return c;
  }

  /** A connected client logged in as `userId` (asserts the login reply); `ack: false` never acknowledges EVENT 1. */
  async loggedIn(userId: string, opts: { ack?: boolean } = {}): Promise<WireClient> {
    const c = await this.client(opts);
    const r = await c.call(FunctionId.Login, [arg.str(userId), arg.str(makeSig(userId))]);
    expect(r.code, r.desc).to.equal(0);
    return c;
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.close();
    await this.emulator?.close();
    this.tmp.remove();
  }
}

/**
 * A fresh harness for each test of the calling `describe` (started before the
 * test, closed after it): `const h = harnessEachTest();`, then `h()` in a test.
 * `options` go to every emulator it starts.
 */
export function harnessEachTest(options: HarnessOptions = {}): () => Harness {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await new Harness(options).start();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('the harness exists only while a test runs');
    return current;
  };
}

/** A text message param for TIMMsgSendNewMsg. */
export function textMessage(text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ message_elem_array: [{ elem_type: 0, text_elem_content: text }], ...extra });
}
