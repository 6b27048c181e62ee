/**
 * A private tmux server (`-L`) for driving `tim-rx chat` as a person would:
 * sessions of a given size, their screens, and polling a screen for text.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_MAIN = join(ROOT, 'src', 'cli', 'main.ts');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Why tmux cannot be used here, or undefined. */
export function tmuxSkipReason(): string | undefined {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (probe.error) return `tmux is not installed (${probe.error.message}); .ci/run installs it with apt-get`;
  return probe.status === 0 ? undefined : `tmux -V failed: ${probe.stderr.trim()}`;
}

/** One private tmux server; its config file goes in `dir`. */
export class Tmux {
  private readonly conf: string;

  constructor(private readonly socket: string, dir: string) {
    this.conf = join(dir, 'tmux.conf');
    writeFileSync(this.conf, 'set -g status off\nset -g remain-on-exit on\nset -g default-terminal screen\n');
  }

  run(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, '-f', this.conf, ...args], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr || r.error?.message}`);
    return r.stdout;
  }

  /** Starts `tim-rx chat ARGS` in a new session of `width`×`height`. */
  startChat(session: string, args: readonly string[], width = 80, height = 24): void {
    const command = [process.execPath, '--import', 'tsx', CLI_MAIN, 'chat', ...args].map((a) => `'${a}'`).join(' ');
    this.run('new-session', '-d', '-s', session, '-x', String(width), '-y', String(height), '-c', ROOT, command);
  }

  screen(session: string): string {
    return this.run('capture-pane', '-p', '-t', session);
  }

  /** Polls the screen of `session` until `predicate` holds; fails with the last screen after `ms`. */
  async waitFor(session: string, what: string, predicate: (s: string) => boolean, ms = 30_000): Promise<string> {
    const end = Date.now() + ms;
    let last = '';
    while (Date.now() < end) {
      last = this.screen(session);
      if (predicate(last)) return last;
      await sleep(150);
    }
    throw new Error(`timed out after ${ms} ms waiting for ${what}; the screen:\n${last}`);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { timeout: 10_000 });
  }
}
