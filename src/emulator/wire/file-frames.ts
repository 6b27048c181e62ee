/**
 * The file-transfer frames of docs/wire-protocol.md § File transfers (kinds
 * 7-13); codec.ts encodes and decodes them with the other frames.
 */
import type { FrameKind } from './constants.js';

/** Server → client: open `path` (named by the call `requestId`) for reading, as transfer `transferId`. */
export interface FileOpenFrame {
  readonly kind: typeof FrameKind.FileOpen;
  readonly transferId: number;
  readonly requestId: number;
  readonly path: string;
}
/** Client → server: code 0 and the file's size, or a file error code (7004-7007) and size 0. */
export interface FileInfoFrame {
  readonly kind: typeof FrameKind.FileInfo;
  readonly transferId: number;
  readonly code: number;
  readonly size: bigint;
}
/** Server → client: send `length` bytes of the transfer's file from `offset`. */
export interface FileReadFrame {
  readonly kind: typeof FrameKind.FileRead;
  readonly transferId: number;
  readonly offset: bigint;
  readonly length: number;
}
/** Client → server: the bytes of a FILE_READ from `offset` (code 0), or a read error (code 6022, no data). */
export interface FileDataFrame {
  readonly kind: typeof FrameKind.FileData;
  readonly transferId: number;
  readonly offset: bigint;
  readonly code: number;
  readonly data: Buffer;
}
/** Server → client: transfer `transferId` is over; the library closes its file. */
export interface FileCloseFrame {
  readonly kind: typeof FrameKind.FileClose;
  readonly transferId: number;
}
/** Server → client: bytes `offset`.. of the download answering call `requestId`, of `total` bytes. */
export interface FilePushFrame {
  readonly kind: typeof FrameKind.FilePush;
  readonly requestId: number;
  readonly offset: bigint;
  readonly total: bigint;
  readonly data: Buffer;
}
/** Client → server: `written` bytes of download `requestId` are in its target (code 0), or it cannot be written (6022). */
export interface FileWrittenFrame {
  readonly kind: typeof FrameKind.FileWritten;
  readonly requestId: number;
  readonly code: number;
  readonly written: bigint;
}
/** Frames of a file transfer (docs/wire-protocol.md § File transfers). */
export type FileFrame = FileOpenFrame | FileInfoFrame | FileReadFrame | FileDataFrame | FileCloseFrame | FilePushFrame | FileWrittenFrame;
