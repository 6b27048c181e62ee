/**
 * Uploads of the files that elements name (image 1, sound 2, file 4,
 * video 9 and its snapshot) into the file store, and the keys the server
 * fills in afterwards (ids, URLs, sizes; image format and dimensions).
 * The path is the client's: its library reads the file and sends the bytes
 * (transfers.ts); the emulator never opens it.
 *
 * A file part is uploaded when its path key is a non-empty string. Without
 * a path, an element may name a file already in the store by its id (a
 * forwarded element); a video snapshot may be left out. Thumbnail and large
 * image are the original (no resizing): same id, URL and size.
 */
import { basename } from 'node:path';
import { FileError, type FileStore, type StoredFile } from './files.js';

/** Uploads one client file (its path as the element names it) into the store. */
export type UploadFile = (path: string, progress: (current: number, total: number) => void) => Promise<StoredFile>;

/** One file of an element: where its path is and which keys the upload fills. */
interface FilePart {
  readonly path: string;
  readonly id: string;
  readonly url: string;
  readonly size: string;
  /** May be absent altogether (a video without snapshot). */
  readonly optional?: boolean;
}

const PARTS: Readonly<Record<number, readonly FilePart[]>> = {
  1: [{ path: 'image_elem_orig_path', id: 'image_elem_orig_id', url: 'image_elem_orig_url', size: 'image_elem_orig_pic_size' }],
  2: [{ path: 'sound_elem_file_path', id: 'sound_elem_file_id', url: 'sound_elem_url', size: 'sound_elem_file_size' }],
  4: [{ path: 'file_elem_file_path', id: 'file_elem_file_id', url: 'file_elem_url', size: 'file_elem_file_size' }],
  9: [
    { path: 'video_elem_video_path', id: 'video_elem_video_id', url: 'video_elem_video_url', size: 'video_elem_video_size' },
    { path: 'video_elem_image_path', id: 'video_elem_image_id', url: 'video_elem_image_url', size: 'video_elem_image_size', optional: true },
  ],
};

const BUSINESS_ID: Readonly<Record<number, string>> = { 2: 'sound_elem_business_id', 4: 'file_elem_business_id', 9: 'video_elem_business_id' };

/** Element types that carry files. */
export const hasFiles = (elemType: unknown): boolean => typeof elemType === 'number' && PARTS[elemType] !== undefined;

/** An element that cannot be sent as it is (→ 6016). */
export class ElementFileError extends Error {
  override readonly name = 'ElementFileError';
}

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * Uploads the files of element `e` (in place: its keys are filled in).
 * `progress` is called per chunk of each file. Throws FileError (the file's
 * code) or ElementFileError.
 */
export async function uploadElementFiles(
  files: FileStore,
  upload: UploadFile,
  e: Record<string, unknown>,
  index: number,
  progress: (current: number, total: number) => void,
): Promise<void> {
  const type = e['elem_type'] as number;
  for (const part of PARTS[type] ?? []) {
    const path = e[part.path];
    if (nonEmptyString(path)) {
      const stored = await upload(path, progress);
      fill(e, type, part, stored, path);
      continue;
    }
    const id = e[part.id];
    if (nonEmptyString(id)) {
      if (!files.isFileId(id)) throw new ElementFileError(`message_elem_array[${index}].${part.id} "${id}" is not a file of this emulator`);
      continue;
    }
    if (part.optional) continue;
    throw new ElementFileError(`message_elem_array[${index}] needs ${part.path} (a local file to upload) or ${part.id}`);
  }
}

function fill(e: Record<string, unknown>, type: number, part: FilePart, stored: StoredFile, path: string): void {
  e[part.id] = stored.id;
  e[part.url] = stored.url;
  e[part.size] = stored.size;
  const business = BUSINESS_ID[type];
  if (business !== undefined) e[business] = 0;
  if (type === 4 && !nonEmptyString(e['file_elem_file_name'])) e['file_elem_file_name'] = basename(path);
  if (type === 9 && part.optional) {
    const dims = sniffImage(stored.head);
    if (dims && e['video_elem_image_width'] === undefined) e['video_elem_image_width'] = dims.width;
    if (dims && e['video_elem_image_height'] === undefined) e['video_elem_image_height'] = dims.height;
  }
  if (type === 1) {
    const dims = sniffImage(stored.head);
    if (e['image_elem_format'] === undefined) e['image_elem_format'] = dims?.format ?? 255;
    if (e['image_elem_level'] === undefined) e['image_elem_level'] = 0;
    for (const v of ['orig', 'thumb', 'large']) {
      e[`image_elem_${v}_id`] = stored.id;
      e[`image_elem_${v}_url`] = stored.url;
      e[`image_elem_${v}_pic_size`] = stored.size;
      e[`image_elem_${v}_pic_width`] = dims?.width ?? 0;
      e[`image_elem_${v}_pic_height`] = dims?.height ?? 0;
    }
  }
}

/** Image format codes of `image_elem_format` (v8 doc). */
const FORMAT = { jpg: 1, gif: 2, png: 3, bmp: 4 } as const;

/** Format and dimensions from the first bytes of a PNG, GIF, JPEG or BMP file. */
export function sniffImage(b: Buffer): { format: number; width: number; height: number } | undefined {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') {
    return { format: FORMAT.png, width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 10 && b.toString('latin1', 0, 4) === 'GIF8') {
    return { format: FORMAT.gif, width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  }
  if (b.length >= 26 && b.toString('latin1', 0, 2) === 'BM') {
    return { format: FORMAT.bmp, width: b.readInt32LE(18), height: Math.abs(b.readInt32LE(22)) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return sniffJpeg(b);
  return undefined;
}

function sniffJpeg(b: Buffer): { format: number; width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { format: FORMAT.jpg, width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
    i += 2 + b.readUInt16BE(i + 2);
  }
  return { format: FORMAT.jpg, width: 0, height: 0 };
}

export { FileError };
