/**
 * Drives `tim-rx chat --demo` in a detached 80×24 tmux session, as a person
 * would: waits for the scripted peer's greeting, types and sends, watches
 * the peer's answer arrive, an unread badge appear on another conversation
 * and clear when it is opened (read), revokes, then quits with the keys and
 * checks that the program (and its scripted peer) ended with status 0.
 * Then, on a fresh emulator, alice's first message to bob (who never logged
 * in) is sent, and bob, starting later, finds it.
 *
 * Uses a private tmux server (`-L`), killed at the end; skipped, with the
 * reason, where tmux is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

function skipReason(): string | undefined {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (probe.error) return `tmux is not installed (${probe.error.message}); .ci/run installs it with apt-get`;
  return probe.status === 0 ? undefined : `tmux -V failed: ${probe.stderr.trim()}`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('tim-rx chat in tmux (80×24)', function () {
  this.timeout(150_000);
  const dir = mkdtempSync(join(tmpdir(), 'tim-rx-tmux-'));
  const socket = `tim-rx-test-${process.pid}`;
  const conf = join(dir, 'tmux.conf');
  writeFileSync(conf, 'set -g status off\nset -g remain-on-exit on\nset -g default-terminal screen\n');

  const tmux = (...args: string[]): string => {
    const r = spawnSync('tmux', ['-L', socket, '-f', conf, ...args], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr || r.error?.message}`);
    return r.stdout;
  };
  const screen = (session = 'chat'): string => tmux('capture-pane', '-p', '-t', session);
  const paneDead = (session = 'chat'): string => tmux('display-message', '-p', '-t', session, '#{pane_dead} #{pane_dead_status}').trim();

  /** Polls the screen (of tmux session `session`) until `predicate` holds; fails with the last screen after `ms`. */
  async function waitFor(what: string, predicate: (s: string) => boolean, ms = 30_000, session = 'chat'): Promise<string> {
    const end = Date.now() + ms;
    let last = '';
    while (Date.now() < end) {
      last = screen(session);
      if (predicate(last)) return last;
      await sleep(150);
    }
    throw new Error(`timed out after ${ms} ms waiting for ${what}; the screen:\n${last}`);
  }
  const type = (text: string, session = 'chat'): void => {
    tmux('send-keys', '-t', session, '-l', text);
    tmux('send-keys', '-t', session, 'Enter');
  };
  /** Starts `tim-rx chat ARGS` in a new 80×24 tmux session. */
  const startChat = (session: string, args: readonly string[]): void => {
    const command = [process.execPath, '--import', 'tsx', MAIN, 'chat', ...args].map((a) => `'${a}'`).join(' ');
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-c', ROOT, command);
  };

  let socketPath: string | undefined;
  after(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server'], { timeout: 10_000 });
    if (socketPath !== undefined) rmSync(socketPath, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the live conversation, sends, badges unread, reads, revokes and quits with q', async function () {
    const reason = skipReason();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    // The exit status goes to a file (tmux does not always report a pane's own status).
    const exitFile = join(dir, 'exit-status');
    const command = `${[process.execPath, '--import', 'tsx', MAIN, 'chat', '--demo', '--port', '0', '--db', join(dir, 'chat.db')]
      .map((a) => `'${a}'`).join(' ')}; echo $? > '${exitFile}'`;
    tmux('new-session', '-d', '-s', 'chat', '-x', '80', '-y', '24', '-c', ROOT, command);
    socketPath = tmux('display-message', '-p', '#{socket_path}').trim();

    // The scripted peer greets; the header shows who we are and that we are online.
    // The greeting arrives in the open conversation, which is then reported read: no badge.
    let s = await waitFor('the greeting of the scripted peer, read', (x) => x.includes('bot: Hi alice!') && /^▸bot\s+│/m.test(x));
    const lines = s.split('\n').filter((l, i, all) => i < all.length - 1 || l.length > 0);
    expect(lines).to.have.length(24);
    expect(lines[0]).to.match(/tim-rx chat · alice .*● online · emulator 127\.0\.0\.1:\d+ \(here\)/);
    expect(lines[22]).to.match(/^ alice›/);
    const port = /127\.0\.0\.1:(\d+)/.exec(lines[0]!)![1]!;

    // Send; the peer answers in the open conversation.
    type('hello from tmux');
    s = await waitFor('the answer', (x) => x.includes('bot: You said "hello from tmux" (3 words)'));
    expect(s).to.include('alice: hello from tmux');

    // Send again and open another conversation at once: the answer lands in bot's row as an unread badge.
    type('second message');
    type('/to carol');
    s = await waitFor('an unread badge on bot', (x) => /^ bot\s+[1-9]│/m.test(x));
    expect(s.split('\n')[1], s).to.match(/^ Chats\s+[1-9]│ carol/);
    expect(s).to.match(/^▸carol\s+│/m);
    expect(s).to.include('No messages yet.');

    // Esc to the list, ↓ to bot, Enter: the conversation opens and is reported read; the badge goes.
    tmux('send-keys', '-t', 'chat', 'Escape');
    await waitFor('the list focus', (x) => x.includes('q quit'));
    tmux('send-keys', '-t', 'chat', 'Down');
    tmux('send-keys', '-t', 'chat', 'Enter');
    s = await waitFor('bot open and read', (x) => /^▸bot\s+│/m.test(x) && x.split('\n')[1]!.includes('│ bot') && !/^.bot\s+[1-9]│/m.test(x) && x.includes('Got "second message"'));

    // Revoke the last message we sent.
    type('/revoke');
    s = await waitFor('the revoke', (x) => x.includes('alice: (you revoked a message)') && x.includes('message revoked'));

    // Quit with Esc, q: the program and its scripted peer end, status 0.
    tmux('send-keys', '-t', 'chat', 'Escape');
    await waitFor('the list focus', (x) => x.includes('q quit'));
    tmux('send-keys', '-t', 'chat', 'q');
    const end = Date.now() + 15_000;
    while (!existsSync(exitFile) && Date.now() < end) await sleep(100);
    expect(existsSync(exitFile), 'the program ended').to.equal(true);
    expect(readFileSync(exitFile, 'utf8').trim()).to.equal('0');
    await sleep(300);
    expect(paneDead().startsWith('1'), 'the pane is dead').to.equal(true);
    const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    expect(ps.split('\n').filter((l) => l.includes('demo-peer') && l.includes(`127.0.0.1:${port}`))).to.deep.equal([]);
  });

  it('on a fresh emulator, the first message to a peer who never logged in is sent and delivered when the peer starts', async function () {
    const reason = skipReason();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    startChat('alice', ['--port', '0', '--db', join(dir, 'fresh.db')]);
    let s = await waitFor('alice online', (x) => /● online · emulator 127\.0\.0\.1:\d+ \(here\)/.test(x), 30_000, 'alice');
    const address = /127\.0\.0\.1:\d+/.exec(s)![0];
    type('hello', 'alice');
    s = await waitFor('the first message shown as sent', (x) => /│\d\d:\d\d alice: hello/.test(x) || /failed|not sent/.test(x), 30_000, 'alice');
    expect(s, s).to.match(/│\d\d:\d\d alice: hello/);
    expect(s).to.not.match(/20003|failed|not sent/);
    expect(s.split('\n')[22]).to.match(/^ alice› *$/);

    // bob starts for the first time, joining that emulator: the message is there.
    startChat('bob', ['--user', 'bob', '--emulator', address]);
    s = await waitFor('the message at bob', (x) => /alice: hello/.test(x), 30_000, 'bob');
    expect(s.split('\n')[0]).to.match(/tim-rx chat · bob .*● online/);

    for (const session of ['bob', 'alice']) {
      tmux('send-keys', '-t', session, 'C-c');
      await waitFor(`${session} to quit`, () => paneDead(session).startsWith('1'), 15_000, session);
    }
  });
});
