/**
 * The README Quickstart's ending, in a process of its own (koffi →
 * libtimlocal → the emulator): subscribe to state and events, log in, then
 * call `tim.dispose()` — and do nothing else. Nothing keeps the process
 * alive afterwards: it must exit by itself, with code 0.
 * argv: emulator address, user id, UserSig, and how the process ends:
 * `call` (the bare call: neither awaited nor subscribed) or `await`.
 */
import { lastValueFrom } from 'rxjs';
import { createTimClient } from '../../src/index.js';
import { SDK_APP_ID } from '../support/usersig.js';

const [address, userId, userSig, how] = process.argv.slice(2) as [string, string, string, 'call' | 'await'];

const tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: address });
tim.state.connection$.subscribe((c) => process.stdout.write(`connection ${c.status}\n`));
tim.events.messages$.subscribe((m) => process.stdout.write(`message from ${m.sender}\n`));
await lastValueFrom(tim.login(userId, userSig), { defaultValue: undefined });
process.stdout.write('logged in\n');
if (how === 'await') {
  await tim.dispose();
  process.stdout.write('disposed\n');
} else {
  tim.dispose();
}
