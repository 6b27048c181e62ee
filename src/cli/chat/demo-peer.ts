/**
 * The scripted peer of `tim-rx chat --demo`: another tim-rx user in a child
 * process (the C SDK is process-global: one user per process). It greets the
 * user, answers every message, reports it read, and now and then sends a
 * message and revokes it, so one terminal shows a live conversation.
 *
 * Run by the chat as `<entry> demo-peer --emulator A --user bot --peer alice
 * --sdkappid N --secret K`; it ends when its parent goes away.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { filter, firstValueFrom, lastValueFrom, timer, type Subscription } from 'rxjs';
import { createTimClient, type TimClient } from '../../client.js';
import type { ConversationKey, Message } from '../../codecs/message.js';
import { sentMessage } from '../../commands/message.js';
import { parseArgs, parseInteger, UsageError } from '../args.js';
import { makeUserSig } from '../usersig.js';
import { loginFailure } from './login-failure.js';
import { messageText } from './timeline.js';

export interface DemoPeerOptions {
  readonly emulator: string;
  readonly user: string;
  readonly peer: string;
  readonly sdkAppId: number;
  readonly secret: string;
}

/** What the peer answers to the n-th message (0-based) `text`. */
export function demoReply(text: string, n: number): string {
  const words = text.trim().split(/\s+/).filter((w) => w.length > 0).length;
  if (/\?\s*$/.test(text)) return `Good question. I'm a script, so: 42. (Your message went koffi → libtimlocal → emulator → SQLite → me.)`;
  if (n === 0) return `You said "${text}" (${words} word${words === 1 ? '' : 's'}). Press Esc to see the chat list, /revoke to take a message back.`;
  return `Got "${text}" (${words} word${words === 1 ? '' : 's'}). Message #${n + 1} from you.`;
}

async function send(tim: TimClient, to: ConversationKey, text: string): Promise<Message> {
  return firstValueFrom(tim.messages.send(to, text).pipe(sentMessage()));
}

/** Runs the peer until `stop` resolves. */
export async function runDemoPeer(o: DemoPeerOptions, stop: Promise<void>): Promise<void> {
  const tim = createTimClient({ sdkAppId: o.sdkAppId, emulatorHost: o.emulator });
  const to: ConversationKey = { type: 'c2c', id: o.peer };
  const subscriptions: Subscription[] = [];
  try {
    await lastValueFrom(tim.login(o.user, makeUserSig(o.sdkAppId, o.secret, o.user)), { defaultValue: undefined }).catch((e: unknown) => {
      throw new Error(`demo peer: ${loginFailure(e, { userSig: undefined, secret: o.secret })}`);
    });
    await send(tim, to, `Hi ${o.peer}! I'm "${o.user}", a scripted peer in a child process with its own tim-rx client. Write me something and press Enter.`);
    let n = 0;
    let chain = Promise.resolve();
    subscriptions.push(tim.events.messages$.pipe(filter((m) => m.sender === o.peer && m.conversation.type === 'c2c')).subscribe((m) => {
      const i = n++;
      chain = chain.then(async () => {
        await lastValueFrom(tim.messages.reportRead(to, m), { defaultValue: undefined }).catch(() => undefined);
        await firstValueFrom(timer(600));
        await send(tim, to, demoReply(messageText(m), i));
        if (i % 3 === 1) {
          const oops = await send(tim, to, 'Oops, this one goes away in 3 seconds (TIMMsgRevoke)…');
          await firstValueFrom(timer(3000));
          await lastValueFrom(tim.messages.revoke(to, oops), { defaultValue: undefined });
        }
      }).catch((e: unknown) => {
        process.stderr.write(`demo peer: ${e instanceof Error ? e.message : String(e)}\n`);
      });
    }));
    await stop;
  } finally {
    for (const s of subscriptions) s.unsubscribe();
    await lastValueFrom(tim.dispose(), { defaultValue: undefined });
  }
}

/** `demo-peer` command line (internal: the chat starts it). Exits when the parent disconnects or on SIGTERM. */
export async function runDemoPeerCli(argv: readonly string[]): Promise<number> {
  const specs = ['emulator', 'user', 'peer', 'sdkappid', 'secret'].map((name) => ({ name, value: 'X', help: '' }));
  const { options } = parseArgs(argv, specs);
  const get = (name: string): string => {
    const v = options.get(name);
    if (v === undefined) throw new UsageError(`demo-peer: missing --${name}`);
    return v;
  };
  const stop = new Promise<void>((resolve) => {
    process.once('disconnect', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await runDemoPeer({
    emulator: get('emulator'), user: get('user'), peer: get('peer'), secret: get('secret'),
    sdkAppId: parseInteger(get('sdkappid'), '--sdkappid', 1, 2 ** 32 - 1),
  }, stop);
  return 0;
}

/** Starts the peer as a child process of `entry` (the tim-rx CLI script); its stderr is collected, not shown. */
export function forkDemoPeer(entry: string, o: DemoPeerOptions): { child: ChildProcess; stderr: () => string } {
  const child = fork(entry, [
    'demo-peer', '--emulator', o.emulator, '--user', o.user, '--peer', o.peer, '--sdkappid', String(o.sdkAppId), '--secret', o.secret,
  ], { execArgv: process.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  return { child, stderr: () => stderr };
}
