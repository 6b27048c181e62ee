/**
 * One user of the end-to-end benchmark, in its own process (the C SDK is
 * process-global). Two modes:
 *   timrx  createTimClient → koffi → libtimlocal → emulator;
 *   raw    a bare wire-protocol socket (no koffi, no tim-rx): the ceiling the
 *          emulator allows.
 * Message text: `<tag>|<index>|<send time, ms since the epoch>`; both clocks
 * are the machine's (performance.timeOrigin + performance.now()).
 *
 * IPC ops: start { mode, host, userId, userSig, callbacks? (tim-rx: KoffiBackendOptions.callbacks) }; expect { tag, n } (receiver,
 * resolves when n messages of the tag arrived: { first, last, latencies });
 * flood { tag, to, n, window } and paced { tag, to, rate, seconds } (sender);
 * cpu (this process's user + system CPU time so far, µs).
 */
import net from 'node:net';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { KoffiBackend, createTimClient, type CallbackDelivery, type Message, type TimClient } from '../../src/index.js';
import { arg, decodeFrameBody, encodeFrame, type WireArg } from '../../src/emulator/wire/codec.js';
import { ArgTag, EventId, FrameKind, FunctionId } from '../../src/emulator/wire/constants.js';
import { FrameReader } from '../../src/emulator/wire/frame-reader.js';
import { SDK_APP_ID } from './processes.js';

const now = (): number => performance.timeOrigin + performance.now();

interface Transport {
  send(to: string, text: string): Promise<void>;
  /** Called with each received text and its arrival time. */
  onText: (text: string, at: number) => void;
}

// ---------------------------------------------------------------- tim-rx

async function timrxTransport(host: string, userId: string, userSig: string, callbacks: CallbackDelivery): Promise<Transport & { tim: TimClient }> {
  const tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: host, backend: new KoffiBackend({ callbacks }) });
  const t: Transport & { tim: TimClient } = {
    tim,
    onText: () => undefined,
    send: async (to, text) => {
      await firstValueFrom(tim.messages.send({ type: 'c2c', id: to }, text));
    },
  };
  tim.events.messages$.subscribe((m: Message) => {
    const at = now();
    const e = m.elements[0];
    if (e?.type === 'text') t.onText(e.text, at);
  });
  await lastValueFrom(tim.login(userId, userSig), { defaultValue: undefined });
  return t;
}

// ---------------------------------------------------------------- raw wire

async function rawTransport(host: string, userId: string, userSig: string): Promise<Transport> {
  const i = host.lastIndexOf(':');
  const socket = net.connect({ host: host.slice(0, i), port: Number(host.slice(i + 1)) });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const reader = new FrameReader();
  const replies = new Map<number, (code: number, desc: string) => void>();
  let welcome: (() => void) | undefined;
  let nextId = 1;
  const t: Transport = {
    onText: () => undefined,
    send: (to, text) => call(FunctionId.MsgSendNewMsg, [arg.str(to), arg.i64(1),
      arg.str(JSON.stringify({ message_elem_array: [{ elem_type: 0, text_elem_content: text }] }))]),
  };
  socket.on('data', (chunk: Buffer) => {
    for (const body of reader.push(chunk)) {
      const f = decodeFrameBody(body);
      if (f.kind === FrameKind.Welcome) welcome?.();
      else if (f.kind === FrameKind.Reply) {
        const r = replies.get(f.requestId);
        replies.delete(f.requestId);
        r?.(f.code, f.desc);
      } else if (f.kind === FrameKind.Event && f.eventId === EventId.RecvNewMsg) {
        const at = now();
        const a = f.args[0];
        // Acknowledge it as libtimlocal does (docs/wire-protocol.md, "Acknowledged delivery").
        const token = f.args[1];
        if (token?.tag === ArgTag.Uint64 && token.value !== 0n) socket.write(encodeFrame({ kind: FrameKind.Ack, token: token.value }));
        if (a?.tag !== 1) continue;
        for (const m of JSON.parse(a.value) as { message_elem_array: { text_elem_content?: string }[] }[]) {
          t.onText(m.message_elem_array[0]?.text_elem_content ?? '', at);
        }
      }
    }
  });
  function call(functionId: number, args: readonly WireArg[]): Promise<void> {
    const requestId = nextId++;
    return new Promise((resolve, reject) => {
      replies.set(requestId, (code, desc) => (code === 0 ? resolve() : reject(new Error(`${code} ${desc}`))));
      socket.write(encodeFrame({ kind: FrameKind.Call, requestId, functionId, args }));
    });
  }
  await new Promise<void>((resolve) => {
    welcome = resolve;
    socket.write(encodeFrame({ kind: FrameKind.Hello, protocol: 1, sdkAppId: BigInt(SDK_APP_ID), sdkVersion: 'bench-raw' }));
  });
  await call(FunctionId.Login, [arg.str(userId), arg.str(userSig)]);
  return t;
}

