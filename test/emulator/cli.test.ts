import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runEmulatorCli, type CliIo } from '../../src/emulator/cli.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { APP_ID, SECRET, makeSig, tempDir, textMessage } from './helpers.js';
import { strArg, WireClient } from './wire-client.js';

const MAIN = fileURLToPath(new URL('../../src/emulator/main.ts', import.meta.url));

function fakeIo(): CliIo & { outLines: string[]; errLines: string[]; emitter: EventEmitter } {
  const emitter = new EventEmitter();
  const outLines: string[] = [];
  const errLines: string[] = [];
  return {
    out: (l) => outLines.push(l),
    err: (l) => errLines.push(l),
    signals: emitter as unknown as CliIo['signals'],
    outLines,
    errLines,
    emitter,
  };
}

interface Spawned {
  readonly child: ChildProcess;
  readonly address: Promise<string>;
  readonly exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function spawnCli(args: string[]): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const address = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^tim-rx emulator listening on (\S+)\n/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`exited before listening: ${stderr}`)));
  });
  address.catch(() => {});
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, address, exit };
}

describe('emulator CLI', function () {
  this.timeout(30_000);
  const tmp = tempDir();
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    tmp.remove();
  });
  const run = (args: string[]): Spawned => {
    const s = spawnCli(args);
    children.push(s.child);
    return s;
  };
  const base = (db: string, port = '0') => ['--port', port, '--db', db, '--sdkappid', String(APP_ID), '--secret', SECRET, '--log-level', 'warn'];

  it('exits 2 with a clear message for missing or invalid options (in-process)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--sdkappid', '1', '--db', join(tmp.dir, 'a.db')], /missing --secret/],
      [['--secret', 'k', '--db', join(tmp.dir, 'a.db')], /missing --sdkappid/],
      [['--secret', 'k', '--sdkappid', 'abc'], /--sdkappid must be a positive integer, got "abc"/],
      [['--secret', 'k', '--sdkappid', '1', '--port', '70000'], /--port must be in 0\.\.65535/],
      [['--secret', 'k', '--sdkappid', '1', '--bogus', 'x'], /unknown option --bogus/],
      [['--secret', 'k', '--sdkappid', '1', '--log-level', 'loud'], /--log-level/],
      [['--secret'], /--secret needs a value/],
      [['--secret', 'k', '--sdkappid', '1', '--max-connections', 'many'], /--max-connections must be a non-negative integer, got "many"/],
      [['--secret', 'k', '--sdkappid', '1', '--idle-timeout-ms', '-1'], /--idle-timeout-ms must be a non-negative integer \(milliseconds\), got "-1"/],
      [['--secret', 'k', '--sdkappid', '1', '--file-transfer-timeout', '0'], /--file-transfer-timeout must be in 1\.\.2147483647 \(milliseconds\), got 0/],
      [['--secret', 'k', '--sdkappid', '1', '--hello-timeout-ms', '0'], /--hello-timeout-ms must be an integer in 1\.\./],
      [['--secret', 'k', '--sdkappid', '1', '--output-pause-bytes', '1048576', '--output-limit-bytes', '1048576'],
        /--output-limit-bytes \(1048576\) must be above --output-pause-bytes/],
    ];
    for (const [argv, message] of cases) {
      const io = fakeIo();
      expect(await runEmulatorCli(argv, io)).to.equal(2);
      expect(io.errLines[0]).to.match(/^tim-rx emulator: error: /).and.match(message);
      expect(io.outLines).to.deep.equal([]);
    }
  });

  it('exits 2 when the database cannot be opened or the port is in use (in-process)', async () => {
    const io1 = fakeIo();
    expect(await runEmulatorCli(['--secret', 'k', '--sdkappid', '1', '--port', '0', '--db', join(tmp.dir, 'missing', 'x.db')], io1)).to.equal(2);
    expect(io1.errLines[0]).to.match(/cannot open database .*missing/);
    const io2 = fakeIo();
    expect(await runEmulatorCli(['--secret', 'k', '--sdkappid', '1', '--port', '0', '--db', tmp.dir], io2)).to.equal(2);
    expect(io2.errLines[0]).to.match(/cannot open database/);
    const text = join(tmp.dir, 'notes.txt');
    writeFileSync(text, 'this is not a database, just some text that is long enough to be read as a header\n'.repeat(10));
    const io4 = fakeIo();
    expect(await runEmulatorCli(['--secret', 'k', '--sdkappid', '1', '--port', '0', '--db', text], io4)).to.equal(2);
    expect(io4.errLines[0]).to.match(/cannot open database .*notes\.txt.*not a database/);

    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const io3 = fakeIo();
      expect(await runEmulatorCli(['--secret', 'k', '--sdkappid', '1', '--port', String(port), '--db', join(tmp.dir, 'p.db')], io3)).to.equal(2);
      expect(io3.errLines[0]).to.equal(`tim-rx emulator: error: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('prints one line with the address and returns 0 on SIGTERM (in-process)', async () => {
    const io = fakeIo();
    const done = runEmulatorCli(base(join(tmp.dir, 'inproc.db')), io);
    while (io.outLines.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(io.outLines).to.have.length(1);
    expect(io.outLines[0]).to.match(/^tim-rx emulator listening on 127\.0\.0\.1:\d+$/);
    io.emitter.emit('SIGTERM', 'SIGTERM');
    expect(await done).to.equal(0);
  });

  it('as a process: prints exactly one stdout line, serves, and exits 0 on SIGINT', async () => {
    const p = run(base(join(tmp.dir, 'proc.db')));
    const address = await p.address;
    const c = await WireClient.connect(address, { sdkAppId: APP_ID });
    expect((await c.call(FunctionId.Login, [arg.str('alice'), arg.str(makeSig('alice'))])).code).to.equal(0);
    c.close();
    p.child.kill('SIGINT');
    const { code, stdout } = await p.exit;
    expect(code).to.equal(0);
    expect(stdout).to.equal(`tim-rx emulator listening on ${address}\n`);
  });

  it('as a process: exits 2 when the port is taken by another emulator', async () => {
    const first = run(base(join(tmp.dir, 'taken1.db')));
    const port = (await first.address).split(':')[1]!;
    const second = run(base(join(tmp.dir, 'taken2.db'), port));
    const { code, stderr, stdout } = await second.exit;
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.contain(`port ${port} on 127.0.0.1 is already in use`);
    first.child.kill('SIGTERM');
    expect((await first.exit).code).to.equal(0);
  });

  it('keeps every acknowledged message across SIGKILL and a restart on the same database', async () => {
    const db = join(tmp.dir, 'kill.db');
    const p1 = run(base(db));
    const addr1 = await p1.address;
    const bob = await WireClient.connect(addr1, { sdkAppId: APP_ID });
    expect((await bob.call(FunctionId.Login, [arg.str('bob'), arg.str(makeSig('bob'))])).code).to.equal(0);
    expect((await bob.call(FunctionId.Logout)).code).to.equal(0);
    bob.close();
    const alice = await WireClient.connect(addr1, { sdkAppId: APP_ID });
    expect((await alice.call(FunctionId.Login, [arg.str('alice'), arg.str(makeSig('alice'))])).code).to.equal(0);
    for (let i = 1; i <= 20; i++) {
      const r = await alice.call(FunctionId.MsgSendNewMsg, [arg.str('bob'), arg.i64(1), arg.str(textMessage(`k${i}`))]);
      expect(r.code).to.equal(0);
    }
    p1.child.kill('SIGKILL');
    await p1.exit;
    alice.close();

    const p2 = run(base(db));
    const bob2 = await WireClient.connect(await p2.address, { sdkAppId: APP_ID });
    expect((await bob2.call(FunctionId.Login, [arg.str('bob'), arg.str(makeSig('bob'))])).code).to.equal(0);
    const event = await bob2.nextEvent(EventId.RecvNewMsg);
    const texts = (JSON.parse(strArg(event.args[0]).replace(/"message_unique_id":\d+/g, '"message_unique_id":0')) as Array<{
      message_elem_array: Array<{ text_elem_content: string }>;
    }>).map((m) => m.message_elem_array[0]!.text_elem_content);
    expect(texts).to.deep.equal(Array.from({ length: 20 }, (_, i) => `k${i + 1}`));
    bob2.close();
    p2.child.kill('SIGTERM');
    expect((await p2.exit).code).to.equal(0);
  });
});
