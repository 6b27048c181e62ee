/**
 * `npm start`: a scripted two-user chat on the embedded emulator. Alice runs
 * in this process, Bob in a child process (the C SDK is process-global: one
 * user per process). Each side prints what its tim-rx streams emit.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filter, firstValueFrom, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { createTimClient, type Message, type TimClient } from '../index.js';
import { startEmulator } from '../emulator/index.js';
import { makeUserSig } from './usersig.js';

const SDK_APP_ID = 1400000000;
const WORDS = ['Hi Bob, this goes koffi → libtimlocal → emulator.', 'Is the emulator storing this in SQLite?', 'Bye!'];

const textOf = (m: Message): string => m.elements.map((e) => (e.type === 'text' ? e.text : `[${e.type} element]`)).join('');

function printer(who: string): (line: string) => void {
  return (line) => process.stdout.write(`[${who}] ${line}\n`);
}

/** Prints every hot stream of `client`. */
function watch(client: TimClient, print: (line: string) => void): void {
  client.events.networkStatus$.subscribe((s) => print(`networkStatus$ ${s.status}${s.code ? ` (${s.code} ${s.desc})` : ''}`));
  client.events.messages$.subscribe((m) => print(`messages$ from ${m.sender} (seq ${m.seq}): ${textOf(m)}`));
  client.events.conversationEvents$.subscribe((e) => print(`conversationEvents$ ${e.kind}${
    'conversations' in e ? ` ${e.conversations.map((c) => `${c.key.id} unread=${c.unreadCount}`).join(', ')}` : ''}`));
  client.events.kickedOffline$.subscribe(() => print('kickedOffline$'));
  client.diagnostics$.subscribe((d) => print(`diagnostics$ ${d.source}: ${d.errors.join('; ')}`));
}

async function printConversations(client: TimClient, print: (line: string) => void): Promise<void> {
  for (const c of await firstValueFrom(client.conversations.list())) {
    print(`conversation ${c.key.type}:${c.key.id} unread=${c.unreadCount} last="${c.lastMessage ? textOf(c.lastMessage) : ''}"`);
  }
}

/** Bob: answers each message, then reports his conversation list. */
export async function runBob(address: string, secret: string): Promise<void> {
  const print = printer('bob  ');
  const bob = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: address });
  watch(bob, print);
  await lastValueFrom(bob.login('bob', makeUserSig(SDK_APP_ID, secret, 'bob')), { defaultValue: undefined });
  print('logged in');
  process.send?.('ready');
  const received = await lastValueFrom(bob.events.messages$.pipe(take(WORDS.length), timeout(20_000), toArray()));
  await printConversations(bob, print);
  for (const m of received) {
    await firstValueFrom(bob.messages.send({ type: 'c2c', id: m.sender }, `got "${textOf(m)}"`));
  }
  await lastValueFrom(bob.dispose(), { defaultValue: undefined });
}

export async function runChatDemo(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tim-rx-demo-'));
  const secret = randomBytes(16).toString('hex');
  const emulator = await startEmulator({ port: 0, dbPath: join(dir, 'demo.db'), sdkAppId: SDK_APP_ID, secretKey: secret });
  const print = printer('alice');
  print(`emulator listening on ${emulator.address}`);
  const alice = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
  watch(alice, print);
  try {
    await lastValueFrom(alice.login('alice', makeUserSig(SDK_APP_ID, secret, 'alice')), { defaultValue: undefined });
    print('logged in');
    const bob = fork(fileURLToPath(import.meta.url), ['bob', emulator.address, secret], { execArgv: process.execArgv });
    const bobDone = new Promise<number | null>((resolve) => bob.once('exit', resolve));
    await new Promise<void>((resolve) => bob.once('message', () => resolve()));
    const replies = lastValueFrom(alice.events.messages$.pipe(filter((m) => m.sender === 'bob'), take(WORDS.length), timeout(20_000), toArray()));
    for (const word of WORDS) {
      const { message } = await firstValueFrom(alice.messages.send({ type: 'c2c', id: 'bob' }, word));
      print(`sent seq ${message.seq}: ${word}`);
    }
    await replies;
    await printConversations(alice, print);
    const code = await bobDone;
    if (code !== 0) throw new Error(`bob's process exited with ${code}`);
  } finally {
    await lastValueFrom(alice.dispose(), { defaultValue: undefined });
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Bob's process: `chat-demo.ts bob <address> <secret>`.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'bob') {
  runBob(process.argv[3] ?? '', process.argv[4] ?? '').then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`bob failed: ${String(e)}\n`);
      process.exit(1);
    },
  );
}
