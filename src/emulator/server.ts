/**
 * The TCP server: accepts connections, routes their CALLs, and shuts
 * everything down in order (listener, sockets, session timers, database).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Connection, type ConnectionOwner, type Session } from './connection.js';
import { Delivery } from './delivery.js';
import type { FileStore } from './files.js';
import type { EmulatorContext, MessageRules } from './handlers/context.js';
import { handleCall, refuseCall } from './handlers/index.js';
import { ConnectionLimit, type ResourceLimits } from './limits.js';
import type { Logger } from './log.js';
import { Sessions } from './sessions.js';
import type { Store } from './storage/store.js';
import type { StoredMessage } from './storage/store.js';
import { ErrorCode } from './errors.js';
import { TransferRegistry, type TransferLimits } from './transfers.js';
import type { CallFrame, FileFrame } from './wire/codec.js';

export const SERVER_NAME = 'tim-rx emulator';

export interface ServerConfig {
  readonly sdkAppId: number;
  readonly secretKey: string;
  readonly store: Store;
  readonly log: Logger;
  readonly files: FileStore;
  /** Flow control and deadline of file transfers with the clients. */
  readonly transfers: TransferLimits;
  readonly rules: MessageRules;
  readonly limits: ResourceLimits;
}

export class EmulatorServer implements ConnectionOwner {
  readonly serverName = SERVER_NAME;
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private readonly ctx: EmulatorContext;
  private readonly connectionLimit: ConnectionLimit;
  private closing: Promise<void> | undefined;
  private listening = false;

  constructor(private readonly config: ServerConfig) {
    const sessions = new Sessions(config.log);
    this.ctx = {
      store: config.store,
      sessions,
      delivery: new Delivery(config.store, config.log),
      log: config.log,
      sdkAppId: config.sdkAppId,
      secretKey: config.secretKey,
      files: config.files,
      transfers: new TransferRegistry(config.transfers),
      rules: config.rules,
    };
    this.connectionLimit = new ConnectionLimit(config.limits.maxConnections, config.log);
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound address. */
  listen(port: number, host: string): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        this.server.off('listening', onListening);
        reject(e);
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        this.server.on('error', (e) => this.config.log.error(`server error: ${e.message}`));
        this.listening = true;
        const a = this.server.address();
        if (a === null || typeof a === 'string') return reject(new Error('server has no TCP address'));
        resolve({ host: a.address, port: a.port });
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen({ port, host, exclusive: true });
    });
  }

  private accept(socket: Socket): void {
    if (this.closing !== undefined) {
      socket.destroy();
      return;
    }
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    if (!this.connectionLimit.admit(this.connections, remote, (c) => this.connections.delete(c))) {
      socket.destroy();
      return;
    }
    const conn = new Connection(socket, this, this.config.log, this.config.limits);
    this.connections.add(conn);
    this.config.log.debug(`${conn.tag}: connected`);
  }

  onCall(conn: Connection, call: CallFrame): void {
    if (this.closing !== undefined) return;
    handleCall(this.ctx, conn, call);
  }

  onAck(conn: Connection, token: bigint): void {
    if (this.closing !== undefined) return;
    this.ctx.delivery.acknowledge(conn, token);
  }

  onFileFrame(conn: Connection, frame: FileFrame): void {
    if (this.closing !== undefined) return;
    this.ctx.transfers.of(conn).onFrame(frame);
  }

  onRefusedCall(conn: Connection, requestId: number, functionId: number, length: number, limit: number): void {
    if (this.closing !== undefined) return;
    const call = conn.loggedIn ? 'a call' : 'a call before login';
    refuseCall(this.ctx, conn, requestId, functionId, ErrorCode.PACKAGE_SIZE_LIMIT, `${call} may not exceed ${limit} bytes; function ${functionId} had ${length}`);
  }

  writeMessages(conn: Connection, session: Session, messages: readonly StoredMessage[], json: string): void {
    this.ctx.delivery.send(conn, session, messages, json);
  }

  onClose(conn: Connection): void {
    this.connections.delete(conn);
    this.ctx.transfers.abort(conn);
    this.ctx.sessions.logOut(conn);
  }

  /** Stops listening, closes every socket, clears the session timers and closes the database. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const conn of [...this.connections]) {
        this.ctx.sessions.logOut(conn);
        conn.close('server closing');
      }
    }).finally(() => {
      this.config.store.close();
      if (this.listening) this.config.log.info('closed');
    });
    return this.closing;
  }
}
