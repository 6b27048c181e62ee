/**
 * Run by leaks.test.ts as `node --expose-gc --import tsx leak-child.ts <n>`:
 * one tim-rx client on libtimlocal, logged in to an in-process emulator,
 * makes <n> commands that it unsubscribes right after the native call (so
 * every reply arrives after the subscriber left): 9 in 10 TIMConvGetConvList,
 * 1 in 10 TIMMsgSendNewMsg to itself. Prints one JSON line: heap after forced
 * GC, live koffi registrations and pending requests, before and after each
 * quarter.
 */
import koffi from 'koffi';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, type Observable } from 'rxjs';
import { KoffiBackend, createTimClient } from '../../src/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';

const n = Number(process.argv[2] ?? 100_000);
const maybeGc = (globalThis as { gc?: () => void }).gc;
if (!maybeGc) throw new Error('run with --expose-gc');
const gc: () => void = maybeGc;

const dir = mkdtempSync(join(tmpdir(), 'tim-rx-leaks-'));
const emulator = await startEmulator({ port: 0, dbPath: join(dir, 'leaks.db'), sdkAppId: SDK_APP_ID, secretKey: SECRET, logLevel: 'silent' });
const backend = new KoffiBackend();
const tim = createTimClient({ sdkAppId: SDK_APP_ID, backend, emulatorHost: emulator.address });
await lastValueFrom(tim.login('leak-alice', userSig('leak-alice')), { defaultValue: undefined });

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));
async function abandoned(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const command: Observable<unknown> = i % 10 === 9 ? tim.messages.send({ type: 'c2c', id: 'leak-alice' }, `abandoned ${i}`) : tim.conversations.list();
    command.subscribe({ error: () => undefined }).unsubscribe();
    if (i % 200 === 199) await yieldToLoop(); // let the emulator (same loop) read and answer
  }
  // Frames of a connection are answered in order: when this reply is in, every earlier one came (and was dropped).
  await firstValueFrom(tim.conversations.list());
}

interface Sample { after: number; heap: number; callbacks: number; pending: number }
const samples: Sample[] = [];
async function sample(after: number): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await yieldToLoop();
  }
  samples.push({ after, heap: process.memoryUsage().heapUsed, callbacks: koffi.stats().callbacks, pending: backend.pendingRequests });
}

await abandoned(Math.min(5000, n)); // warm-up: JIT, socket buffers, SQLite caches
await sample(0);
for (let q = 1; q <= 4; q++) {
  await abandoned(n / 4);
  await sample((q * n) / 4);
}
await lastValueFrom(tim.dispose(), { defaultValue: undefined });
await emulator.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ samples })}\n`);
process.exit(0);
