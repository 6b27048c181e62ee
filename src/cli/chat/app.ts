/**
 * `tim-rx chat`: wires a tim-rx client to the view and the terminal. Only
 * tim-rx's public API is used: `tim.state` (connection$, conversations$,
 * totalUnread$, unread(key)), `tim.events.messages$` / `revokes$`,
 * and the commands `login`, `messages.send` / `getList` / `reportRead` /
 * `revoke`.
 */
import { EMPTY, Subject, Subscription, auditTime, catchError, filter, lastValueFrom, merge, timeout, type Observable } from 'rxjs';
import { createTimClient, type TimClient } from '../../client.js';
import type { ConversationKey } from '../../codecs/message.js';
import { sentMessage } from '../../commands/message.js';
import { isTimError } from '../../errors.js';
import { makeUserSig } from '../usersig.js';
import { forkDemoPeer } from './demo-peer.js';
import { describeError as describe, loginFailure } from './login-failure.js';
import {
  handleKey, initialModel, sameKey, shownConversations, withMessages, withNotice, withRevoked, withRevokedLocator, withSendFailed, type ChatModel, type Effect,
} from './model.js';
import { DEMO_PEER, type ChatOptions, type ServerChoice } from './options.js';
import { LocalServer, startFailureLine } from './server.js';
import { Terminal, type TerminalIo } from './terminal.js';
import { renderChat, type ChatView } from './view.js';

export interface ChatRuntime {
  /** The tim-rx CLI script, forked for the `--demo` peer. */
  readonly entry: string;
  readonly terminal: TerminalIo;
  /** Where errors before (and output caught during) the screen go. */
  readonly err: (text: string) => void;
}

/** ERR_SVR_MSG_INVALID_ID: a C2C peer the server does not know. */
const UNKNOWN_PEER = 20003;

/** How many messages a conversation loads when opened. */
const HISTORY_PAGE = 50;

/**
 * Why a send failed. A C2C peer the server does not know (20003) says how it
 * becomes an account: the emulator refuses it only when started with
 * `--unknown-accounts refuse`; Tencent's, until the app's server imports it.
 */
function sendFailure(e: unknown, to: ConversationKey, server: ServerChoice): string {
  if (!isTimError(e, UNKNOWN_PEER) || to.type !== 'c2c') return describe(e);
  return server.kind === 'library'
    ? `"${to.id}" was never imported (${UNKNOWN_PEER}): your server's account_import adds it`
    : `"${to.id}" is unknown here (${UNKNOWN_PEER}); start the emulator with --accounts ${to.id}`;
}

