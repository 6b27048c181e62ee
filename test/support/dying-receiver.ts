/**
 * A receiver in its own process with tim-rx's default delivery (callbacks on
 * the event loop with libtimlocal) whose messages$ subscriber, on the text
 * "die", works for 150 ms and then SIGKILLs its own process: it dies while
 * the application is still handling the message.
 * Args: emulator address, user id, user sig. Prints "ready" once logged in.
 */
import { lastValueFrom } from 'rxjs';
import { KoffiBackend, createTimClient } from '../../src/index.js';
import { SDK_APP_ID } from './usersig.js';

const [host, userId, userSig] = process.argv.slice(2) as [string, string, string];
const backend = new KoffiBackend();
const tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: host, backend });
tim.events.messages$.subscribe((m) => {
  const e = m.elements[0];
  if (e?.type !== 'text' || e.text !== 'die') return;
  const until = Date.now() + 150; // long enough for the library thread to send anything it has queued
  while (Date.now() < until) { /* the application at work */ }
  process.kill(process.pid, 'SIGKILL');
});
await lastValueFrom(tim.login(userId, userSig), { defaultValue: undefined });
process.stdout.write(`ready ${backend.callbackDelivery}\n`);
