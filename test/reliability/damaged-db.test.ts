/**
 * Attack 9 of issue 12: damaged databases. A database with history is
 * damaged (pages overwritten in the middle, truncated, emptied to 0 bytes,
 * replaced by text or by another application's SQLite file) and handed to
 * `tim-rx emulator`: each damaged file is refused with one error line
 * naming it and exit code 2, nothing served, the file left as it was; a
 * 0-byte file starts as a new database with a warning line. Damage done
 * while the emulator runs: a send answered 0 is in the file (a send whose
 * COMMIT fails is answered 7012), and the next start refuses the file.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runEmulatorCli, type CliIo } from '../../src/emulator/cli.js';
import { DatabaseOpenError, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import { textMessage } from '../emulator/helpers.js';
import { WireClient } from '../emulator/wire-client.js';
import { corruptPages, emptyFile, foreignDatabase, textFile, truncateHalf } from '../support/damage.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';
import { scaled } from './scale.js';

const MAIN = fileURLToPath(new URL('../../src/emulator/main.ts', import.meta.url));
const INTERNAL_ERROR = 7012;
const USERS = 8;

function fakeIo(): CliIo & { out: (l: string) => void; outLines: string[]; errLines: string[]; emitter: EventEmitter } {
  const emitter = new EventEmitter();
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { out: (l) => outLines.push(l), err: (l) => errLines.push(l), signals: emitter as unknown as CliIo['signals'], outLines, errLines, emitter };
}

describe('reliability: damaged databases are refused at start (attack 9)', function () {
  this.timeout(scaled(30_000, 300_000));
  const dir = mkdtempSync(join(tmpdir(), 'tim-rx-damaged-db-'));
  const history = join(dir, 'history.db');
  const sockets: WireClient[] = [];
  const emulatorOn = (dbPath: string): Promise<RunningEmulator> =>
    startEmulator({ port: 0, dbPath, sdkAppId: SDK_APP_ID, secretKey: SECRET, logLevel: 'silent' });
  async function user(emulator: RunningEmulator, id: string): Promise<WireClient> {
    const c = await WireClient.connect(emulator.address, { sdkAppId: SDK_APP_ID });
    sockets.push(c);
    const r = await c.call(FunctionId.Login, [arg.str(id), arg.str(userSig(id))]);
    expect(r.code, r.desc).to.equal(0);
    return c;
  }
  const send = (c: WireClient, to: string, text: string) => c.call(FunctionId.MsgSendNewMsg, [arg.str(to), arg.i64(1), arg.str(textMessage(text))]);
  const cli = (db: string, io: CliIo) =>
    runEmulatorCli(['--port', '0', '--db', db, '--sdkappid', String(SDK_APP_ID), '--secret', SECRET, '--log-level', 'warn'], io);
  /** Runs `tim-rx emulator` on `db` in-process; one that starts listening is stopped at once: the exit code, or 'served'. */
  async function refusedOrServed(db: string, io: ReturnType<typeof fakeIo>): Promise<number | 'served'> {
    const done = cli(db, io);
    const listening = new Promise<'served'>((resolve) => {
      const poll = setInterval(() => {
        if (io.outLines.length === 0) return;
        clearInterval(poll);
        io.emitter.emit('SIGTERM', 'SIGTERM');
        resolve('served');
      }, 10);
      void done.finally(() => clearInterval(poll));
    });
    const first = await Promise.race([done, listening]);
    await done;
    return first;
  }

  before(async () => {
    const emulator = await emulatorOn(history);
    const users = [];
    for (let u = 0; u < USERS; u++) users.push(await user(emulator, `dmg-${u}`));
    const messages = scaled(1500, 20_000);
    for (let i = 0; i < messages; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(messages, i + 50); j++) batch.push(send(users[j % USERS]!, `dmg-${(j * 3 + 1) % USERS}`, `history ${j} ${'h'.repeat(j % 300)}`));
      for (const r of await Promise.all(batch)) expect(r.code, r.desc).to.equal(0);
    }
    for (const c of sockets.splice(0)) c.close();
    await emulator.close();
  });
  after(() => {
    for (const c of sockets) c.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const damaged: Array<[string, (p: string) => void, RegExp]> = [
    ['pages overwritten in the middle', corruptPages, /the database is damaged \(quick_check: /],
    ['a truncated file', truncateHalf, /the database is damaged \(quick_check: /],
    ['a text file', textFile, /file is not a database \(not an SQLite file\)/],
    ["another application's SQLite database", (p) => { emptyFile(p); foreignDatabase(p); }, /not a tim-rx emulator database/],
  ];
  for (const [what, damage, reason] of damaged) {
    it(`tim-rx emulator refuses ${what}: exit code 2, one line naming the file, nothing served, the file unchanged`, async () => {
      const db = join(dir, `${what.replace(/\W+/g, '-')}.db`);
      copyFileSync(history, db);
      damage(db);
      const before = readFileSync(db);
      const io = fakeIo();
      expect(await refusedOrServed(db, io)).to.equal(2);
      expect(io.outLines, 'never listening').to.deep.equal([]);
      expect(io.errLines).to.have.length(1);
      expect(io.errLines[0]!.startsWith(`tim-rx emulator: error: cannot open database ${JSON.stringify(db)}: `), io.errLines[0]).to.equal(true);
      expect(io.errLines[0]).to.match(reason);
      expect(readFileSync(db).equals(before), 'the file is left as it was').to.equal(true);
    });
  }

  it('as a process: a damaged database ends `tim-rx emulator` with exit code 2 and one error line', async () => {
    const db = join(dir, 'process.db');
    copyFileSync(history, db);
    corruptPages(db);
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--db', db, '--sdkappid', String(SDK_APP_ID), '--secret', SECRET],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Stopped if it serves the damaged file (it must not), so the test ends either way.
    child.stdout.on('data', () => {
      if (/listening/.test(stdout)) child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, stderr).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr.trimEnd().split('\n')).to.deep.equal([stderr.trimEnd()]);
    expect(stderr).to.match(/^tim-rx emulator: error: cannot open database ".*process\.db": the database is damaged/);
  });

  it('a 0-byte file starts as a new database, with a warning line naming it', async () => {
    const db = join(dir, 'zero.db');
    emptyFile(db);
    const io = fakeIo();
    const done = cli(db, io);
    while (io.outLines.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(io.outLines[0]).to.match(/^tim-rx emulator listening on /);
    expect(io.errLines.filter((l) => / warn: /.test(l))).to.have.length(1);
    expect(io.errLines[0]).to.contain(`warn: database ${JSON.stringify(db)} is an empty file (0 bytes): starting a new database in it`);
    io.emitter.emit('SIGTERM', 'SIGTERM');
    expect(await done).to.equal(0);
  });

  it('damaged while running: every send answered 0 is in the file (any other answer is 7012); the next start refuses the file', async () => {
    const db = join(dir, 'live.db');
    copyFileSync(history, db);
    const emulator = await emulatorOn(db);
    const a = await user(emulator, 'dmg-0');
    const lastId = (): number => {
      const raw = new Database(db, { readonly: true });
      try {
        return raw.prepare('SELECT max(id) FROM messages').pluck().get() as number;
      } finally {
        raw.close();
      }
    };
    const cutoff = lastId();
    corruptPages(db, [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    const acknowledged: string[] = [];
    const codes = new Map<number, number>();
    for (let i = 0; i < scaled(60, 600); i++) {
      const text = `after damage ${i}`;
      const r = await send(a, `dmg-${1 + (i % (USERS - 1))}`, text);
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
      expect([0, INTERNAL_ERROR], r.desc).to.include(r.code);
      if (r.code === 0) acknowledged.push(text);
    }
    a.close();
    await emulator.close();
    const raw = new Database(db, { readonly: true });
    const stored = new Set((raw.prepare('SELECT elems FROM messages WHERE id > ?').pluck().all(cutoff) as string[])
      .map((e) => (JSON.parse(e) as { text_elem_content: string }[])[0]!.text_elem_content));
    raw.close();
    expect(acknowledged.filter((t) => !stored.has(t)), `acknowledged but not stored (replies ${JSON.stringify([...codes])})`).to.deep.equal([]);
    const refused = await emulatorOn(db).then(async (e) => {
      await e.close();
      return undefined;
    }, (e: unknown) => e);
    expect(refused).to.be.instanceOf(DatabaseOpenError);
    expect((refused as DatabaseOpenError).kind).to.equal('damaged');
  });
});
