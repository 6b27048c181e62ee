/**
 * Issue 12, attacks 1 and 1b: a JSON payload made to be slow to parse must
 * not freeze the emulator. A logged-in, well-behaved client keeps asking for
 * its conversation list while another client sends the payload, and its
 * round trip stays within a generous multiple of its baseline.
 *
 * - 1: many 20-digit integers and no `"` after them (the old quadratic
 *   parser), before login (TIMSetConfig) and as a logged-in user (a message,
 *   under a raised `--max-call-bytes`: parseJson itself is linear);
 * - 1b: what `JSON.parse` itself is slow on — MiBs of nested `[` (refused by
 *   the call size bound at the defaults, by the nesting bound under a raised
 *   one) and, at the default call size bound, many distinct keys in one
 *   object (the most a logged-in client can make the emulator pay).
 *
 * The emulator runs in its own process, as deployed: its stall is what the
 * client sees, not the garbage of this test process.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { arg, type ReplyFrame, type WireArg } from '../../src/emulator/wire/codec.js';
import { FunctionId, MAX_FRAME_LENGTH } from '../../src/emulator/wire/constants.js';
import { MAX_JSON_DEPTH } from '../../src/emulator/handlers/json-param.js';
import { DEFAULT_LIMITS } from '../../src/emulator/limits.js';
import { WireClient } from '../emulator/wire-client.js';
import { EmulatorProcess, scratchDir } from '../support/emulator.js';
import { adversarialJson } from '../support/json-text.js';
import { baselineRoundTrip, MiB, roundTrip, roundTripBound } from '../support/pressure.js';
import { SDK_APP_ID, userSig } from '../support/usersig.js';
import { scaled } from './scale.js';

/** The wire client's patience for one reply: far above any stall this test allows, far below the test's timeout. */
const REPLY_TIMEOUT_MS = 20_000;
/** Room for a CALL's fixed fields and the arguments around its JSON text. */
const CALL_OVERHEAD = 1024;
/** One line of figures under the test's name (they go into docs/security.md). */
const figures = (line: string): void => console.log(`      ${line}`);

/** About `bytes` of `[` then as many `]`: JSON.parse's costliest shape. */
const nested = (bytes: number): string => '['.repeat(bytes / 2) + ']'.repeat(bytes / 2);
/** One object of about `bytes` with distinct keys. */
const manyKeys = (bytes: number): string => `{${Array.from({ length: Math.floor(bytes / 12) }, (_, i) => `"k${i}":1`).join(',')}}`;
/** About `bytes` of empty objects in one array, in a message. */
const manyObjects = (bytes: number): string => `{"x":[${'{},'.repeat(Math.floor(bytes / 3) - 3)}{}]}`;
/** About `bytes` of blocks nested to the nesting bound, in a message: the costliest shape within that bound found (docs/benchmarks.md). */
const nestedToBound = (bytes: number): string => {
  const block = `${'['.repeat(MAX_JSON_DEPTH - 2)}${']'.repeat(MAX_JSON_DEPTH - 2)},`;
  return `{"x":[${block.repeat(Math.floor(bytes / block.length) - 1)}1]}`;
};

/** An emulator process, a logged-in well-behaved client of it and the bound of its round trip during an attack. */
interface Served {
  readonly emulator: EmulatorProcess;
  readonly good: WireClient;
  readonly bound: number;
}

