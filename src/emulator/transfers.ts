/**
 * File transfers with the client library of one connection
 * (docs/wire-protocol.md § File transfers). The emulator never opens a path a
 * client names: for an upload it asks the library to open the path (FILE_OPEN)
 * and pulls the bytes chunk by chunk (FILE_READ → FILE_DATA) into its own
 * store; a download pushes the stored bytes (FILE_PUSH), which the library
 * writes and acknowledges (FILE_WRITTEN).
 *
 * Bounds: at most `window` chunks of `chunkBytes` are asked for or pushed
 * and not yet answered per transfer (and the calls of a connection are
 * answered one after the other, so one transfer runs per connection); a
 * push waits while the socket's write buffer is over its high-water mark;
 * a client that sends nothing for `timeoutMs` while the server waits fails
 * its own call (6022). A FILE_DATA or FILE_WRITTEN that does not answer what
 * was asked is a protocol violation: that connection is closed.
 */
import type { FileDataFrame, FileFrame, FileInfoFrame, FileWrittenFrame } from './wire/codec.js';
import { FrameKind, MAX_FILE_CHUNK } from './wire/constants.js';
import { FileError, FileErrorCode, MAX_UPLOAD_BYTES, type FileStore, type OpenedFile, type StoredFile } from './files.js';
import { Inbox } from './inbox.js';

/** Flow control and deadline of file transfers (EmulatorOptions.fileTransfer). */
export interface TransferLimits {
  /** Bytes per FILE_READ / FILE_PUSH (1..1 MiB). Default 256 KiB. */
  readonly chunkBytes: number;
  /** Chunks in flight per transfer. Default 4. */
  readonly window: number;
  /** How long the server waits for the client's next answer before failing the call with 6022, in ms. Default 30 000. */
  readonly timeoutMs: number;
}

export const DEFAULT_TRANSFER_LIMITS: TransferLimits = { chunkBytes: 256 * 1024, window: 4, timeoutMs: 30_000 };

/** What a transfer needs of its connection (connection.ts). */
export interface TransferLink {
  readonly tag: string;
  readonly closed: boolean;
  /** True while the socket's write buffer is over its high-water mark. */
  readonly congested: boolean;
  onDrain(fn: () => void): void;
  sendFileFrame(frame: FileFrame): boolean;
  /** Closes the connection for a protocol violation. */
  violation(reason: string): void;
}

export type Progress = (current: number, total: number) => void;

/** At most this many progress reports per transfer (plus the final one). */
const MAX_REPORTS = 16;
const MIN_REPORT_STEP = 64 * 1024;

/** Calls `progress` when `done` crossed the next of about MAX_REPORTS steps, and at `total`. */
function reporter(total: number, progress: Progress): (done: number) => void {
  const step = Math.max(MIN_REPORT_STEP, Math.ceil(total / MAX_REPORTS));
  let next = Math.min(step, total);
  return (done) => {
    if (done < next) return;
    progress(done, total);
    next = Math.min(total, (Math.floor(done / step) + 1) * step);
    if (done >= total) next = Infinity;
  };
}

const FILE_CODES: ReadonlySet<number> = new Set([FileErrorCode.NOT_FOUND, FileErrorCode.TOO_LARGE, FileErrorCode.EMPTY, FileErrorCode.OPEN_FAILED]);

const CODE_TEXT: Readonly<Record<number, string>> = {
  [FileErrorCode.NOT_FOUND]: 'file not found',
  [FileErrorCode.TOO_LARGE]: `file is above the ${MAX_UPLOAD_BYTES}-byte limit`,
  [FileErrorCode.EMPTY]: 'file is empty',
  [FileErrorCode.OPEN_FAILED]: 'cannot open (unreadable, or not a regular file)',
};

/** An upload being pulled: the reads asked for and not answered yet, in order. */
interface Pull {
  readonly inbox: Inbox<FileInfoFrame | FileDataFrame>;
  info: boolean;
  readonly asked: Array<{ offset: bigint; length: number }>;
}

/** A download being pushed: bytes sent and acknowledged as written. */
interface Push {
  readonly inbox: Inbox<FileWrittenFrame>;
  sent: number;
  written: number;
}

export class ClientFiles {
  private nextTransferId = 1;
  private readonly pulls = new Map<number, Pull>();
  private readonly pushes = new Map<number, Push>();

  constructor(
    private readonly link: TransferLink,
    private readonly limits: TransferLimits,
  ) {}

