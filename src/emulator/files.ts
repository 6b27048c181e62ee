/**
 * The emulator's file store: a folder beside the database
 * (`<dbPath>.files/`), one file per upload, named by its file id.
 *
 * Client and emulator share a filesystem (loopback only): an upload copies
 * the local file an element names into the store, a download copies a
 * stored file to the path the client names. Progress is reported per chunk.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Largest file accepted by an upload (Tencent's limit for files and videos is 100 MB). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** Callback codes of file errors (reference § D.2). */
export const FileErrorCode = {
  /** ERR_SDK_COMM_FILE_NOT_FOUND: the path does not exist. */
  NOT_FOUND: 7004,
  /** ERR_SDK_COMM_FILE_TOO_LARGE: above MAX_UPLOAD_BYTES. */
  TOO_LARGE: 7005,
  /** ERR_SDK_COMM_FILE_SIZE_EMPTY: a file of 0 bytes. */
  EMPTY: 7006,
  /** ERR_SDK_COMM_FILE_OPEN_FAILED: exists but cannot be read (permissions, a directory). */
  OPEN_FAILED: 7007,
  /** ERR_FILE_TRANS_DOWNLOAD_FAILED: no stored file with that id. */
  DOWNLOAD_FAILED: 6009,
  /** ERR_IO_OPERATION_FAILED: reading or writing failed midway; the download target cannot be written. */
  IO_FAILED: 6022,
} as const;

export class FileError extends Error {
  override readonly name = 'FileError';
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface StoredFile {
  readonly id: string;
  readonly size: number;
  /** `file://` URL of the stored copy. */
  readonly url: string;
  /** The first bytes of the file (up to 64 KiB), to sniff image dimensions. */
  readonly head: Buffer;
}

export type Progress = (current: number, total: number) => void;

/** At most this many progress reports per transfer (plus the final one). */
const MAX_REPORTS = 16;
const MIN_CHUNK = 64 * 1024;

const chunkSize = (total: number): number => Math.max(MIN_CHUNK, Math.ceil(total / MAX_REPORTS));
const ID_PATTERN = /^[0-9a-f]{32}$/;

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Maps an error opening a source path to its callback code. */
function openError(path: string, e: unknown): FileError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileError(FileErrorCode.NOT_FOUND, `file not found: ${path}`);
  return new FileError(FileErrorCode.OPEN_FAILED, `cannot open ${path}: ${describe(e)}`);
}

export class FileStore {
  readonly dir: string;

  constructor(dbPath: string) {
    this.dir = resolve(`${dbPath}.files`);
  }

  /** The stored path of file `id`, if `id` is a file id of this store. */
  pathOf(id: string): string | undefined {
    return ID_PATTERN.test(id) ? join(this.dir, id) : undefined;
  }

  /** The id of a `file://` URL of this store, if it is one. */
  idOfUrl(url: string): string | undefined {
    const prefix = pathToFileURL(this.dir).href + '/';
    return url.startsWith(prefix) && ID_PATTERN.test(url.slice(prefix.length)) ? url.slice(prefix.length) : undefined;
  }

  /** Copies the local file `path` into the store, reporting progress; throws FileError. */
  async upload(path: string, progress: Progress): Promise<StoredFile> {
    let src: FileHandle;
    try {
      src = await open(path, 'r');
    } catch (e) {
      throw openError(path, e);
    }
    const id = randomBytes(16).toString('hex');
    const target = join(this.dir, id);
    const temp = `${target}.part`;
    try {
      const info = await src.stat().catch((e: unknown) => {
        throw openError(path, e);
      });
      if (!info.isFile()) throw new FileError(FileErrorCode.OPEN_FAILED, `not a regular file: ${path}`);
      const total = info.size;
      if (total === 0) throw new FileError(FileErrorCode.EMPTY, `file is empty: ${path}`);
      if (total > MAX_UPLOAD_BYTES) {
        throw new FileError(FileErrorCode.TOO_LARGE, `file is ${total} bytes, above the ${MAX_UPLOAD_BYTES}-byte limit: ${path}`);
      }
      mkdirSync(this.dir, { recursive: true });
      const head = await this.copy(src, temp, total, progress, path);
      await rename(temp, target);
      return { id, size: total, url: pathToFileURL(target).href, head };
    } catch (e) {
      await rm(temp, { force: true }).catch(() => undefined);
      if (e instanceof FileError) throw e;
      throw new FileError(FileErrorCode.IO_FAILED, `upload of ${path} failed: ${describe(e)}`);
    } finally {
      await src.close().catch(() => undefined);
    }
  }

  /** Copies stored file `id` to `path`, reporting progress; throws FileError. */
  async download(id: string, path: string, progress: Progress): Promise<number> {
    const stored = this.pathOf(id);
    let src: FileHandle;
    try {
      if (stored === undefined) throw new Error('not a file id');
      src = await open(stored, 'r');
    } catch {
      throw new FileError(FileErrorCode.DOWNLOAD_FAILED, `no stored file with id "${id}"`);
    }
    try {
      const total = (await stat(stored)).size;
      await this.copy(src, path, total, progress, path);
      return total;
    } catch (e) {
      if (e instanceof FileError) throw e;
      throw new FileError(FileErrorCode.IO_FAILED, `cannot write ${path}: ${describe(e)}`);
    } finally {
      await src.close().catch(() => undefined);
    }
  }

  /** Copies `total` bytes of `src` to `target` chunk by chunk; returns the first chunk. */
  private async copy(src: FileHandle, target: string, total: number, progress: Progress, shown: string): Promise<Buffer> {
    let out: FileHandle;
    try {
      out = await open(target, 'w');
    } catch (e) {
      throw new FileError(FileErrorCode.IO_FAILED, `cannot write ${shown}: ${describe(e)}`);
    }
    const buf = Buffer.alloc(Math.min(chunkSize(total), Math.max(total, 1)));
    let head = Buffer.alloc(0);
    try {
      let done = 0;
      while (done < total) {
        const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, total - done), done);
        if (bytesRead === 0) throw new FileError(FileErrorCode.IO_FAILED, `${shown} shrank while being copied`);
        if (done === 0) head = Buffer.from(buf.subarray(0, Math.min(bytesRead, MIN_CHUNK)));
        await out.write(buf, 0, bytesRead);
        done += bytesRead;
        progress(done, total);
      }
    } finally {
      await out.close().catch(() => undefined);
    }
    return head;
  }
}
