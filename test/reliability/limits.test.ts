/**
 * Resource limits (issue 12, attacks 4 and 5): sockets that announce huge
 * frames before HELLO, idle sockets up to and past the connection limit,
 * a CALL before login (or logged in) above its bound, and a logged-in client that asks for
 * far more than it reads. Each time the emulator's memory stays bounded, the
 * offender is closed or paused, and a well-behaved client keeps its round
 * trip (within max(10 × baseline, 500 ms)). The attacks with a memory bound
 * run the emulator in a child process, whose resident memory is read from /proc.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { lastValueFrom } from 'rxjs';
import { createTimClient, isTimError } from '../../src/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { ResourceLimits } from '../../src/emulator/limits.js';
import { arg, encodeFrame } from '../../src/emulator/wire/codec.js';
import { EventId, FrameKind, FunctionId, MAX_FRAME_LENGTH, PROTOCOL_VERSION } from '../../src/emulator/wire/constants.js';
import { strArg, WireClient } from '../emulator/wire-client.js';
import { EmulatorProcess, scratchDir } from '../support/emulator.js';
import { baselineRoundTrip, closedWithin, MiB, rawSocket, roundTrip, roundTripBound, RoundTripProbe, RssSampler, rssOf } from '../support/pressure.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';
import { scaled } from './scale.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const HELLO = encodeFrame({ kind: FrameKind.Hello, protocol: PROTOCOL_VERSION, sdkAppId: BigInt(SDK_APP_ID), sdkVersion: 'limits-test' });
const textMessage = (t: string): string => JSON.stringify({ message_elem_array: [{ elem_type: 0, text_elem_content: t }] });
const conv = (to: string, json: string) => [arg.str(to), arg.i64(1), arg.str(json)];
/** Most the emulator's resident memory may grow during an attack (the attacks of today's code take it 100s of MiB up). */
const RSS_GROWTH_BOUND = 48 * MiB;
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
/** One line of figures under the test's name (they go into docs/security.md). */
const figures = (line: string): void => console.log(`      ${line}`);

