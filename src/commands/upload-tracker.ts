import type { Observable, Subscription } from 'rxjs';
import type { NativeEventMap } from '../backend/types.js';
import { parseJson } from '../json/lossless.js';

/** One upload progress report of a message being sent by `sendMessage`. */
export interface UploadProgressEvent {
  readonly type: 'progress';
  /** Index of the element in the message's elements. */
  readonly index: number;
  readonly current: number;
  readonly total: number;
}

/** The keys naming the local file of an element: they tell a send's uploads apart. */
const PATH_KEYS = ['image_elem_orig_path', 'sound_elem_file_path', 'file_elem_file_path', 'video_elem_video_path', 'video_elem_image_path'];

type Raw = Record<string, unknown>;

interface Entry {
  readonly elements: readonly Raw[];
  readonly emit: (e: UploadProgressEvent) => void;
}

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Same element type and the same local paths: the reported element is this send's. */
function sameElement(mine: Raw | undefined, reported: unknown): boolean {
  if (mine === undefined || !isRecord(reported) || mine['elem_type'] !== reported['elem_type']) return false;
  return PATH_KEYS.every((k) => mine[k] === undefined || mine[k] === reported[k]);
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

  /** Registers a send (its elements in the spec's keys); returns the function that forgets it. */
  track(elements: readonly Raw[], emit: (e: UploadProgressEvent) => void): () => void {
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
    let reported: unknown;
    try {
      const message = parseJson(json);
      reported = isRecord(message) && Array.isArray(message['message_elem_array']) ? message['message_elem_array'][index] : undefined;
    } catch {
      return;
    }
    const entry = this.entries.find((e) => sameElement(e.elements[index], reported));
    entry?.emit({ type: 'progress', index, current, total });
  }
}
