/**
 * The emulator's file store: a folder beside the database
 * (`<dbPath>.files/`), one blob per uploaded file, named by a 32-hex id the
 * emulator made. Only the store's own paths are ever opened: the bytes of an
 * upload come from the client library over the wire (transfers.ts), and a
 * download goes back the same way; no path a client names is opened,
 * stat'ed or created here.
 *
 * A stored file is named in messages by its id and by an opaque URL,
 * `tim-rx-emulator://files/<id>` (not a path of the server's filesystem).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Largest file accepted by an upload (Tencent's limit for files and videos is 100 MB). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** The URL of stored file `<id>` is this prefix followed by the id. */
export const FILE_URL_PREFIX = 'tim-rx-emulator://files/';

/** Callback codes of file errors (reference § D.2). */
export const FileErrorCode = {
  /** ERR_SDK_COMM_FILE_NOT_FOUND: the path does not exist (decided by the client library). */
  NOT_FOUND: 7004,
  /** ERR_SDK_COMM_FILE_TOO_LARGE: above MAX_UPLOAD_BYTES. */
  TOO_LARGE: 7005,
  /** ERR_SDK_COMM_FILE_SIZE_EMPTY: a file of 0 bytes. */
  EMPTY: 7006,
  /** ERR_SDK_COMM_FILE_OPEN_FAILED: exists but cannot be read (permissions, not a regular file). */
  OPEN_FAILED: 7007,
  /** ERR_FILE_TRANS_DOWNLOAD_FAILED: no stored file with that id. */
  DOWNLOAD_FAILED: 6009,
  /** ERR_IO_OPERATION_FAILED: reading or writing failed midway (or the client stopped answering); the download target cannot be written. */
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
  /** Opaque URL of the stored file (FILE_URL_PREFIX + id). */
  readonly url: string;
  /** The first bytes of the file (up to HEAD_BYTES), to sniff image dimensions. */
  readonly head: Buffer;
}

/** A stored file opened for reading (a download). */
export interface OpenedFile {
  readonly handle: FileHandle;
  readonly size: number;
}

/** How many first bytes of an upload are kept to sniff its format. */
const HEAD_BYTES = 64 * 1024;
const ID_PATTERN = /^[0-9a-f]{32}$/;

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** An upload being written into the store: chunks in order, then `commit` (or `discard`). */
export class BlobWriter {
  private size = 0;
  private readonly heads: Buffer[] = [];
  private headBytes = 0;

  constructor(
    private readonly out: FileHandle,
    private readonly id: string,
    private readonly temp: string,
    private readonly target: string,
  ) {}

  /** Appends `chunk`; throws FileError 6022 when the store cannot be written. */
  async write(chunk: Buffer): Promise<void> {
    if (this.headBytes < HEAD_BYTES) {
      const part = Buffer.from(chunk.subarray(0, HEAD_BYTES - this.headBytes));
      this.heads.push(part);
      this.headBytes += part.length;
    }
    try {
      await this.out.write(chunk, 0, chunk.length, this.size);
    } catch (e) {
      throw new FileError(FileErrorCode.IO_FAILED, `the file store cannot be written: ${describe(e)}`);
    }
    this.size += chunk.length;
  }

  /** Closes the blob under its id; resolves with what the element gets. */
  async commit(): Promise<StoredFile> {
    await this.out.close();
    await rename(this.temp, this.target);
    return { id: this.id, size: this.size, url: FILE_URL_PREFIX + this.id, head: Buffer.concat(this.heads) };
  }

  /** Drops the partial blob. Never throws. */
  async discard(): Promise<void> {
    await this.out.close().catch(() => undefined);
    await rm(this.temp, { force: true }).catch(() => undefined);
  }
}

export class FileStore {
  readonly dir: string;
  /** Prefix of the `file://` URLs of earlier versions (still accepted by `idOfUrl`). */
  private readonly legacyUrlPrefix: string;

  constructor(dbPath: string) {
    this.dir = resolve(`${dbPath}.files`);
    this.legacyUrlPrefix = pathToFileURL(this.dir).href + '/';
  }

  /** True when `id` has the form of a file id of this store (32 lower-case hex digits). */
  isFileId(id: string): boolean {
    return ID_PATTERN.test(id);
  }

  /** The id a URL of this store names: `tim-rx-emulator://files/<id>` (or an earlier version's `file://` URL of the store). */
  idOfUrl(url: string): string | undefined {
    for (const prefix of [FILE_URL_PREFIX, this.legacyUrlPrefix]) {
      if (url.startsWith(prefix) && ID_PATTERN.test(url.slice(prefix.length))) return url.slice(prefix.length);
    }
    return undefined;
  }

  /** Starts a new blob under a fresh id (its own `.part` file, created exclusively). */
  async create(): Promise<BlobWriter> {
    const id = randomBytes(16).toString('hex');
    const target = join(this.dir, id);
    const temp = `${target}.part`;
    try {
      mkdirSync(this.dir, { recursive: true });
      return new BlobWriter(await open(temp, 'wx'), id, temp, target);
    } catch (e) {
      throw new FileError(FileErrorCode.IO_FAILED, `the file store cannot be written: ${describe(e)}`);
    }
  }

  /** Opens stored file `id` for reading; throws FileError 6009 when there is none. */
  async open(id: string): Promise<OpenedFile> {
    if (!ID_PATTERN.test(id)) throw new FileError(FileErrorCode.DOWNLOAD_FAILED, `no stored file with id "${id}"`);
    let handle: FileHandle;
    try {
      handle = await open(join(this.dir, id), 'r');
    } catch {
      throw new FileError(FileErrorCode.DOWNLOAD_FAILED, `no stored file with id "${id}"`);
    }
    try {
      return { handle, size: (await handle.stat()).size };
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw new FileError(FileErrorCode.IO_FAILED, `stored file ${id} cannot be read: ${describe(e)}`);
    }
  }
}
