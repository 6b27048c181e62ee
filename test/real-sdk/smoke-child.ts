/**
 * Runs inside `unshare -n` (no network): Tencent's libImSDK.so through the
 * same koffi backend as libtimlocal. Prints its report (reportLine) with what it saw.
 */
import { filter, firstValueFrom, lastValueFrom, timeout } from 'rxjs';
import { KoffiBackend, createTimClient, isTimError } from '../../src/index.js';
import type { NetworkStatusEvent } from '../../src/streams/events.js';
import { reportLine } from '../support/real-sdk.js';

const library = process.argv[2] ?? '';
// The SDK's own threads outlive TIMUninit and keep writing here: the parent removes it after exit.
const dir = process.argv[3] ?? '.';
const statuses: NetworkStatusEvent[] = [];

// Asks for event-loop delivery: Tencent's library has no host dispatch, so callbacks still come from its thread.
const backend = new KoffiBackend({ library, callbacks: 'event-loop' });
const tim = createTimClient({ sdkAppId: 1400000000, backend, sdkConfig: { configFilePath: dir, logFilePath: dir } });
const callbacks = backend.callbackDelivery;
tim.events.networkStatus$.subscribe((s) => statuses.push(s));
const failed = firstValueFrom(tim.events.networkStatus$.pipe(filter((s) => s.status === 'connect-failed'), timeout(20_000)));

const listError = await firstValueFrom(tim.conversations.list()).then(
  () => null,
  (e: unknown) => (isTimError(e) ? { kind: e.kind, code: e.code, desc: e.desc } : { message: String(e) }),
);
await failed.catch(() => undefined);
await lastValueFrom(tim.dispose(), { defaultValue: undefined });
process.stdout.write(reportLine({ version: tim.version, callbacks, statuses, listError }));
