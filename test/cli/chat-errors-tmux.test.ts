/**
 * The terminal chat's error lines say what is wrong (issue 17, item 4), seen
 * on its screen in a detached tmux session (wide enough that no line is cut):
 * joining an emulator started with another secret names the secret the chat
 * signed with and `--secret KEY`; an address where something that is not an
 * emulator listens is named in the 6200 line. Private tmux server (`-L`),
 * killed at the end; skipped, with the reason, where tmux is missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmulator } from '../../src/emulator/index.js';
import { DEFAULT_CHAT_SDKAPPID } from '../../src/cli/chat/options.js';
import { Tmux, tmuxSkipReason } from '../support/tmux.js';

describe('tim-rx chat error lines (tmux)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'tim-rx-tmux-errors-'));
  const tmux = new Tmux(`tim-rx-errors-${process.pid}`, dir);
  /** Starts `tim-rx chat ARGS` in a 240×24 session (no line cut) and waits until `predicate` holds on its screen. */
  function chatShows(session: string, args: readonly string[], what: string, predicate: (s: string) => boolean): Promise<string> {
    tmux.startChat(session, args, 240, 24);
    return tmux.waitFor(session, what, predicate);
  }

  before(function () {
    const reason = tmuxSkipReason();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
  });
  after(() => {
    tmux.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an emulator started with another secret: the chat says it used its built-in secret and to pass --secret KEY', async () => {
    const emulator = await startEmulator({ port: 0, dbPath: join(dir, 'other.db'), sdkAppId: DEFAULT_CHAT_SDKAPPID, secretKey: 'MY_KEY' });
    try {
      const s = await chatShows('secret', ['--emulator', emulator.address], 'the login failure', (x) => x.includes('70003'));
      expect(s).to.include('built-in development secret; this emulator was started with another: pass --secret KEY');
    } finally {
      tmux.run('kill-session', '-t', 'secret');
      await emulator.close();
    }
  });

  it('a port held by something that is not an emulator: the 6200 line names the address', async () => {
    const held = new Set<Socket>();
    const server: Server = createServer((c) => {
      held.add(c);
      c.on('error', () => undefined);
      c.on('close', () => held.delete(c));
      c.end('garbage\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const s = await chatShows('garbage', ['--emulator', address], 'the 6200 line', (x) => x.includes('6200'));
      expect(s).to.match(new RegExp(`6200 no network: (connection attempt to|not connected to the server at) ${address.replace(/\./g, '\\.')}`));
    } finally {
      tmux.run('kill-session', '-t', 'garbage');
      for (const c of held) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
