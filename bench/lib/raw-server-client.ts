/** The main thread's handle on raw-server-worker.ts. */
import { Worker } from 'node:worker_threads';

/** A worker running a TypeScript module (tsx registered inside the worker first). */
export function tsWorker(url: URL, data: Record<string, unknown> = {}): Worker {
  return new Worker(new URL('./ts-worker-entry.mjs', import.meta.url), { workerData: { ...data, entry: url.href }, execArgv: [] });
}

export class RawServerWorker {
  private seq = 0;
  private readonly waiting = new Map<number, (m: { calls?: number; error?: string }) => void>();

  private constructor(private readonly worker: Worker, readonly port: number) {
    worker.on('message', (m: { seq?: number; calls?: number; error?: string }) => {
      if (m.seq === undefined) return;
      const w = this.waiting.get(m.seq);
      this.waiting.delete(m.seq);
      w?.(m);
    });
  }

  static async start(): Promise<RawServerWorker> {
    const worker = tsWorker(new URL('./raw-server-worker.ts', import.meta.url));
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port));
      worker.once('error', reject);
    });
    return new RawServerWorker(worker, port);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  reply(functionId: number, code: number, desc: string, json: string): void {
    this.worker.postMessage({ op: 'reply', functionId, code, desc, json });
  }

  prepare(key: string, frames: Buffer): void {
    this.worker.postMessage({ op: 'prepare', key, frames });
  }

  /** Asks the worker to write prepared frames; resolves when they are written. */
  blast(key: string): Promise<void> {
    return this.request({ op: 'blast', key }).then((m) => {
      if (m.error) throw new Error(m.error);
    });
  }

  calls(): Promise<number> {
    return this.request({ op: 'calls' }).then((m) => m.calls ?? 0);
  }

  async close(): Promise<void> {
    this.worker.postMessage({ op: 'close' });
    await this.worker.terminate();
  }

  private request(m: Record<string, unknown>): Promise<{ calls?: number; error?: string }> {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      this.worker.postMessage({ ...m, seq });
    });
  }
}
