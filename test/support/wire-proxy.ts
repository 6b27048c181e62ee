/**
 * A loopback TCP proxy between libtimlocal and the emulator that reads the
 * frames going through it: it counts the EVENT 1 frames (and messages) the
 * server sends, can swallow the client's ACK frames (as if the client died
 * before they left), can cut every connection (the library reconnects
 * through it and RESUMEs), and can refuse new ones for a while (the library
 * stays disconnected, retrying).
 */
import net from 'node:net';
import { decodeFrameBody } from '../../src/emulator/wire/codec.js';
import { ArgTag, EventId, FrameKind } from '../../src/emulator/wire/constants.js';
import { FrameReader } from '../../src/emulator/wire/frame-reader.js';

const withLength = (body: Buffer): Buffer => {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
};

export class WireProxy {
  /** While true, ACK frames from clients are dropped. */
  dropAcks = false;
  /** While true, new client connections are closed at once (the library's attempts fail). */
  refuse = false;
  /** JSON arrays of the EVENT 1 frames sent by the server, in order. */
  readonly newMessageEvents: string[] = [];
  /** The delivery token of the last EVENT 1 sent by the server (0: none, or online-only). */
  lastNewMessageToken = 0n;
  /** ACK frames passed on / dropped, and the highest token dropped (ACKs are cumulative). */
  acksPassed = 0;
  acksDropped = 0;
  highestAckDropped = 0n;
  /** Client connections accepted so far. */
  accepted = 0;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();

  private constructor(private readonly server: net.Server, readonly address: string) {}

  static async start(target: string): Promise<WireProxy> {
    const i = target.lastIndexOf(':');
    const [host, port] = [target.slice(0, i), Number(target.slice(i + 1))];
    let proxy: WireProxy | undefined;
    const server = net.createServer((client) => proxy?.accept(client, host, port));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new WireProxy(server, `127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    return proxy;
  }

  private accept(client: net.Socket, host: string, port: number): void {
    if (this.refuse) {
      client.destroy();
      return;
    }
    this.accepted++;
    const upstream = net.connect({ host, port });
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of pair) {
      s.setNoDelay(true);
      s.on('error', end);
      s.on('close', end);
    }
    const fromClient = new FrameReader();
    client.on('data', (chunk: Buffer) => {
      for (const body of fromClient.push(chunk)) {
        if (body[0] === FrameKind.Ack) {
          if (this.dropAcks) {
            this.acksDropped++;
            const f = decodeFrameBody(body);
            if (f.kind === FrameKind.Ack && f.token > this.highestAckDropped) this.highestAckDropped = f.token;
            continue;
          }
          this.acksPassed++;
        }
        upstream.write(withLength(body));
      }
    });
    const fromServer = new FrameReader();
    upstream.on('data', (chunk: Buffer) => {
      for (const body of fromServer.push(chunk)) {
        const f = decodeFrameBody(body);
        if (f.kind === FrameKind.Event && f.eventId === EventId.RecvNewMsg && f.args[0]?.tag === ArgTag.String) {
          this.newMessageEvents.push(f.args[0].value);
          const token = f.args[1];
          if (token?.tag === ArgTag.Uint64 && token.value !== 0n) this.lastNewMessageToken = token.value;
        }
        client.write(withLength(body));
      }
    });
  }

  /** Closes every proxied connection (both sides). */
  cut(): void {
    for (const [a, b] of [...this.pairs]) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
