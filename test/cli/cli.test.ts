import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { parseArgs, UsageError } from '../../src/cli/args.js';
import { CHAT_USAGE, DEFAULT_CHAT_SECRET, defaultDbPath, parseChatOptions } from '../../src/cli/chat/options.js';
import { demoReply } from '../../src/cli/chat/demo-peer.js';
import { runUsersigCli } from '../../src/cli/usersig.js';
import { verifyUserSig } from '../../src/emulator/usersig.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

function captureIo(): { out: string[]; err: string[]; io: { out: (t: string) => void; err: (t: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t) } };
}

/** `tim-rx …` as a process, with stdin/stdout not a terminal. */
function tim(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end();
  });
}

describe('tim-rx command line', function () {
  this.timeout(30_000);

  describe('argument parsing', () => {
    const specs = [{ name: 'port', value: 'P', help: '' }, { name: 'demo', help: '' }];
    it('reads --name value, --name=value, flags, positionals and --help', () => {
      const a = parseArgs(['x', '--port', '1', '--demo', '-h'], specs, 1);
      expect([...a.options]).to.deep.equal([['port', '1'], ['demo', 'true']]);
      expect(a.positionals).to.deep.equal(['x']);
      expect(a.help).to.equal(true);
      expect([...parseArgs(['--port=2'], specs).options]).to.deep.equal([['port', '2']]);
    });
    it('names each mistake', () => {
      expect(() => parseArgs(['--nope'], specs)).to.throw(UsageError, 'unknown option --nope');
      expect(() => parseArgs(['--port'], specs)).to.throw(UsageError, '--port needs a value');
      expect(() => parseArgs(['--port', '--demo'], specs)).to.throw(UsageError, '--port needs a value');
      expect(() => parseArgs(['--demo=1'], specs)).to.throw(UsageError, '--demo takes no value');
      expect(() => parseArgs(['extra'], specs)).to.throw(UsageError, 'unexpected argument "extra"');
    });
  });

  describe('chat options', () => {
    it('defaults: alice talks to bob on the local emulator at 7171 with a database under the temp folder', () => {
      expect(parseChatOptions([], {})).to.deep.equal({
        user: 'alice', peer: 'bob', demo: false, secret: DEFAULT_CHAT_SECRET, userSig: undefined, sdkAppId: 1400000000,
        revokeTimeLimit: undefined, server: { kind: 'local', port: 7171, dbPath: defaultDbPath(7171) },
      });
      expect(parseChatOptions(['--user', 'bob'], {})).to.include({ user: 'bob', peer: 'alice' });
      expect(parseChatOptions(['--demo'], {})).to.include({ peer: 'bot', demo: true });
      expect(parseChatOptions(['--help'], {})).to.equal(undefined);
      expect(parseChatOptions([], { TIM_RX_SECRET: 's3' })).to.include({ secret: 's3' });
    });
    it('--emulator, --library, --port 0 and --db choose the server', () => {
      expect(parseChatOptions(['--emulator', '10.0.0.1:7000'], {})!.server).to.deep.equal({ kind: 'remote', address: '10.0.0.1:7000' });
      expect(parseChatOptions(['--library', '/x/libImSDK.so', '--usersig', 'SIG'], {})).to.deep.include({
        server: { kind: 'library', library: '/x/libImSDK.so' }, userSig: 'SIG',
      });
      expect(parseChatOptions(['--port', '0', '--db', '/tmp/x.db'], {})!.server).to.deep.equal({ kind: 'local', port: 0, dbPath: '/tmp/x.db' });
    });
    it('refuses what cannot work, saying why', () => {
      const bad: [string[], RegExp][] = [
        [['--emulator', 'nohost'], /--emulator must be HOST:PORT/],
        [['--emulator', 'h:1', '--port', '2'], /cannot be used together/],
        [['--library', '/x.so'], /give --usersig/],
        [['--library', '/x.so', '--usersig', 's', '--demo'], /--demo needs the emulator/],
        [['--port', '70000'], /--port must be in 0\.\.65535/],
        [['--user', 'a b'], /--user must be/],
        [['--demo', '--user', 'bot'], /scripted peer's name/],
        [['--emulator', 'h:1', '--db', 'x'], /--db is for an emulator started here/],
      ];
      for (const [argv, message] of bad) expect(() => parseChatOptions(argv, {}), argv.join(' ')).to.throw(UsageError, message);
    });
  });

  describe('usersig', () => {
    it('prints a UserSig made with tls-sig-api-v2 that the emulator accepts', () => {
      const c = captureIo();
      expect(runUsersigCli(['alice', '--sdkappid', '1400000000', '--secret', 'k3y', '--expire', '600'], c.io)).to.equal(0);
      expect(c.out).to.have.length(1);
      const checked = verifyUserSig({ userId: 'alice', userSig: c.out[0]!, sdkAppId: 1400000000, secretKey: 'k3y' });
      expect(checked.ok).to.equal(true);
      if (checked.ok) expect(checked.claims.expire).to.equal(600);
      expect(verifyUserSig({ userId: 'alice', userSig: c.out[0]!, sdkAppId: 1400000000, secretKey: 'other' }).ok).to.equal(false);
    });
    it('reads the secret from TIM_RX_SECRET', () => {
      const c = captureIo();
      expect(runUsersigCli(['bob', '--sdkappid', '7'], c.io, { TIM_RX_SECRET: 'env-key' })).to.equal(0);
      expect(verifyUserSig({ userId: 'bob', userSig: c.out[0]!, sdkAppId: 7, secretKey: 'env-key' }).ok).to.equal(true);
    });
    it('exits 2 with a clear error for a missing user, SDKAppID or secret, or a bad number', () => {
      const cases: [string[], string][] = [
        [['--sdkappid', '1', '--secret', 'k'], 'missing <user>'],
        [['alice', '--secret', 'k'], 'missing --sdkappid'],
        [['alice', '--sdkappid', '1'], 'missing --secret'],
        [['alice', '--sdkappid', 'x', '--secret', 'k'], '--sdkappid must be a positive integer, got "x"'],
        [['alice', '--sdkappid', '1', '--secret', 'k', '--expire', '0'], '--expire must be in 1..2147483647 (seconds), got 0'],
        [['alice', '--sdkappid', '1', '--secret', 'k', '--expire', '-5'], '--expire must be a positive integer (seconds), got "-5"'],
      ];
      for (const [argv, message] of cases) {
        const c = captureIo();
        expect(runUsersigCli(argv, c.io, {})).to.equal(2);
        expect(c.err.join('\n')).to.include(`tim-rx usersig: error: ${message}`).and.include('usage: tim-rx usersig');
        expect(c.out).to.deep.equal([]);
      }
    });
  });

  it('the demo peer answers each message', () => {
    expect(demoReply('hello there', 0)).to.match(/^You said "hello there" \(2 words\)/);
    expect(demoReply('why?', 1)).to.match(/^Good question/);
    expect(demoReply('x', 4)).to.equal('Got "x" (1 word). Message #5 from you.');
  });

  describe('as a process', () => {
    it('--help for the command and for each subcommand (exit 0)', async () => {
      const [all, chat, emulator, usersig] = await Promise.all([
        tim(['--help']), tim(['chat', '--help']), tim(['emulator', '--help']), tim(['usersig', '--help']),
      ]);
      expect(all).to.include({ code: 0 });
      expect(all.stdout).to.include('usage: tim-rx <command>').and.include('tim-rx chat [--user ID]').and.include('tim-rx emulator --sdkappid N').and.include('tim-rx usersig <user>');
      expect(chat).to.include({ code: 0, stdout: `${CHAT_USAGE}\n` });
      expect(emulator.code).to.equal(0);
      expect(emulator.stdout).to.include('usage: tim-rx emulator').and.include('--revoke-time-limit');
      expect(usersig.code).to.equal(0);
      expect(usersig.stdout).to.include('usage: tim-rx usersig <user>');
    });

    it('--version prints the package version, also after a command (exit 0)', async () => {
      const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
      const runs = await Promise.all([tim(['--version']), tim(['-v']), tim(['usersig', '--version']), tim(['emulator', '--version'])]);
      for (const r of runs) expect(r).to.include({ code: 0, stdout: `tim-rx ${version}\n` });
    });

    it('clear errors: an unknown command, bad options, a chat without a terminal (exit 2)', async () => {
      const [unknown, none, badChat, noTty, emulatorNoSecret] = await Promise.all([
        tim(['frobnicate']), tim([]), tim(['chat', '--port', 'x']), tim(['chat', '--port', '0']), tim(['emulator', '--sdkappid', '1']),
      ]);
      expect(unknown.code).to.equal(2);
      expect(unknown.stderr).to.include('tim-rx: error: unknown command "frobnicate"');
      expect(none.code).to.equal(2);
      expect(none.stderr).to.include('usage: tim-rx <command>');
      expect(badChat.code).to.equal(2);
      expect(badChat.stderr).to.include('tim-rx chat: error: --port must be a non-negative integer, got "x"');
      expect(noTty.code).to.equal(2);
      expect(noTty.stderr).to.include('needs an interactive terminal');
      expect(emulatorNoSecret.code).to.equal(2);
      expect(emulatorNoSecret.stderr).to.include('missing --secret');
    });

    it('usersig prints one line', async () => {
      const r = await tim(['usersig', 'carol', '--sdkappid', '1400000000', '--secret', 'k']);
      expect(r.code).to.equal(0);
      expect(r.stdout.trim().split('\n')).to.have.length(1);
      expect(verifyUserSig({ userId: 'carol', userSig: r.stdout.trim(), sdkAppId: 1400000000, secretKey: 'k' }).ok).to.equal(true);
    });
  });
});
