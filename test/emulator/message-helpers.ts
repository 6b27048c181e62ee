/** Helpers of the emulator message tests: a harness with emulator options, calls by name, parsed events. */
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { parseJson, stringifyJson } from '../../src/json/lossless.js';
import { arg, type ReplyFrame } from '../../src/emulator/wire/codec.js';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import { APP_ID, SECRET, makeSig, tempDir } from './helpers.js';
import { intArgValue, strArg, WireClient } from './wire-client.js';

export type Json = Record<string, unknown>;

type Extra = Partial<Pick<EmulatorOptions, 'messageHook' | 'revokeTimeLimitSeconds' | 'now' | 'accounts' | 'unknownAccounts'>>;

/** An emulator on a temp database with the given message options, plus its clients. */
export class MessageHarness {
  emulator!: RunningEmulator;
  readonly tmp = tempDir();
  readonly dbPath = join(this.tmp.dir, 'emulator.db');
  private readonly clients: WireClient[] = [];

  constructor(private readonly extra: Extra = {}) {}

  async start(): Promise<this> {
    this.emulator = await startEmulator({ port: 0, dbPath: this.dbPath, sdkAppId: APP_ID, secretKey: SECRET, logLevel: 'silent', ...this.extra });
    return this;
  }

  async restart(): Promise<void> {
    for (const c of this.clients) c.close();
    await this.emulator.close();
    await this.start();
  }

  /** A client logged in as `userId`, with `config` set first (TIMSetConfig JSON) when given. */
  async user(userId: string, config?: Json): Promise<WireClient> {
    const c = await WireClient.connect(this.emulator.address, { sdkAppId: APP_ID });
    this.clients.push(c);
    if (config) expect((await c.call(FunctionId.SetConfig, [arg.str(JSON.stringify(config))])).code).to.equal(0);
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

export const RECEIPTS_ON = { set_config_user_config: { user_config_is_read_receipt: true } };

/** A call on conversation (`to`, `type`) with one JSON argument (or NULL). */
export function convCall(c: WireClient, fn: number, to: string, json: unknown, type = 1): Promise<ReplyFrame> {
  const last = json === null ? arg.null() : arg.str(typeof json === 'string' ? json : stringifyJson(json));
  return c.call(fn, [arg.str(to), arg.i64(type), last]);
}

/** The reply's JSON, asserting code 0. */
export function okJson<T = Json>(r: ReplyFrame): T {
  expect(r.code, r.desc).to.equal(0);
  return (r.json === '' ? undefined : parseJson(r.json)) as T;
}

export const text = (t: string): Json => ({ message_elem_array: [{ elem_type: 0, text_elem_content: t }] });

export async function send(c: WireClient, to: string, body: Json | string): Promise<Json> {
  return okJson(await convCall(c, FunctionId.MsgSendNewMsg, to, typeof body === 'string' ? text(body) : body));
}

export const textOf = (m: Json): unknown => ((m['message_elem_array'] as Json[])[0] as Json)['text_elem_content'];

/** The next EVENT `id` parsed: its JSON argument at `at`. */
export async function nextJson<T = Json[]>(c: WireClient, id: number, at = 0, ms?: number): Promise<T> {
  const e = await c.nextEvent(id, ms);
  return parseJson(strArg(e.args[at])) as T;
}

/** The next EVENT 6: kind and conversations. */
export async function nextConv(c: WireClient): Promise<{ kind: bigint; convs: Json[] }> {
  const e = await c.nextEvent(6);
  return { kind: intArgValue(e.args[0]), convs: parseJson(strArg(e.args[1])) as Json[] };
}

/** The caller's conversation with `id`, from TIMConvGetConvList. */
export async function conversation(c: WireClient, id: string): Promise<Json | undefined> {
  const list = okJson<Json[]>(await c.call(FunctionId.ConvGetConvList));
  return list.find((x) => x['conv_id'] === id);
}

export function getList(c: WireClient, to: string, param: Json, type = 1): Promise<ReplyFrame> {
  return convCall(c, FunctionId.MsgGetMsgList, to, param, type);
}