  /**
   * Uploads the client's file `path` (for its call `requestId`) into `store`,
   * reporting the bytes received. Throws FileError: the library's code
   * (7004-7007), 7005 / 7006 by the server's own bounds, 6022 when the client
   * fails or stops answering, or the connection closes.
   */
  async upload(requestId: number, path: string, store: FileStore, progress: Progress): Promise<StoredFile> {
    this.checkOpen();
    const id = this.nextTransferId++;
    const pull: Pull = { inbox: new Inbox(this.timeoutError()), info: false, asked: [] };
    this.pulls.set(id, pull);
    try {
      this.link.sendFileFrame({ kind: FrameKind.FileOpen, transferId: id, requestId, path });
      const info = (await pull.inbox.take(this.limits.timeoutMs)) as FileInfoFrame;
      const total = this.checkInfo(info, path);
      const blob = await store.create();
      try {
        await this.pullBytes(id, pull, total, blob.write.bind(blob), reporter(total, progress));
        return await blob.commit();
      } catch (e) {
        await blob.discard();
        throw e;
      }
    } finally {
      this.pulls.delete(id);
      if (!this.link.closed) this.link.sendFileFrame({ kind: FrameKind.FileClose, transferId: id });
    }
  }

  private checkInfo(info: FileInfoFrame, path: string): number {
    if (info.code !== 0) {
      const code = FILE_CODES.has(info.code) ? info.code : FileErrorCode.OPEN_FAILED;
      throw new FileError(code, `${CODE_TEXT[code]}: ${path}`);
    }
    if (info.size === 0n) throw new FileError(FileErrorCode.EMPTY, `file is empty: ${path}`);
    if (info.size > BigInt(MAX_UPLOAD_BYTES)) {
      throw new FileError(FileErrorCode.TOO_LARGE, `file is ${info.size} bytes, above the ${MAX_UPLOAD_BYTES}-byte limit: ${path}`);
    }
    return Number(info.size);
  }

  private async pullBytes(id: number, pull: Pull, total: number, write: (b: Buffer) => Promise<void>, report: (done: number) => void): Promise<void> {
    const chunk = this.limits.chunkBytes;
    let requested = 0;
    let received = 0;
    const ask = (): void => {
      while (requested < total && requested - received < this.limits.window * chunk) {
        const length = Math.min(chunk, total - requested);
        pull.asked.push({ offset: BigInt(requested), length });
        this.link.sendFileFrame({ kind: FrameKind.FileRead, transferId: id, offset: BigInt(requested), length });
        requested += length;
      }
    };
    ask();
    while (received < total) {
      const data = (await pull.inbox.take(this.limits.timeoutMs)) as FileDataFrame;
      if (data.code !== 0) throw new FileError(FileErrorCode.IO_FAILED, `the client could not read its file (code ${data.code})`);
      await write(data.data);
      received += data.data.length;
      report(received);
      ask();
    }
  }

  /**
   * Pushes stored file `file` to the client for its call `requestId` (the
   * library writes it to the path of that call), reporting the bytes the
   * library wrote. Throws FileError 6022 (`target` in its message) when the
   * library cannot write, stops answering, or the connection closes.
   */
  async download(requestId: number, file: OpenedFile, target: string, progress: Progress): Promise<void> {
    this.checkOpen();
    if (this.pushes.has(requestId)) throw new FileError(FileErrorCode.IO_FAILED, `request ${requestId} already downloads`);
    const push: Push = { inbox: new Inbox(this.timeoutError()), sent: 0, written: 0 };
    this.pushes.set(requestId, push);
    const total = file.size;
    const report = reporter(total, progress);
    const buf = Buffer.allocUnsafe(Math.min(this.limits.chunkBytes, Math.max(total, 1)));
    try {
      let first = true;
      while (push.written < total || first) {
        while ((push.sent < total || first) && push.sent - push.written < this.limits.window * buf.length) {
          if (this.link.congested) await new Promise<void>((resolve) => this.link.onDrain(resolve));
          this.checkOpen();
          const { bytesRead } = await file.handle.read(buf, 0, Math.min(buf.length, total - push.sent), push.sent);
          if (bytesRead === 0 && push.sent < total) throw new FileError(FileErrorCode.IO_FAILED, 'stored file shrank while being sent');
          this.link.sendFileFrame({ kind: FrameKind.FilePush, requestId, offset: BigInt(push.sent), total: BigInt(total), data: buf.subarray(0, bytesRead) });
          push.sent += bytesRead;
          first = false;
        }
        const w = await push.inbox.take(this.limits.timeoutMs);
        if (w.code !== 0) throw new FileError(FileErrorCode.IO_FAILED, `cannot write ${target} (client code ${w.code})`);
        push.written = Number(w.written);
        report(push.written);
        if (total === 0) break;
      }
    } finally {
      this.pushes.delete(requestId);
    }
  }