function clock(seconds: number): string {
  if (seconds <= 0) return '--:--';
  const d = new Date(seconds * 1000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Runs the chat until the user quits; resolves with the exit code. */
export async function runChat(o: ChatOptions, rt: ChatRuntime): Promise<number> {
  const { input, output } = rt.terminal;
  if (!input.isTTY || !output.isTTY) {
    rt.err('tim-rx chat: error: needs an interactive terminal (stdin and stdout a TTY). For a scripted run see `tim-rx chat --help` (--demo) or drive it in tmux.');
    return 2;
  }
  const notices = new Subject<{ text: string; kind: 'info' | 'error' }>();

  // The server: the local emulator (joined or started here), a given one, or none (another library).
  let server: LocalServer | undefined;
  let address: string | undefined;
  if (o.server.kind === 'local') {
    server = new LocalServer({
      port: o.server.port, dbPath: o.server.dbPath, sdkAppId: o.sdkAppId, secretKey: o.secret,
      revokeTimeLimitSeconds: o.revokeTimeLimit,
      // The chat's user and peer exist even before either logged in (also under Tencent's rule).
      accounts: [o.user, o.peer],
      log: (level, message) => notices.next({ text: `emulator ${level}: ${message}`, kind: 'error' }),
    });
    try {
      await server.ensure();
    } catch (e) {
      rt.err(startFailureLine(e, o.server.port, o.server.dbPath));
      return 1;
    }
    address = server.address;
  } else if (o.server.kind === 'remote') {
    address = o.server.address;
  }
  /** The header's server: the library, or the emulator and whether it runs in this process (it may take it over later). */
  const serverLabel = (): string => o.server.kind === 'library'
    ? o.server.library
    : `emulator ${server?.address ?? address}${server?.hosted ? ' (here)' : ''}`;

  let tim: TimClient;
  try {
    tim = createTimClient({
      sdkAppId: o.sdkAppId,
      ...(address === undefined ? {} : { emulatorHost: address }),
      ...(o.server.kind === 'library' ? { library: o.server.library } : {}),
    });
  } catch (e) {
    await server?.close();
    rt.err(`tim-rx chat: error: cannot create the client: ${describe(e)}`);
    return 1;
  }

  const demo = o.demo && address !== undefined
    ? forkDemoPeer(rt.entry, { emulator: address, user: DEMO_PEER, peer: o.user, sdkAppId: o.sdkAppId, secret: o.secret })
    : undefined;

  // Output written to stderr while the screen is up would tear it: kept and printed after.
  let caught = '';
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    caught += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stderr.write;

  const terminal = new Terminal(rt.terminal);
  let model: ChatModel = initialModel(o.user, { type: 'c2c', id: o.peer });
  const subscriptions = new Subscription();
  let renderQueued = false;
  let quitting: Promise<number> | undefined;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const view = (): ChatView => ({
    model,
    connection: tim.state.connection,
    conversations: tim.state.conversations.toArray(),
    unread: (key) => tim.state.unread(key),
    totalUnread: tim.state.totalUnread,
    server: serverLabel(),
    formatTime: clock,
  });
  const render = (): void => {
    if (renderQueued) return;
    renderQueued = true;
    setImmediate(() => {
      renderQueued = false;
      terminal.paint(renderChat(view(), terminal.size));
    });
  };
  const update = (next: ChatModel): void => {
    model = next;
    render();
  };
  const notify = (text: string, kind: 'info' | 'error' = 'info'): void => update(withNotice(model, text, kind));
  /** Subscribes to a command; errors become a notice (the line `explain` gives). */
  const run = <T>(command: Observable<T>, next: (value: T) => void, complete?: () => void, explain = describe): void => {
    keep(command.pipe(catchError((e: unknown) => {
      notify(explain(e), 'error');
      return EMPTY;
    })).subscribe({ next, complete }));
  };
  /** Holds a command's subscription until it ends (quitting unsubscribes what is still running). */
  const keep = (s: Subscription): void => {
    if (s.closed) return;
    subscriptions.add(s);
    s.add(() => subscriptions.remove(s));
  };

  // History is best effort: a refusal by the server (say, a user who never logged in: 20003) leaves the live messages.
  const loadHistory = (key: ConversationKey): void =>
    keep(tim.messages.getList(key, { count: HISTORY_PAGE }).pipe(catchError((e: unknown) => {
      if (!isTimError(e) || e.kind !== 'async') notify(describe(e), 'error');
      return EMPTY;
    })).subscribe((page) => update(withMessages(model, key, page))));
  const reportRead = (key: ConversationKey): void =>
    keep(tim.messages.reportRead(key).pipe(catchError(() => EMPTY)).subscribe());
  const login = (): void => {
    const sig = o.userSig ?? makeUserSig(o.sdkAppId, o.secret, o.user);
    run(tim.login(o.user, sig), () => undefined, () => {
      if (model.open !== undefined) {
        loadHistory(model.open);
        reportRead(model.open);
      }
    }, (e) => loginFailure(e, o));
  };

  const perform = (effect: Effect): void => {
    switch (effect.kind) {
      case 'send':
        // A failed send puts the text back on the compose line.
        keep(tim.messages.send(effect.to, effect.text).pipe(sentMessage()).subscribe({
          next: (m) => update(withMessages(model, effect.to, [m])),
          error: (e: unknown) => update(withSendFailed(model, effect.to, effect.text, sendFailure(e, effect.to, o.server))),
        }));
        return;
      case 'open':
        loadHistory(effect.key);
        reportRead(effect.key);
        return;
      case 'revoke':
        run(tim.messages.revoke(effect.conversation, effect.message), () => undefined, () => {
          update(withNotice(withRevoked(model, effect.conversation, effect.message, o.user), 'message revoked'));
        });
        return;
      case 'login':
        login();
        return;
      case 'quit':
        void quit();
        return;
    }
  };

  const quit = (): Promise<number> => {
    quitting ??= (async () => {
      subscriptions.unsubscribe();
      terminal.close();
      process.stderr.write = stderrWrite;
      if (caught.length > 0) rt.err(caught.trimEnd());
      await lastValueFrom(tim.dispose().pipe(timeout(3000)), { defaultValue: undefined })
        .catch((e: unknown) => rt.err(`tim-rx chat: warning: the client did not dispose cleanly: ${describe(e)}`));
      if (demo !== undefined && demo.child.exitCode === null) {
        const exited = new Promise((resolve) => demo.child.once('exit', resolve));
        demo.child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
        if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
      }
      await server?.close();
      finish(0);
      return 0;
    })();
    return quitting;
  };

  // Keys and the terminal.
  terminal.open((key) => {
    const step = handleKey(model, key, shownConversations(tim.state.conversations.toArray(), model.open));
    update(step.model);
    for (const effect of step.effects) perform(effect);
  }, render);
  const onSignal = (): void => void quit();
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  // Whatever ends the process (even an exception), the terminal is given back as it was (TTY writes are synchronous).
  const onExit = (): void => terminal.close();
  process.once('exit', onExit);

  // State and events.
  subscriptions.add(merge(tim.state.connection$, tim.state.conversations$, tim.state.totalUnread$).subscribe(render));
  subscriptions.add(notices.subscribe((n) => notify(n.text, n.kind)));
  subscriptions.add(tim.events.messages$.subscribe((m) => {
    update(withMessages(model, m.conversation, [m]));
    if (sameKey(m.conversation, model.open)) reportRead(m.conversation);
  }));
  // A revoke, by either side: the message stays, shown as revoked.
  subscriptions.add(tim.events.revokes$.subscribe((locator) => update(withRevokedLocator(model, locator))));
  // The process hosting the local emulator quit: the first to notice starts it again (same port and database).
  if (server !== undefined && o.server.kind === 'local' && o.server.port !== 0) {
    const local = server;
    subscriptions.add(tim.state.connection$.pipe(filter((s) => s.status === 'disconnected'), auditTime(300 + Math.floor(Math.random() * 500)))
      .subscribe(() => {
        local.ensure().then(() => render(), (e: unknown) => notify(`cannot restart the emulator: ${describe(e)}`, 'error'));
      }));
  }
  if (demo !== undefined) {
    demo.child.once('exit', (code) => {
      if (quitting === undefined) notify(`the demo peer stopped (exit ${code}): ${demo.stderr().trim().split('\n').pop() ?? ''}`, 'error');
    });
  }

  login();
  render();
  const code = await finished;
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  process.off('exit', onExit);
  return code;
}
