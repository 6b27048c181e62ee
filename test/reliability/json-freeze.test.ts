/**
 * Issue 12, attack 1: a JSON payload made to be slow to parse (many 20-digit
 * integers and no `"` after them) must not freeze the emulator. A logged-in,
 * well-behaved client keeps asking for its conversation list while another
 * client sends the payload — before logging in (TIMSetConfig) and as a
 * logged-in user (a message) — and its round trip stays within a generous
 * multiple of its baseline (the old quadratic parser stalled it for seconds).
 * The emulator runs in its own process, as deployed: its stall is what the
 * client sees, not the garbage of this test process.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { arg, type WireArg } from '../../src/emulator/wire/codec.js';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import { WireClient } from '../emulator/wire-client.js';
import { EmulatorProcess, scratchDir } from '../support/emulator.js';
import { adversarialJson } from '../support/json-text.js';
import { SDK_APP_ID, userSig } from '../support/usersig.js';
import { scaled } from './scale.js';

const MiB = 1 << 20;
/** The wire client's patience for one reply: far above any stall this test allows, far below the test's timeout. */
const REPLY_TIMEOUT_MS = 20_000;

describe('reliability: a payload made to be slow to parse does not freeze the emulator (issue 12)', function () {
  this.timeout(scaled(60_000, 120_000));
  const dir = scratchDir('tim-rx-json-freeze-');
  let emulator: EmulatorProcess;
  const sockets: WireClient[] = [];
  let good: WireClient;
  /** How long the well-behaved client's round trip may take during an attack: max(10 × its baseline, 500 ms). */
  let bound = 0;

  async function wire(user?: string): Promise<WireClient> {
    const c = await WireClient.connect(emulator.address, { sdkAppId: SDK_APP_ID, timeoutMs: REPLY_TIMEOUT_MS });
    sockets.push(c);
    if (user !== undefined) {
      const r = await c.call(FunctionId.Login, [arg.str(user), arg.str(userSig(user))]);
      expect(r.code, r.desc).to.equal(0);
    }
    return c;
  }

  /** One TIMConvGetConvList of the well-behaved client, in milliseconds. */
  async function roundTrip(): Promise<number> {
    const t0 = performance.now();
    const r = await good.call(FunctionId.ConvGetConvList);
    expect(r.code, r.desc).to.equal(0);
    return performance.now() - t0;
  }

  /**
   * The well-behaved client's worst round trip while `attacker` sends one
   * CALL: it keeps asking until the attacker's reply came (or its socket was
   * closed: a server may refuse such a frame), then once more.
   */
  async function worstRoundTripDuring(attacker: WireClient, functionId: number, args: readonly WireArg[]): Promise<number> {
    let answered = false;
    const attack = attacker.call(functionId, args).then(
      () => undefined,
      () => undefined,
    );
    const settled = Promise.race([attack, attacker.waitClosed(REPLY_TIMEOUT_MS)]);
    void settled.then(() => (answered = true));
    let worst = 0;
    let after = 1;
    while (!answered || after-- > 0) worst = Math.max(worst, await roundTrip());
    await settled;
    return worst;
  }

  before(async () => {
    emulator = await EmulatorProcess.start(join(dir.path, 'json-freeze.db'), 0, { logLevel: 'error' });
    good = await wire('json-good');
    for (let i = 0; i < 5; i++) await roundTrip();
    const samples: number[] = [];
    for (let i = 0; i < 15; i++) samples.push(await roundTrip());
    const baseline = samples.sort((a, b) => a - b)[7]!;
    bound = Math.max(10 * baseline, 500);
  });

  after(async () => {
    for (const c of sockets) c.close();
    await emulator.stop();
    dir.dispose();
  });

  it(`before login: TIMSetConfig with ${scaled('1.5', '3')} MiB of 20-digit integers and no quote after them`, async () => {
    const attacker = await wire();
    const json = adversarialJson('digits', scaled(1.5 * MiB, 3 * MiB));
    const worst = await worstRoundTripDuring(attacker, FunctionId.SetConfig, [arg.str(json)]);
    expect(worst, `the well-behaved client's worst round trip (ms) against its bound`).to.be.at.most(bound);
  });

  it(`logged in: a message whose JSON holds ${scaled('2', '4')} MiB of 20-digit integers and no quote after them`, async () => {
    const attacker = await wire('json-mallory');
    const message = `{"message_elem_array":[{"elem_type":0,"text_elem_content":"hi"}],"x":${adversarialJson('digits', scaled(2 * MiB, 4 * MiB))}}`;
    const worst = await worstRoundTripDuring(attacker, FunctionId.MsgSendNewMsg, [arg.str('json-good'), arg.i64(1), arg.str(message)]);
    expect(worst, `the well-behaved client's worst round trip (ms) against its bound`).to.be.at.most(bound);
    // The emulator still serves the attacker too: the payload was an answer like any other.
    expect((await attacker.call(FunctionId.ConvGetConvList)).code).to.equal(0);
  });
});
