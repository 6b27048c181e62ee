/**
 * Faults: the emulator (CLI, own process) is killed with SIGKILL and
 * restarted on the same port and database 5 times while a tim-rx client
 * (this process) sends a run of C2C messages, 8 in flight, to a receiver in
 * a third process. Each message is sent once, never retried.
 * Checked: every message acknowledged to the sender is in the database
 * exactly once, with the acknowledged seq; no message is there twice; the
 * sender's connection state returns to `connected` after each kill, and so
 * does the receiver's network status (before the next step uses it); the
 * receiver's conversation counts every stored message, and its messages$
 * delivers every stored message exactly once (acknowledged delivery:
 * what a kill cut off before the receiver's ACK comes again after its
 * library resumes, and messages$ drops the repeat).
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { filter, firstValueFrom, lastValueFrom, skip, skipWhile, timeout } from 'rxjs';
import { createTimClient, isTimError, type Conversation, type Message, type NetworkStatusEvent, type TimClient } from '../../src/index.js';
import type { ConnectionState } from '../../src/streams/connection.js';
import { EmulatorProcess, scratchDir } from '../support/emulator.js';
import { Peer } from '../support/peer.js';
import { SDK_APP_ID, userSig } from '../support/usersig.js';
import { scaled } from './scale.js';

const MESSAGES = scaled(600, 10_000);
const KILLS = 5;
const WINDOW = 8;
const SENDER = 'fault-alice';
const RECEIVER = 'fault-bob';

const textOf = (m: Message): string => m.elements.map((e) => (e.type === 'text' ? e.text : '')).join('');

describe('reliability: SIGKILL and restart of the emulator during a send run', function () {
  this.timeout(scaled(120_000, 900_000));
  const dir = scratchDir('tim-rx-faults-');
  const db = `${dir.path}/faults.db`;
  let emulator: EmulatorProcess | undefined;
  let tim: TimClient | undefined;
  let receiver: Peer | undefined;

  after(async () => {
    if (tim) await lastValueFrom(tim.dispose(), { defaultValue: undefined });
    await receiver?.stop();
    await emulator?.stop('SIGTERM');
    dir.dispose();
  });

  it(`loses no acknowledged message and stores none twice across ${KILLS} kills (${MESSAGES} messages)`, async () => {
    emulator = await EmulatorProcess.start(db);
    receiver = await Peer.start();
    await receiver.call('create', { sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    await receiver.call('login', RECEIVER, userSig(RECEIVER));
    const delivered = new Map<string, number>();
    receiver.stream<Message>('messages').subscribe((m) => delivered.set(textOf(m), (delivered.get(textOf(m)) ?? 0) + 1));
    const receiverStatuses = receiver.stream<NetworkStatusEvent>('networkStatus');
    let receiverReported = 0;
    receiverStatuses.subscribe(() => receiverReported++);
    /** The receiver's library is back: it reported losing the connection after its first `since` statuses, then `connected`. */
    const receiverBack = (since: number) => firstValueFrom(receiverStatuses.pipe(
      skip(since), skipWhile((e) => e.status === 'connected'), filter((e) => e.status === 'connected'), timeout(30_000)));

    const client = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    tim = client;
    const states: ConnectionState['status'][] = [];
    client.state.connection$.subscribe((s) => states.push(s.status));
    await lastValueFrom(client.login(SENDER, userSig(SENDER)), { defaultValue: undefined });
    const connected = (ms = 30_000) => firstValueFrom(client.state.connection$.pipe(filter((s) => s.status === 'connected'), timeout(ms)));

    const acked = new Map<string, bigint>();
    const failures = new Map<number, number>();
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < MESSAGES) {
        if (client.state.connection.status !== 'connected') await connected();
        const i = next++;
        const text = `fault-${i}`;
        try {
          const e = await firstValueFrom(client.messages.send({ type: 'c2c', id: RECEIVER }, text));
          acked.set(text, e.message.seq);
        } catch (err) {
          if (!isTimError(err) || err.kind !== 'async') throw err;
          failures.set(err.code, (failures.get(err.code) ?? 0) + 1);
        }
      }
    };
    /** The same port (the library reconnects to it), retried briefly in case the port is not free yet. */
    const restart = async (port: number): Promise<EmulatorProcess> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await EmulatorProcess.start(db, port);
        } catch (e) {
          if (attempt >= 5) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    // Both libraries reconnect on their own backoff (100 ms doubling to 2 s), so after a restart the
    // receiver may come back well after the sender: each kill waits for both, or a call the receiver
    // makes next (the list below, after the last kill) can meet its library still offline (6200).
    const killer = async (): Promise<number> => {
      let reconnects = 0;
      for (let k = 1; k <= KILLS; k++) {
        while (acked.size < (MESSAGES * k) / (KILLS + 1)) await new Promise((r) => setTimeout(r, 2));
        const port = emulator!.port;
        const receiverBefore = receiverReported;
        await emulator!.stop('SIGKILL');
        await firstValueFrom(client.state.connection$.pipe(filter((s) => s.status === 'disconnected'), timeout(10_000)));
        emulator = await restart(port);
        await Promise.all([connected(), receiverBack(receiverBefore)]);
        reconnects++;
      }
      return reconnects;
    };
    const [reconnects] = await Promise.all([killer(), ...Array.from({ length: WINDOW }, lane)]);
    expect(reconnects).to.equal(KILLS);
    expect(client.state.connection.status).to.equal('connected');
    const cameBack = states.filter((s, i) => s === 'connected' && states.slice(0, i).includes('disconnected')).length;
    expect(cameBack, `connection states: ${states.join(' → ')}`).to.be.at.least(KILLS);
    // Only network failures are acceptable (6200 not connected, 6201 lost while pending, 9508/9511-like codes).
    for (const code of failures.keys()) expect([6200, 6201, 6014, 7009], `failure code ${code}`).to.include(code);
    expect(acked.size, `failures by code: ${JSON.stringify([...failures])}`).to.be.greaterThan(MESSAGES * 0.5);

    // The database: every acknowledged message once, with its seq; nothing twice.
    const rows = (() => {
      const sqlite = new Database(db, { readonly: true, fileMustExist: true });
      try {
        return sqlite.prepare('SELECT seq, elems FROM messages WHERE sender = ? AND receiver = ? ORDER BY seq').all(SENDER, RECEIVER) as { seq: number; elems: string }[];
      } finally {
        sqlite.close();
      }
    })();
    const stored = new Map<string, number[]>();
    for (const r of rows) {
      const t = (JSON.parse(r.elems) as { text_elem_content: string }[])[0]!.text_elem_content;
      stored.set(t, [...(stored.get(t) ?? []), r.seq]);
    }
    const twice = [...stored].filter(([, seqs]) => seqs.length > 1);
    expect(twice, 'stored twice').to.deep.equal([]);
    const missing = [...acked.keys()].filter((t) => !stored.has(t));
    expect(missing, 'acknowledged but not stored').to.deep.equal([]);
    for (const [t, seq] of acked) expect(BigInt(stored.get(t)![0]!), t).to.equal(seq);
    expect(rows.map((r) => r.seq)).to.deep.equal(rows.map((_, i) => i + 1));

    // The receiver (resumed by its library after each restart) counts every stored message, and its
    // messages$ delivers each one exactly once: live, or again after a resume when its ACK was lost in a kill.
    const list = await receiver.call<readonly Conversation[]>('list');
    const conv = list.find((c) => c.key.id === SENDER);
    expect(conv?.unreadCount).to.equal(rows.length);
    const deadline = Date.now() + 15_000;
    while (delivered.size < stored.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect([...stored.keys()].filter((t) => !delivered.has(t)), 'stored but never delivered').to.deep.equal([]);
    expect([...delivered].filter(([, n]) => n > 1), 'delivered twice').to.deep.equal([]);
    console.log(`      ${acked.size} acknowledged, ${rows.length} stored and delivered once each, failures ${JSON.stringify(Object.fromEntries(failures))}`);
  });
});
