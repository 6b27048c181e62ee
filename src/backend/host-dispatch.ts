import net from 'node:net';

type KoffiFn = (...args: unknown[]) => unknown;

/** Callbacks run per TIMLocalDispatch call; more wait for the next turn of the event loop. */
const DISPATCH_BATCH = 1024;

/**
 * libtimlocal's host dispatch mode (native/tim_local.h): the library queues
 * its callbacks instead of calling them from its own thread, and makes a
 * pipe readable; on the pipe's 'data' the event loop runs the queue inline
 * (up to 1024 callbacks per synchronous FFI call; the pipe stays readable
 * while more wait). One wake-up per batch instead of
 * koffi's two per callback (queue to the loop, then release the blocked
 * native thread), and the library thread never waits for JS.
 *
 * In this mode the library also sends the requests made by its functions
 * only at the next dispatch, so the calls of one turn of the event loop share
 * one wake-up of its thread: after a call, a dispatch is scheduled for the
 * end of the turn (setImmediate).
 *
 * One per library (process-wide, like the library). The pipe is watched
 * while the mode lasts (unref'd: it never keeps Node alive by itself).
 */
export class HostDispatch {
  private pipe: net.Socket | undefined;
  private enabled = false;
  private flushScheduled = false;

  constructor(
    private readonly setMode: KoffiFn,
    private readonly dispatch: KoffiFn,
  ) {}

  /** Enters host dispatch mode; false if the library could not (it keeps calling back from its thread). */
  enable(): boolean {
    const fd = this.setMode(1) as number;
    if (fd < 0) return false;
    this.enabled = true;
    if (!this.pipe) {
      const pipe = new net.Socket({ fd, readable: true, writable: false });
      pipe.unref();
      pipe.on('data', () => this.run());
      pipe.on('error', () => this.disable()); // cannot happen while the library holds the other end; if it does, fall back
      this.pipe = pipe;
    }
    return true;
  }

  /** Back to callbacks from the library thread (which also runs any still waiting, and sends what waits). */
  disable(): void {
    this.enabled = false;
    this.setMode(0);
    this.pipe?.destroy(); // closes our end; the next enable gets a new pipe
    this.pipe = undefined;
  }

  /** A function of the library was called: what it queued goes out at the end of this turn. */
  afterCall(): void {
    if (!this.enabled || this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    this.dispatch(0);
  };

  private run(): void {
    if (!this.enabled) return;
    // Trampolines only copy their arguments and queue microtasks: nothing here re-enters the library.
    this.dispatch(DISPATCH_BATCH);
  }
}