  /** A file frame from the client; checks it answers what was asked (else: protocol violation). */
  onFrame(frame: FileFrame): void {
    switch (frame.kind) {
      case FrameKind.FileInfo:
      case FrameKind.FileData:
        return this.onPullFrame(frame);
      case FrameKind.FileWritten:
        return this.onWritten(frame);
      default:
        return this.link.violation(`frame kind ${frame.kind} is sent by the server only`);
    }
  }

  private onPullFrame(frame: FileInfoFrame | FileDataFrame): void {
    const pull = this.pulls.get(frame.transferId);
    if (pull === undefined) {
      // Answers to a transfer that ended (failed, timed out) are dropped; ids never issued are a violation.
      if (frame.transferId === 0 || frame.transferId >= this.nextTransferId) this.link.violation(`no file transfer ${frame.transferId}`);
      return;
    }
    const bad = this.misfit(pull, frame);
    if (bad !== undefined) {
      pull.inbox.fail(new FileError(FileErrorCode.IO_FAILED, `protocol violation: ${bad}`));
      return this.link.violation(`file transfer ${frame.transferId}: ${bad}`);
    }
    pull.inbox.put(frame);
  }

  /** Why `frame` does not answer what `pull` asked, if it does not. */
  private misfit(pull: Pull, frame: FileInfoFrame | FileDataFrame): string | undefined {
    if (frame.kind === FrameKind.FileInfo) {
      if (pull.info) return 'a second FILE_INFO';
      pull.info = true;
      return undefined;
    }
    const asked = pull.asked.shift();
    if (asked === undefined) return 'FILE_DATA that was not asked for';
    if (frame.offset !== asked.offset) return `FILE_DATA at offset ${frame.offset}, asked for ${asked.offset}`;
    const expected = frame.code === 0 ? asked.length : 0;
    if (frame.data.length !== expected) return `FILE_DATA of ${frame.data.length} bytes, asked for ${expected}`;
    return undefined;
  }

  private onWritten(frame: FileWrittenFrame): void {
    const push = this.pushes.get(frame.requestId);
    if (push === undefined) return; // a download that ended: dropped
    if (frame.code === 0 && (frame.written < BigInt(push.written) || frame.written > BigInt(push.sent))) {
      push.inbox.fail(new FileError(FileErrorCode.IO_FAILED, 'protocol violation: bad FILE_WRITTEN'));
      return this.link.violation(`FILE_WRITTEN of ${frame.written} bytes for request ${frame.requestId}; ${push.written}..${push.sent} expected`);
    }
    push.inbox.put(frame);
  }

  /** The connection closed: every transfer fails (6022). */
  abort(): void {
    for (const p of this.pulls.values()) p.inbox.fail(closedError());
    for (const p of this.pushes.values()) p.inbox.fail(closedError());
  }

  /** A call queued behind others may start after its connection closed: it fails at once. */
  private checkOpen(): void {
    if (this.link.closed) throw closedError();
  }

  private timeoutError(): () => FileError {
    return () => new FileError(FileErrorCode.IO_FAILED, `the client sent no answer for ${this.limits.timeoutMs} ms during a file transfer`);
  }
}

const closedError = (): FileError => new FileError(FileErrorCode.IO_FAILED, 'connection closed during the file transfer');

/** Checks `limits`; returns a message for the first bad field. */
export function checkTransferLimits(limits: TransferLimits): string | undefined {
  const { chunkBytes, window, timeoutMs } = limits;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_FILE_CHUNK) return `chunkBytes must be an integer in 1..${MAX_FILE_CHUNK}, got ${chunkBytes}`;
  if (!Number.isSafeInteger(window) || window < 1 || window > 64) return `window must be an integer in 1..64, got ${window}`;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) return `timeoutMs must be a positive integer, got ${timeoutMs}`;
  return undefined;
}

/** The ClientFiles of each connection, made on first use. */
export class TransferRegistry {
  private readonly byLink = new WeakMap<TransferLink, ClientFiles>();

  constructor(readonly limits: TransferLimits) {}

  of(link: TransferLink): ClientFiles {
    let files = this.byLink.get(link);
    if (files === undefined) {
      files = new ClientFiles(link, this.limits);
      this.byLink.set(link, files);
    }
    return files;
  }

  /** `link` closed: its transfers fail. */
  abort(link: TransferLink): void {
    this.byLink.get(link)?.abort();
    this.byLink.delete(link);
  }
}