// ---------------------------------------------------------------- ops

let transport: Transport | undefined;
let tim: TimClient | undefined;
interface Expectation { tag: string; n: number; first: number; last: number; latencies: number[]; done: (v: unknown) => void }
let expectation: Expectation | undefined;

function onText(text: string, at: number): void {
  const e = expectation;
  if (!e) return;
  const [tag, , sent] = text.split('|');
  if (tag !== e.tag) return;
  if (e.latencies.length === 0) e.first = at;
  e.last = at;
  e.latencies.push(at - Number(sent));
  if (e.latencies.length === e.n) {
    expectation = undefined;
    e.done({ first: e.first, last: e.last, latencies: e.latencies });
  }
}

type Op = Record<string, unknown> & { id: number; op: string };
const ops: Record<string, (m: Op) => Promise<unknown>> = {
  async start(m) {
    const { mode, host, userId, userSig, callbacks } = m as unknown as {
      mode: 'timrx' | 'raw'; host: string; userId: string; userSig: string; callbacks?: CallbackDelivery;
    };
    if (mode === 'timrx') {
      const t = await timrxTransport(host, userId, userSig, callbacks ?? 'event-loop');
      tim = t.tim;
      transport = t;
    } else {
      transport = await rawTransport(host, userId, userSig);
    }
    transport.onText = onText;
    return null;
  },
  expect(m) {
    return new Promise((done) => {
      expectation = { tag: String(m['tag']), n: Number(m['n']), first: 0, last: 0, latencies: [], done };
    });
  },
  async flood(m) {
    const { tag, to, n, window } = m as unknown as { tag: string; to: string; n: number; window: number };
    let next = 0;
    let failures = 0;
    const start = now();
    const lane = async (): Promise<void> => {
      while (next < n) {
        const i = next++;
        await transport!.send(to, `${tag}|${i}|${now()}`).catch(() => failures++);
      }
    };
    await Promise.all(Array.from({ length: window }, lane));
    return { start, end: now(), failures };
  },
  async paced(m) {
    const { tag, to, rate, seconds } = m as unknown as { tag: string; to: string; rate: number; seconds: number };
    const total = Math.round(rate * seconds);
    const start = now();
    let sent = 0;
    let failures = 0;
    const inFlight: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(total, Math.floor(((now() - start) / 1000) * rate) + 1);
        while (sent < due) {
          const i = sent++;
          inFlight.push(transport!.send(to, `${tag}|${i}|${now()}`).catch(() => void failures++));
        }
        if (sent >= total) {
          clearInterval(tick);
          resolve();
        }
      }, 1);
    });
    await Promise.all(inFlight);
    return { start, end: now(), sent, failures };
  },
  async cpu() {
    const u = process.cpuUsage();
    return u.user + u.system;
  },
  async exit() {
    if (tim) await lastValueFrom(tim.dispose(), { defaultValue: undefined });
    process.exit(0);
  },
};

process.on('message', (m: Op) => {
  const run = ops[m.op];
  if (!run) return void process.send!({ id: m.id, ok: false, error: `unknown op ${m.op}` });
  run(m).then(
    (value) => process.send!({ id: m.id, ok: true, value }),
    (e: unknown) => process.send!({ id: m.id, ok: false, error: String(e) }),
  );
});
process.send!({ ready: true });
