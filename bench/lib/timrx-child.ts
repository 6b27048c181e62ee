/**
 * tim-rx as a user gets it with libtimlocal (createTimClient, default
 * KoffiBackend: callbacks run in batches on the event loop), in a child
 * process of its own like the ffi-rs per-call style it is compared with
 * (ffirs-child.ts; same IPC: bench-child.ts, same library, same raw server):
 * a fresh process against a fresh process.
 */
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { KoffiBackend, createTimClient, type TimClient } from '../../src/index.js';
import { serveBenchChild } from './bench-child.js';

let tim: TimClient | undefined;

serveBenchChild({
  async setup(m) {
    tim = createTimClient({ sdkAppId: 1400000001, emulatorHost: m.host, backend: new KoffiBackend({ library: m.library }) });
    if (m.userId !== null) await lastValueFrom(tim.login(m.userId, 'any-sig'), { defaultValue: undefined });
  },
  call(m) {
    return m.funcName === 'TIMLogout'
      ? lastValueFrom(tim!.logout(), { defaultValue: undefined })
      : firstValueFrom(tim!.conversations.list());
  },
  async exit() {
    if (tim) await lastValueFrom(tim.dispose(), { defaultValue: undefined });
  },
});
