import type { Observable, Subscription } from 'rxjs';
import { isRight } from 'fp-ts/lib/Either.js';
import type { NativeEventMap } from '../backend/types.js';
import { decodeJson } from '../codecs/decode.js';
import type { Element } from '../codecs/elements.js';
import { Message } from '../codecs/message.js';

/** One upload progress report of a message being sent by `sendMessage`. */
export interface UploadProgressEvent {
  readonly type: 'progress';
  /** Index of the element in the message's elements. */
  readonly index: number;
  readonly current: number;
  readonly total: number;
}

interface Entry {
  readonly elements: readonly Element[];
  readonly emit: (e: UploadProgressEvent) => void;
}

/** The local files an element uploads (image, sound, file; a video and its snapshot); undefined for the others. */
function localPaths(e: Element): readonly (string | undefined)[] | undefined {
  switch (e.type) {
    case 'image':
    case 'sound':
    case 'file':
      return [e.path];
    case 'video':
      return [e.video.path, e.snapshot.path];
    default:
      return undefined;
  }
}

/** Whether sending `e` uploads a file (so its send may get progress reports). */
export const uploadsFile = (e: Element): boolean => localPaths(e) !== undefined;

/** Same element type and the same local paths: the reported element is this send's. */
function sameElement(mine: Element | undefined, reported: Element | undefined): boolean {
  if (mine === undefined || reported === undefined || mine.type !== reported.type) return false;
  const theirs = localPaths(reported) ?? [];
  return (localPaths(mine) ?? []).every((path, i) => path === undefined || path === theirs[i]);
}

/**
 * Routes TIMMsgElemUploadProgressCallback reports (global: one callback for
 * every send) to the send they belong to. The callback carries the message
 * being sent; a report goes to the oldest pending send whose element at the
 * reported index has the same type and local path(s). Listens to the native
 * stream only while sends are pending.
 */
export class UploadTracker {
  private readonly entries: Entry[] = [];
  private subscription: Subscription | undefined;

  constructor(private readonly progress$: Observable<NativeEventMap['msgElemUploadProgress']>) {}

  /** Registers a send (its elements); returns the function that forgets it. */
  track(elements: readonly Element[], emit: (e: UploadProgressEvent) => void): () => void {
    const entry: Entry = { elements, emit };
    this.entries.push(entry);
    this.subscription ??= this.progress$.subscribe((p) => this.route(p));
    return () => {
      const i = this.entries.indexOf(entry);
      if (i >= 0) this.entries.splice(i, 1);
      if (this.entries.length === 0) {
        this.subscription?.unsubscribe();
        this.subscription = undefined;
      }
    };
  }

  private route({ json, index, current, total }: NativeEventMap['msgElemUploadProgress']): void {
    // A report that does not decode names no send (events.uploadProgress$ reports it on diagnostics$).
    const message = decodeJson(Message, json);
    if (!isRight(message)) return;
    const reported = message.right.elements[index];
    const entry = this.entries.find((e) => sameElement(e.elements[index], reported));
    entry?.emit({ type: 'progress', index, current, total });
  }
}