describe('reliability: a payload made to be slow to parse does not freeze the emulator (issue 12)', function () {
  this.timeout(scaled(60_000, 180_000));
  const dir = scratchDir('tim-rx-json-freeze-');
  const sockets: WireClient[] = [];
  const emulators: EmulatorProcess[] = [];
  /** Default limits. */
  let defaults: Served;
  /** A CALL once logged in may take the whole frame (16 MiB): what the parser alone holds. */
  let raised: Served;

  async function wire(at: EmulatorProcess, user?: string): Promise<WireClient> {
    const c = await WireClient.connect(at.address, { sdkAppId: SDK_APP_ID, timeoutMs: REPLY_TIMEOUT_MS });
    sockets.push(c);
    if (user !== undefined) {
      const r = await c.call(FunctionId.Login, [arg.str(user), arg.str(userSig(user))]);
      expect(r.code, r.desc).to.equal(0);
    }
    return c;
  }

  async function serve(name: string, args: readonly string[]): Promise<Served> {
    const emulator = await EmulatorProcess.start(join(dir.path, `${name}.db`), 0, { logLevel: 'error', args });
    emulators.push(emulator);
    const good = await wire(emulator, 'json-good');
    for (let i = 0; i < 5; i++) await roundTrip(good);
    return { emulator, good, bound: roundTripBound(await baselineRoundTrip(good)) };
  }

  /**
   * The well-behaved client's worst round trip while `attacker` sends one
   * CALL, and the attacker's reply (undefined if its socket was closed): it
   * keeps asking until the attacker's reply came (or its socket was closed),
   * then once more.
   */
  async function during(at: Served, attacker: WireClient, functionId: number, args: readonly WireArg[]): Promise<{ worst: number; reply: ReplyFrame | undefined }> {
    let answered = false;
    let reply: ReplyFrame | undefined;
    const attack = attacker.call(functionId, args).then(
      (r) => void (reply = r),
      () => undefined,
    );
    const settled = Promise.race([attack, attacker.waitClosed(REPLY_TIMEOUT_MS)]);
    void settled.then(() => (answered = true));
    let worst = 0;
    let after = 1;
    while (!answered || after-- > 0) worst = Math.max(worst, await roundTrip(at.good));
    await settled;
    return { worst, reply };
  }

  /** `during`, then the round trip held to its bound and the reply's code to `code`. */
  async function expectHeld(at: Served, what: string, attacker: WireClient, functionId: number, args: readonly WireArg[], code: number): Promise<void> {
    const { worst, reply } = await during(at, attacker, functionId, args);
    figures(`${what}: reply ${reply?.code ?? 'none'}; round trip max ${worst.toFixed(1)} ms (bound ${at.bound.toFixed(0)} ms)`);
    expect(worst, `${what}: the well-behaved client's worst round trip (ms) against its bound`).to.be.at.most(at.bound);
    expect(reply?.code, `${what}: ${reply?.desc ?? 'no reply'}`).to.equal(code);
  }

  before(async () => {
    defaults = await serve('defaults', []);
    raised = await serve('raised', ['--max-call-bytes', String(MAX_FRAME_LENGTH)]);
  });

  after(async () => {
    for (const c of sockets) c.close();
    for (const e of emulators) await e.stop();
    dir.dispose();
  });

  it(`1, before login: TIMSetConfig with ${scaled('1.5', '3')} MiB of 20-digit integers and no quote after them`, async () => {
    const attacker = await wire(defaults.emulator);
    const json = adversarialJson('digits', scaled(1.5 * MiB, 3 * MiB));
    const { worst } = await during(defaults, attacker, FunctionId.SetConfig, [arg.str(json)]);
    expect(worst, `the well-behaved client's worst round trip (ms) against its bound`).to.be.at.most(defaults.bound);
  });

  it(`1, logged in (calls up to 16 MiB): a message whose JSON holds ${scaled('2', '3')} MiB of 20-digit integers and no quote after them`, async () => {
    const attacker = await wire(raised.emulator, 'json-mallory');
    const message = `{"message_elem_array":[{"elem_type":0,"text_elem_content":"hi"}],"x":${adversarialJson('digits', scaled(2 * MiB, 3 * MiB))}}`;
    const { worst } = await during(raised, attacker, FunctionId.MsgSendNewMsg, [arg.str('json-good'), arg.i64(1), arg.str(message)]);
    expect(worst, `the well-behaved client's worst round trip (ms) against its bound`).to.be.at.most(raised.bound);
    // The emulator still serves the attacker too: the payload was an answer like any other.
    expect((await attacker.call(FunctionId.ConvGetConvList)).code).to.equal(0);
  });

  const deep = scaled(4, 15);

  it(`1b, logged in: ${deep} MiB of nested \`[\` in a message, a TIMSetConfig and a group call are refused 9522 unread`, async () => {
    const attacker = await wire(defaults.emulator, 'json-trudy');
    const text = nested(deep * MiB);
    const calls: [string, number, WireArg[]][] = [
      ['TIMMsgSendNewMsg', FunctionId.MsgSendNewMsg, [arg.str('json-good'), arg.i64(1), arg.str(text)]],
      ['TIMSetConfig', FunctionId.SetConfig, [arg.str(text)]],
      ['TIMGroupGetGroupInfoList', FunctionId.GroupGetGroupInfoList, [arg.str(text)]],
    ];
    for (const [name, functionId, args] of calls) await expectHeld(defaults, `${name} of ${deep} MiB of \`[\``, attacker, functionId, args, 9522);
    expect((await attacker.call(FunctionId.ConvGetConvList)).code, 'the attacker is still served').to.equal(0);
  });

  it(`1b, logged in (calls up to 16 MiB): ${deep} MiB of nested \`[\` in a message is refused 6017 by the nesting bound, unparsed`, async () => {
    const attacker = await wire(raised.emulator, 'json-trudy');
    await expectHeld(raised, `TIMMsgSendNewMsg of ${deep} MiB of \`[\``, attacker, FunctionId.MsgSendNewMsg, [arg.str('json-good'), arg.i64(1), arg.str(nested(deep * MiB))], 6017);
  });

  it('1b, logged in, just within the default call bound: distinct keys, many small objects, nesting to the bound are parsed, deeper nesting is refused, each within the bound', async () => {
    const attacker = await wire(defaults.emulator, 'json-oscar');
    const bytes = DEFAULT_LIMITS.maxCallBytes - CALL_OVERHEAD;
    const size = `${(bytes / MiB).toFixed(2)} MiB`;
    const send = (json: string): WireArg[] => [arg.str('json-good'), arg.i64(1), arg.str(json)];
    await expectHeld(defaults, `TIMMsgSendNewMsg of ${size} of distinct keys`, attacker, FunctionId.MsgSendNewMsg, send(manyKeys(bytes)), 6016);
    await expectHeld(defaults, `TIMMsgSendNewMsg of ${size} of \`{},\``, attacker, FunctionId.MsgSendNewMsg, send(manyObjects(bytes)), 6016);
    await expectHeld(defaults, `TIMMsgSendNewMsg of ${size} nested to the bound`, attacker, FunctionId.MsgSendNewMsg, send(nestedToBound(bytes)), 6016);
    await expectHeld(defaults, `TIMMsgSendNewMsg of ${size} of \`[\``, attacker, FunctionId.MsgSendNewMsg, send(nested(bytes)), 6017);
  });
});
