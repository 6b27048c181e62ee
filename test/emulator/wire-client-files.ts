/**
 * The library's side of file transfers (docs/wire-protocol.md § File
 * transfers) for the raw test client: answers FILE_OPEN / FILE_READ from a
 * FileSource and writes FILE_PUSH to local paths, with libtimlocal's checks.
 */
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { FileFrame, FileOpenFrame, FilePushFrame, FileReadFrame } from '../../src/emulator/wire/codec.js';
import { FrameKind } from '../../src/emulator/wire/constants.js';

/** What the client has at a path: its bytes, a file error code (7004-7007), or `'silent'` (never answer). */
export type FileSource = (path: string) => Buffer | number | 'silent';

const MAX_BYTES = 100 * 1024 * 1024;

/** The client's own filesystem, checked as libtimlocal checks it. */
export const localFiles: FileSource = (path) => {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 7004 : 7007;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return 7007;
    if (st.size === 0) return 7006;
    if (st.size > MAX_BYTES) return 7005;
    return readFileSync(fd);
  } catch {
    return 7007;
  } finally {
    closeSync(fd);
  }
};

/** Serves one connection's file frames; `send` writes a frame to the server. */
export class WireClientFiles {
  private readonly open = new Map<number, Buffer>();
  private readonly targets = new Map<number, number>();
  /** Every FILE_OPEN the server sent (the paths it asked for). */
  readonly opened: FileOpenFrame[] = [];

  constructor(
    private readonly source: FileSource,
    private readonly send: (f: FileFrame) => void,
  ) {}

  onFrame(f: FileFrame): void {
    switch (f.kind) {
      case FrameKind.FileOpen:
        return this.onOpen(f);
      case FrameKind.FileRead:
        return this.onRead(f);
      case FrameKind.FileClose:
        this.open.delete(f.transferId);
        return;
      case FrameKind.FilePush:
        return this.onPush(f);
      default:
        throw new Error(`client received unexpected frame kind ${f.kind}`);
    }
  }

  private onOpen(f: FileOpenFrame): void {
    this.opened.push(f);
    const got = this.source(f.path);
    if (got === 'silent') return;
    if (typeof got === 'number') return this.send({ kind: FrameKind.FileInfo, transferId: f.transferId, code: got, size: 0n });
    this.open.set(f.transferId, got);
    this.send({ kind: FrameKind.FileInfo, transferId: f.transferId, code: 0, size: BigInt(got.length) });
  }

  private onRead(f: FileReadFrame): void {
    const bytes = this.open.get(f.transferId);
    const start = Number(f.offset);
    const data = bytes?.subarray(start, start + f.length);
    if (data === undefined || data.length !== f.length) {
      return this.send({ kind: FrameKind.FileData, transferId: f.transferId, offset: f.offset, code: 6022, data: Buffer.alloc(0) });
    }
    this.send({ kind: FrameKind.FileData, transferId: f.transferId, offset: f.offset, code: 0, data });
  }

  /** Writes a download chunk to the path of call `f.requestId` (`pathOf`), as libtimlocal does. */
  pathOf: (requestId: number) => string | undefined = () => undefined;

  private onPush(f: FilePushFrame): void {
    const written = (code: number, n: bigint): void => this.send({ kind: FrameKind.FileWritten, requestId: f.requestId, code, written: n });
    try {
      let fd = this.targets.get(f.requestId);
      if (fd === undefined) {
        const path = this.pathOf(f.requestId);
        if (path === undefined || f.offset !== 0n) return written(6022, 0n);
        fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NONBLOCK, 0o644);
        this.targets.set(f.requestId, fd);
        if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
        ftruncateSync(fd, 0);
      }
      writeSync(fd, f.data, 0, f.data.length, Number(f.offset));
      const end = f.offset + BigInt(f.data.length);
      if (end === f.total) this.finish(f.requestId);
      written(0, end);
    } catch {
      this.finish(f.requestId);
      written(6022, 0n);
    }
  }

  /** Closes the target of download `requestId`, if open. */
  finish(requestId: number): void {
    const fd = this.targets.get(requestId);
    if (fd !== undefined) closeSync(fd);
    this.targets.delete(requestId);
  }
}
