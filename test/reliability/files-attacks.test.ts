/**
 * Attacks through file elements and downloads (issue 12, items 2, 3 and 6),
 * from logged-in raw wire clients on loopback. The emulator must never open
 * a path a client names: it asks the client's library for the bytes, and a
 * download goes back to the client as bytes.
 *
 * - Attack 2: a file element naming the emulator's own database, sent to
 *   herself, then downloaded: she gets only the bytes her own client sent.
 * - Attack 3: a download naming the live database: the database is intact
 *   and the emulator serves it after a restart.
 * - Attack 6: file elements naming FIFOs, from clients that never answer the
 *   server's request for bytes: other users' file sends keep their round
 *   trip, the attackers' calls fail at their deadline (6022), SIGTERM stops
 *   the emulator promptly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseJson } from '../../src/json/lossless.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { arg, encodeFrame } from '../../src/emulator/wire/codec.js';
import { FrameKind, FunctionId } from '../../src/emulator/wire/constants.js';
import { WireClient, type WireClientOptions } from '../emulator/wire-client.js';
import { EmulatorProcess } from '../support/emulator.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';
import { scaled } from './scale.js';

type Json = Record<string, unknown>;
const SQLITE_HEADER = 'SQLite format 3\0';

async function loggedIn(address: string, user: string, options: Partial<WireClientOptions> = {}): Promise<WireClient> {
  const c = await WireClient.connect(address, { sdkAppId: SDK_APP_ID, timeoutMs: 10_000, ...options });
  const r = await c.call(FunctionId.Login, [arg.str(user), arg.str(userSig(user))]);
  expect(r.code, r.desc).to.equal(0);
  return c;
}

const sendFile = (c: WireClient, to: string, path: string) =>
  c.call(FunctionId.MsgSendNewMsg, [arg.str(to), arg.i64(1), arg.str(JSON.stringify({ message_elem_array: [{ elem_type: 4, file_elem_file_path: path }] }))]);

const fileIdOf = (json: string): string => ((parseJson(json) as Json)['message_elem_array'] as Json[])[0]!['file_elem_file_id'] as string;

const download = async (c: WireClient, id: string, path: string) =>
  (await c.callAll(FunctionId.MsgDownloadElemToPath, [arg.str(JSON.stringify({ msg_download_elem_param_type: 2, msg_download_elem_param_id: id })), arg.str(path)])).at(-1)!;

describe('reliability: file attacks (the emulator opens no path a client names)', function () {
  this.timeout(scaled(30_000, 120_000));
  let dir: string;
  let emulator: RunningEmulator | undefined;
  const clients: WireClient[] = [];
  const track = (c: WireClient): WireClient => (clients.push(c), c);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tim-rx-file-attacks-'));
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await emulator?.close();
    emulator = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (): Promise<RunningEmulator> =>
    (emulator = await startEmulator({ port: 0, dbPath: join(dir, 'victim.db'), sdkAppId: SDK_APP_ID, secretKey: SECRET, logLevel: 'silent' }));

  it('attack 2: a file element naming the database, sent to herself and downloaded, gives her only the bytes her client sent', async () => {
    const { address } = await start();
    track(await loggedIn(address, 'alice'));
    const bob = track(await loggedIn(address, 'bob'));
    expect((await bob.call(FunctionId.MsgSendNewMsg, [arg.str('alice'), arg.i64(1), arg.str(JSON.stringify({ message_elem_array: [{ elem_type: 0, text_elem_content: 'bob secret' }] }))])).code).to.equal(0);
    const own = Buffer.from('only what mallory has on her own machine');
    const mallory = track(await loggedIn(address, 'mallory', { files: () => own, downloadTo: (p) => join(dir, 'mallory-got', p.replace(/\//g, '_')) }));
    execFileSync('mkdir', ['-p', join(dir, 'mallory-got')]);
    const dbPath = join(dir, 'victim.db');
    for (const path of [dbPath, `${dbPath}-wal`, '/etc/passwd']) {
      const sent = await sendFile(mallory, 'mallory', path);
      expect(sent.code, sent.desc).to.equal(0);
      const target = join(dir, 'loot.bin');
      const got = await download(mallory, fileIdOf(sent.json), target);
      expect(got.code, got.desc).to.equal(0);
      // Where her client wrote (today's emulator wrote the target itself).
      const written = [join(dir, 'mallory-got', target.replace(/\//g, '_')), target].find((p) => existsSync(p))!;
      const loot = readFileSync(written);
      expect(loot.toString('latin1').startsWith(SQLITE_HEADER), 'she got the database').to.equal(false);
      expect(loot.equals(own), 'she got the bytes her client sent').to.equal(true);
      expect(mallory.files.opened.map((f) => f.path), 'the emulator asks her client for the bytes').to.include(path);
    }
    // A client that says the path does not exist (as libtimlocal does for a path it lacks) stores nothing.
    const eve = track(await loggedIn(address, 'eve', { files: () => 7004 }));
    expect((await sendFile(eve, 'eve', dbPath)).code).to.equal(7004);
  });

  it('attack 3: a download naming the live database leaves it intact; the emulator serves it after a restart', async () => {
    const dbPath = join(dir, 'victim.db');
    const first = await start();
    track(await loggedIn(first.address, 'alice'));
    const bob = track(await loggedIn(first.address, 'bob'));
    const hello = JSON.stringify({ message_elem_array: [{ elem_type: 0, text_elem_content: 'kept across the attack' }] });
    expect((await bob.call(FunctionId.MsgSendNewMsg, [arg.str('alice'), arg.i64(1), arg.str(hello)])).code).to.equal(0);
    const garbage = Buffer.alloc(200_000, 0x41);
    const mallory = track(await loggedIn(first.address, 'mallory', { files: () => garbage, downloadTo: (p) => join(dir, `mallory-${p.replace(/\//g, '_')}`) }));
    writeFileSync(join(dir, 'garbage.bin'), garbage); // her file (today's emulator would open it itself)
    const sent = await sendFile(mallory, 'mallory', join(dir, 'garbage.bin'));
    expect(sent.code, sent.desc).to.equal(0);
    for (const target of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
      const before = readFileSync(dbPath).subarray(0, 16).toString('latin1');
      const r = await download(mallory, fileIdOf(sent.json), target);
      expect(r.code, r.desc).to.equal(0); // her client wrote its own copy
      expect(readFileSync(dbPath).subarray(0, 16).toString('latin1')).to.equal(before);
    }
    expect(readFileSync(dbPath).subarray(0, 16).toString('latin1')).to.equal(SQLITE_HEADER);
    for (const c of clients.splice(0)) c.close();
    await first.close();
    const second = await start();
    const alice = track(await loggedIn(second.address, 'alice'));
    const history = await alice.call(FunctionId.MsgGetMsgList, [arg.str('bob'), arg.i64(1), arg.str('{"msg_getmsglist_param_count":10}')]);
    expect(history.code, history.desc).to.equal(0);
    expect(history.json).to.contain('kept across the attack');
  });

  it('file frames that answer nothing asked (unsolicited, oversized, for a transfer never opened) close only that connection', async () => {
    const { address } = await start();
    const bob = track(await loggedIn(address, 'bob'));
    writeFileSync(join(dir, 'ok.bin'), Buffer.alloc(300_000, 9));
    const bad: Array<(tid: number) => Buffer> = [
      (tid) => encodeFrame({ kind: FrameKind.FileData, transferId: tid, offset: 0n, code: 0, data: Buffer.alloc(4 * 1024 * 1024) }),
      (tid) => encodeFrame({ kind: FrameKind.FileData, transferId: tid + 1000, offset: 0n, code: 0, data: Buffer.alloc(10) }),
      (tid) => encodeFrame({ kind: FrameKind.FileInfo, transferId: tid, code: 0, size: 5n }),
    ];
    for (const [i, frame] of bad.entries()) {
      const m = track(await loggedIn(address, `mallory${i}`, { files: () => 'silent' }));
      void sendFile(m, 'bob', '/her/file.bin').catch(() => undefined); // never answered: her connection closes
      const open = await new Promise<number>((resolve) => {
        const poll = (): void => void (m.files.opened[0] ? resolve(m.files.opened[0].transferId) : setTimeout(poll, 5));
        poll();
      });
      m.writeRaw(Buffer.concat([encodeFrame({ kind: FrameKind.FileInfo, transferId: open, code: 0, size: 1000n }), frame(open)]));
      expect(await m.waitClosed(5000), `bad frame ${i} closes her connection`).to.equal(true);
      const r = await sendFile(bob, 'bob', join(dir, 'ok.bin'));
      expect(r.code, r.desc).to.equal(0);
    }
  });

  describe('attack 6 (emulator in its own process)', () => {
    let proc: EmulatorProcess | undefined;
    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      await proc?.stop('SIGKILL');
      proc = undefined;
    });

    it('file elements naming FIFOs, from clients that never answer: others keep sending files, the attackers fail at their deadline, SIGTERM stops it promptly', async () => {
      const deadlineMs = 1500;
      proc = await EmulatorProcess.start(join(dir, 'victim.db'), 0, { args: ['--file-transfer-timeout', String(deadlineMs)] });
      const attackers = scaled(8, 32);
      const bob = track(await loggedIn(proc.address, 'bob'));
      await loggedIn(proc.address, 'carol').then(track);
      writeFileSync(join(dir, 'bob.bin'), Buffer.alloc(100_000, 3));
      const roundTrip = async (): Promise<number> => {
        const t0 = performance.now();
        const r = await sendFile(bob, 'carol', join(dir, 'bob.bin'));
        expect(r.code, r.desc).to.equal(0);
        return performance.now() - t0;
      };
      await roundTrip();
      const baseline = Math.min(await roundTrip(), await roundTrip(), await roundTrip());

      const attacks: Array<Promise<number>> = [];
      const silent: WireClient[] = [];
      for (let i = 0; i < attackers; i++) {
        const fifo = join(dir, `fifo-${i}`);
        execFileSync('mkfifo', [fifo]);
        const m = track(await loggedIn(proc.address, `mallory${i}`, { files: () => 'silent' }));
        silent.push(m);
        attacks.push(sendFile(m, `mallory${i}`, fifo).then((r) => r.code));
      }
      const during: number[] = [];
      for (let i = 0; i < scaled(5, 20); i++) during.push(await roundTrip());
      console.log(`      bob's file send: baseline ${baseline.toFixed(1)} ms; during ${attackers} silent FIFO attacks ${during.map((t) => t.toFixed(1)).join(', ')} ms`);
      const bound = Math.max(10 * baseline, 500);
      expect(Math.max(...during), `round trips ${during.map((t) => t.toFixed(1)).join(', ')} ms; baseline ${baseline.toFixed(1)} ms`).to.be.at.most(bound);
      expect(await Promise.all(attacks), 'each attacker\'s own call fails at its deadline').to.deep.equal(Array(attackers).fill(6022));
      expect(silent.every((m) => m.files.opened.length === 1)).to.equal(true);

      // A new round of attacks is under way when SIGTERM comes: the emulator still stops promptly.
      for (const [i, m] of silent.entries()) void sendFile(m, `mallory${i}`, join(dir, `fifo-${i}`)).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
      const exited = proc.stop('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running after 5 s'), 5000))]);
      expect(code).to.equal(0);
    });
  });
});