describe('reliability: resource limits (issue 12, attacks 4 and 5)', function () {
  this.timeout(scaled(60_000, 600_000));
  const dir = scratchDir('tim-rx-limits-');
  const clients: WireClient[] = [];
  const sockets: Socket[] = [];
  let child: EmulatorProcess | undefined;
  let inProcess: RunningEmulator | undefined;
  let logLines: string[] = [];

  async function loggedIn(address: string, user: string, ack = true): Promise<WireClient> {
    const c = await WireClient.connect(address, { sdkAppId: SDK_APP_ID, timeoutMs: 20_000, ack });
    clients.push(c);
    const r = await c.call(FunctionId.Login, [arg.str(user), arg.str(userSig(user))]);
    expect(r.code, r.desc).to.equal(0);
    return c;
  }
  async function raw(address: string): Promise<Socket> {
    const s = await rawSocket(address);
    sockets.push(s);
    return s;
  }
  async function emulatorWith(name: string, limits: Partial<ResourceLimits>): Promise<RunningEmulator> {
    logLines = [];
    inProcess = await startEmulator({
      port: 0, dbPath: join(dir.path, `${name}.db`), sdkAppId: SDK_APP_ID, secretKey: SECRET, logLevel: 'info',
      logSink: (level, line) => logLines.push(`${level}: ${line}`), limits,
    });
    return inProcess;
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of sockets.splice(0)) s.destroy();
    await child?.stop();
    await inProcess?.close();
    child = undefined;
    inProcess = undefined;
  });
  after(() => dir.dispose());

  it('attack 4: sockets announcing a 16 MiB frame before HELLO are closed at its header; the memory stays bounded; others keep their round trip', async () => {
    child = await EmulatorProcess.start(join(dir.path, 'hello-flood.db'), 0, { captureStderr: true });
    const good = await loggedIn(child.address, 'alice');
    const base = await baselineRoundTrip(good);
    const pid = child.pid!;
    const rssBefore = rssOf(pid);
    const sampler = new RssSampler(pid);
    const probe = new RoundTripProbe(good);

    const n = scaled(8, 40);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(MAX_FRAME_LENGTH);
    const mebibyte = Buffer.alloc(MiB, 0x41);
    const attackers = await Promise.all(Array.from({ length: n }, () => raw(child!.address)));
    const closedByServer = await Promise.all(attackers.map((s) => new Promise<boolean>((resolve) => {
      s.once('close', () => resolve(true));
      s.write(header);
      for (let i = 0; i < 14; i++) s.write(mebibyte);
      // All 15 MiB handed over and the socket still open half a second later: the emulator is holding them.
      s.write(mebibyte, () => setTimeout(() => resolve(false), 500));
    })));
    await sleep(200);
    const peak = sampler.stop();
    const slowest = await probe.stop();
    figures(`${n} sockets × 15 MiB before HELLO: RSS ${mib(rssBefore)} → peak ${mib(peak)}; round trip ${base.toFixed(1)} ms → max ${slowest.toFixed(1)} ms (${probe.count} during)`);

    expect(closedByServer.filter((c) => !c).length, 'sockets the emulator kept reading').to.equal(0);
    expect(peak - rssBefore, `RSS ${rssBefore} → peak ${peak}`).to.be.below(RSS_GROWTH_BOUND);
    expect(slowest, `round trip during the attack (baseline ${base.toFixed(1)} ms)`).to.be.at.most(roundTripBound(base));
    expect(child.stderr).to.match(/frame length 16777216 is outside 1\.\.4096 before HELLO/);
    await roundTrip(good);
  });

  it('attack 4: idle sockets past the connection limit (under a low open-file limit) do not lock a new client out', async () => {
    const files = scaled(256, 1024);
    const n = scaled(300, 1100);
    child = await EmulatorProcess.start(join(dir.path, 'idle-flood.db'), 0, { captureStderr: true, openFiles: files });
    const good = await loggedIn(child.address, 'alice');
    const base = await baselineRoundTrip(good);
    for (let i = 0; i < n; i++) {
      const s = await raw(child.address).catch(() => undefined);
      if (s !== undefined && i % 2 === 0) s.write(HELLO);
    }
    await sleep(200);

    const fresh = await loggedIn(child.address, 'bob');
    const [freshRt, goodRt] = [await roundTrip(fresh), await roundTrip(good)];
    figures(`${n} idle sockets, ulimit -n ${files}: new client logged in; round trip ${base.toFixed(1)} ms → ${goodRt.toFixed(1)} ms (new client ${freshRt.toFixed(1)} ms)`);
    expect(freshRt).to.be.at.most(roundTripBound(base));
    expect(goodRt).to.be.at.most(roundTripBound(base));
    expect(child.stderr).to.match(new RegExp(`connection limit reached \\(${files - 64} sockets\\): closed conn#\\d+`));
  });

  it('a socket without HELLO past the HELLO deadline, and one not logged in past the idle deadline, are closed; a logged-in one stays', async () => {
    const emulator = await emulatorWith('deadlines', { helloTimeoutMs: 300, idleTimeoutMs: 600 });
    const silent = await raw(emulator.address);
    const helloOnly = await WireClient.connect(emulator.address, { sdkAppId: SDK_APP_ID });
    clients.push(helloOnly);
    const user = await loggedIn(emulator.address, 'carol');

    expect(await closedWithin(silent, 5000), 'socket without HELLO').to.equal(true);
    expect(await helloOnly.waitClosed(5000), 'socket not logged in').to.equal(true);
    expect(user.isClosed).to.equal(false);
    await roundTrip(user);
    expect(logLines.join('\n')).to.match(/no HELLO within 300 ms/).and.match(/not logged in and idle for \d+ ms/);
  });

  describe('a CALL before login above its bound', () => {
    const bigConfig = (bytes: number): string => JSON.stringify({ pad: 'x'.repeat(bytes) });

    it('is answered 9522 before its body is even in (the body is discarded, never buffered); the connection stays usable', async () => {
      const emulator = await emulatorWith('prelogin-call', {});
      const c = await WireClient.connect(emulator.address, { sdkAppId: SDK_APP_ID });
      clients.push(c);
      const frame = encodeFrame({ kind: FrameKind.Call, requestId: 77, functionId: FunctionId.SetConfig, args: [arg.str(bigConfig(scaled(4, 15) * MiB))] });
      const firstPart = 64 * 1024 + 100;
      c.writeRaw(frame.subarray(0, firstPart));
      const deadline = Date.now() + 5000;
      while (c.unexpectedReplies.length === 0 && Date.now() < deadline) await sleep(10);
      expect(c.unexpectedReplies.map((r) => [r.requestId, r.code]), 'a REPLY before the rest of the body').to.deep.equal([[77, 9522]]);
      c.writeRaw(frame.subarray(firstPart));

      const login = await c.call(FunctionId.Login, [arg.str('dave'), arg.str(userSig('dave'))]);
      expect(login.code, login.desc).to.equal(0);
      expect((await c.call(FunctionId.SetConfig, [arg.str(bigConfig(MiB / 4))])).code, 'a call of the same kind once logged in').to.equal(0);
      expect(logLines.join('\n')).to.match(/CALL 15 of \d+ bytes before login refused \(limit 65536\)/);
    });

    it('is judged by the state when its frame is reached: after a Login or RESUME of the same burst it is served; refusals keep the order of replies', async () => {
      const emulator = await emulatorWith('prelogin-burst', {});
      const first = await WireClient.connect(emulator.address, { sdkAppId: SDK_APP_ID });
      clients.push(first);
      const big = { functionId: FunctionId.SetConfig, args: [arg.str(bigConfig(200 * 1024))] };
      const small = { functionId: FunctionId.SetConfig, args: [arg.str('{}')] };
      const loginCall = { functionId: FunctionId.Login, args: [arg.str('erin'), arg.str(userSig('erin'))] };
      expect((await first.callTogether([small, big, loginCall, big])).map((r) => r.code)).to.deep.equal([0, 9522, 0, 0]);

      const generation = first.sessionGeneration!;
      const again = await WireClient.connect(emulator.address, { sdkAppId: SDK_APP_ID });
      clients.push(again);
      const resumeCall = { functionId: FunctionId.Resume, args: [arg.str('erin'), arg.str(userSig('erin')), arg.u64(generation)] };
      expect((await again.callTogether([resumeCall, big, big])).map((r) => r.code)).to.deep.equal([0, 0, 0]);
    });

    it('reaches the app through libtimlocal as the login error 9522; the connection stays up and a normal login works', async () => {
      const emulator = await emulatorWith('prelogin-koffi', {});
      const tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
      try {
        const e = await lastValueFrom(tim.login('frank', 'S'.repeat(100 * 1024)), { defaultValue: undefined }).then(() => undefined, (err: unknown) => err);
        expect(isTimError(e) && (e as { code: number }).code, String(e)).to.equal(9522);
        await lastValueFrom(tim.login('frank', userSig('frank')), { defaultValue: undefined });
        expect(tim.state.connection.status).to.equal('connected');
        expect(logLines.filter((l) => /disconnected|closing/.test(l))).to.deep.equal([]);
      } finally {
        await lastValueFrom(tim.dispose(), { defaultValue: undefined });
      }
    });

    it('any other frame kind that long before login closes the socket once its kind is in, without waiting for its body', async () => {
      const emulator = await emulatorWith('prelogin-other', {});
      const c = await WireClient.connect(emulator.address, { sdkAppId: SDK_APP_ID });
      clients.push(c);
      const head = Buffer.alloc(4 + 100);
      head.writeUInt32BE(8 * MiB);
      head[4] = FrameKind.Ack;
      c.writeRaw(head);
      expect(await c.waitClosed(5000)).to.equal(true);
    });
  });

  describe('a CALL once logged in above its bound', () => {
    const bigConfig = (bytes: number): string => JSON.stringify({ pad: 'x'.repeat(bytes) });

    it('is answered 9522 once its first bytes are in, the body discarded unread (as before login); the connection stays usable', async () => {
      const limit = 256 * 1024;
      const emulator = await emulatorWith('loggedin-call', { maxCallBytes: limit });
      const c = await loggedIn(emulator.address, 'gina');
      const frame = encodeFrame({ kind: FrameKind.Call, requestId: 78, functionId: FunctionId.SetConfig, args: [arg.str(bigConfig(scaled(4, 15) * MiB))] });
      const firstPart = limit + 100;
      c.writeRaw(frame.subarray(0, firstPart));
      const deadline = Date.now() + 5000;
      while (c.unexpectedReplies.length === 0 && Date.now() < deadline) await sleep(10);
      expect(c.unexpectedReplies.map((r) => [r.requestId, r.code]), 'a REPLY before the rest of the body').to.deep.equal([[78, 9522]]);
      expect(c.unexpectedReplies[0]!.desc).to.match(new RegExp(`^a call may not exceed ${limit} bytes; function 15 had \\d+$`));
      c.writeRaw(frame.subarray(firstPart));

      expect((await c.call(FunctionId.SetConfig, [arg.str(bigConfig(limit - 1024))])).code, 'a call within the bound').to.equal(0);
      expect(logLines.join('\n')).to.match(new RegExp(`CALL 15 of \\d+ bytes refused \\(limit ${limit}\\)`));
      expect(logLines.filter((l) => /disconnected|closing/.test(l))).to.deep.equal([]);
    });
  });

  it('attack 5: a client pipelining TIMMsgGetMsgList(count 100) and never reading is paused: memory stays bounded, its replies all come once it reads, others keep their round trip', async () => {
    const calls = scaled(300, 3000);
    const textBytes = scaled(4000, 900);
    child = await EmulatorProcess.start(join(dir.path, 'pipeline.db'), 0, { captureStderr: true });
    const alice = await loggedIn(child.address, 'alice');
    const attacker = await loggedIn(child.address, 'bob');
    const send = { functionId: FunctionId.MsgSendNewMsg, args: conv('bob', textMessage('m'.repeat(textBytes))) };
    for (const r of await alice.callTogether(Array.from({ length: 100 }, () => send))) expect(r.code, r.desc).to.equal(0);
    const carol = await loggedIn(child.address, 'carol');
    const base = await baselineRoundTrip(carol);

    const pid = child.pid!;
    await sleep(300);
    const rssBefore = rssOf(pid);
    const sampler = new RssSampler(pid);
    const probe = new RoundTripProbe(carol);
    attacker.socket.pause();
    const page = JSON.stringify({ msg_getmsglist_param_count: 100, msg_getmsglist_param_last_msg: {} });
    const frames = Array.from({ length: calls }, (_, i) =>
      encodeFrame({ kind: FrameKind.Call, requestId: 10_000 + i, functionId: FunctionId.MsgGetMsgList, args: conv('alice', page) }));
    attacker.writeRaw(Buffer.concat(frames));
    await sleep(scaled(2000, 5000));
    const peak = sampler.stop();
    const slowest = await probe.stop();
    figures(`${calls} × TIMMsgGetMsgList(100) unread: RSS ${mib(rssBefore)} → peak ${mib(peak)}; round trip ${base.toFixed(1)} ms → max ${slowest.toFixed(1)} ms (${probe.count} during)`);

    expect(peak - rssBefore, `RSS ${rssBefore} → peak ${peak}`).to.be.below(RSS_GROWTH_BOUND);
    expect(slowest, `round trip during the attack (baseline ${base.toFixed(1)} ms)`).to.be.at.most(roundTripBound(base));
    attacker.socket.resume();
    const deadline = Date.now() + scaled(30_000, 300_000);
    while (attacker.unexpectedReplies.length < calls && !attacker.isClosed && Date.now() < deadline) await sleep(50);
    expect(attacker.unexpectedReplies.length, 'replies once the client reads').to.equal(calls);
    expect(attacker.unexpectedReplies.every((r) => r.code === 0)).to.equal(true);
  });

  it('attack 5: a receiver that never reads is disconnected past the output limit; its messages are all delivered after it logs in again', async () => {
    const emulator = await emulatorWith('deaf-receiver', { outputPauseBytes: 64 * 1024, outputLimitBytes: 4 * MiB });
    const deaf = await loggedIn(emulator.address, 'dave', false);
    deaf.socket.pause();
    const sender = await loggedIn(emulator.address, 'alice');
    const base = await baselineRoundTrip(sender);
    let sent = 0;
    const send = { functionId: FunctionId.MsgSendNewMsg, args: conv('dave', textMessage('d'.repeat(10_000))) };
    while (!logLines.some((l) => l.includes('over the limit')) && sent < 4000) {
      for (const r of await sender.callTogether(Array.from({ length: 50 }, () => send))) expect(r.code, r.desc).to.equal(0);
      sent += 50;
    }
    expect(logLines.join('\n')).to.match(/conn#\d+ \([^)]*dave\): \d+ bytes of output not taken by the client, over the limit of 4194304; disconnecting/);
    const during = await roundTrip(sender);
    figures(`disconnected after ${sent} messages of 10 kB; sender round trip ${base.toFixed(1)} ms → ${during.toFixed(1)} ms`);
    expect(during).to.be.at.most(roundTripBound(base));

    const back = await loggedIn(emulator.address, 'dave');
    const deadline = Date.now() + 20_000;
    let received = 0;
    while (received < sent && Date.now() < deadline) {
      const e = await back.nextEvent(EventId.RecvNewMsg, 20_000);
      received += (JSON.parse(strArg(e.args[0])) as unknown[]).length;
    }
    expect(received, 'messages delivered after the new login').to.equal(sent);
  });
});
