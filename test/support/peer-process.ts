/**
 * A tim-rx user in its own process (the C SDK is process-global: one user per
 * process). Driven by test/support/peer.ts over IPC (advanced serialization,
 * so bigints survive). Every emission of the client's hot streams is forwarded.
 *
 * Its callbacks come from the library's own thread (KoffiBackend's
 * 'library-thread' delivery, the only one Tencent's SDK has), while the
 * clients made in the test process use the default ('event-loop' with
 * libtimlocal): every two-user test runs both paths.
 */
import { firstValueFrom, lastValueFrom, toArray, type Observable } from 'rxjs';
import { KoffiBackend, createTimClient, type TimClient } from '../../src/index.js';
import { isTimError } from '../../src/errors.js';

type Request = { id: number; op: string; args: unknown[] };

let client: TimClient | undefined;

function need(): TimClient {
  if (!client) throw new Error('create first');
  return client;
}

const ops: Record<string, (...args: never[]) => Promise<unknown>> = {
  async create(options: { sdkAppId: number; emulatorHost: string; library?: string; config?: Parameters<typeof createTimClient>[0]['config'] }) {
    const backend = new KoffiBackend({ ...(options.library === undefined ? {} : { library: options.library }), callbacks: 'library-thread' });
    client = createTimClient({ ...options, backend });
    if (backend.callbackDelivery !== 'library-thread') throw new Error(`peer: callbacks come by ${backend.callbackDelivery}`);
    const forward = (stream: string) => (value: unknown) => process.send?.({ event: stream, value });
    client.events.messages$.subscribe(forward('messages'));
    client.events.networkStatus$.subscribe(forward('networkStatus'));
    client.events.conversationEvents$.subscribe(forward('conversationEvents'));
    client.events.kickedOffline$.subscribe(forward('kickedOffline'));
    client.events.userSigExpired$.subscribe(forward('userSigExpired'));
    client.diagnostics$.subscribe(forward('diagnostics'));
    client.events.receipts$.subscribe(forward('receipts'));
    client.events.revokes$.subscribe(forward('revokes'));
    client.events.uploadProgress$.subscribe(forward('uploadProgress'));
    client.events.messageUpdates$.subscribe(forward('messageUpdates'));
    client.events.groupTips$.subscribe(forward('groupTips'));
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
  /** Any `tim.groups` function: its last emission (undefined when it completes empty). */
  async group(method: string, ...args: unknown[]) {
    const api = need().groups as unknown as Record<string, (...a: unknown[]) => Observable<unknown>>;
    const fn = api[method];
    if (fn === undefined) throw new Error(`no tim.groups.${method}`);
    return lastValueFrom(fn(...args), { defaultValue: undefined });
  },
  /** Any `tim.messages` function: every emission, in order. */
  async messages(method: string, ...args: unknown[]) {
    const api = need().messages as unknown as Record<string, (...a: unknown[]) => Observable<unknown>>;
    const fn = api[method];
    if (fn === undefined) throw new Error(`no tim.messages.${method}`);
    return lastValueFrom(fn(...args).pipe(toArray()));
  },
  /** Any `tim.conversations` function: its last emission (undefined when it completes empty). */
  async conversations(method: string, ...args: unknown[]) {
    const api = need().conversations as unknown as Record<string, (...a: unknown[]) => Observable<unknown>>;
    const fn = api[method];
    if (fn === undefined) throw new Error(`no tim.conversations.${method}`);
    return lastValueFrom(fn(...args), { defaultValue: undefined });
  },
  async dispose() {
    await need().dispose();
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
