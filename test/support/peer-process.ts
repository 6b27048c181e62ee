/**
 * A tim-rx user in its own process (the C SDK is process-global: one user per
 * process). Driven by test/support/peer.ts over IPC (advanced serialization,
 * so bigints survive). Every emission of the client's hot streams is forwarded.
 */
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createTimClient, type TimClient } from '../../src/index.js';
import { isTimError } from '../../src/errors.js';

type Request = { id: number; op: string; args: unknown[] };

let client: TimClient | undefined;

function need(): TimClient {
  if (!client) throw new Error('create first');
  return client;
}

const ops: Record<string, (...args: never[]) => Promise<unknown>> = {
  async create(options: { sdkAppId: number; emulatorHost: string; library?: string }) {
    client = createTimClient(options);
    const forward = (stream: string) => (value: unknown) => process.send?.({ event: stream, value });
    client.events.messages$.subscribe(forward('messages'));
    client.events.networkStatus$.subscribe(forward('networkStatus'));
    client.events.conversationEvents$.subscribe(forward('conversationEvents'));
    client.events.kickedOffline$.subscribe(forward('kickedOffline'));
    client.events.userSigExpired$.subscribe(forward('userSigExpired'));
    client.diagnostics$.subscribe(forward('diagnostics'));
    return client.version;
  },
  async login(userId: string, userSig: string) {
    return lastValueFrom(need().login(userId, userSig), { defaultValue: undefined });
  },
  async logout() {
    return lastValueFrom(need().logout(), { defaultValue: undefined });
  },
  async send(to: { type: 'c2c' | 'group'; id: string }, text: string) {
    return (await firstValueFrom(need().messages.send(to, text))).message;
  },
  async list() {
    return lastValueFrom(need().conversations.list().pipe(toArray())).then((all) => all[0]);
  },
  async dispose() {
    await lastValueFrom(need().dispose(), { defaultValue: undefined });
    client = undefined;
    return null;
  },
};

process.on('message', (raw) => {
  const { id, op, args } = raw as Request;
  const run = ops[op];
  Promise.resolve()
    .then(() => {
      if (!run) throw new Error(`unknown op ${op}`);
      return (run as (...a: unknown[]) => Promise<unknown>)(...args);
    })
    .then(
      (value) => process.send?.({ id, ok: true, value }),
      (e: unknown) => process.send?.({
        id, ok: false,
        error: isTimError(e) ? { kind: e.kind, code: e.code, desc: e.desc, message: e.message } : { message: String(e) },
      }),
    );
});

process.send?.({ ready: true });
