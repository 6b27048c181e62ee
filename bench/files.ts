/**
 * Benchmark 6: file transfers through tim-rx → libtimlocal → emulator on
 * loopback (the library reads the upload and writes the download in this
 * process; the emulator stores the bytes), against a plain chunked copy on
 * the local filesystem (what the emulator itself did before files moved as
 * bytes: read the client's path, write the store). Sizes: BENCH_FILE_MIB
 * (default "10,50"); rounds: BENCH_ROUNDS (default 3); the emulator's
 * chunk size and window: BENCH_FILE_CHUNK_KIB, BENCH_FILE_WINDOW (default
 * theirs). Also prints the
 * progress reports per transfer. Numbers are printed, never asserted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { startEmulator } from '../src/emulator/index.js';
import { createTimClient, downloadParamsOf, type SendEvent } from '../src/index.js';
import { SDK_APP_ID, SECRET, userSig } from '../test/support/usersig.js';
import { fmt, interleave, machine, median, table } from './lib/report.js';

const sizes = (process.env['BENCH_FILE_MIB'] ?? '10,50').split(',').map(Number);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const chunkKib = process.env['BENCH_FILE_CHUNK_KIB'];
const window = process.env['BENCH_FILE_WINDOW'];
const fileTransfer = {
  ...(chunkKib === undefined ? {} : { chunkBytes: Number(chunkKib) * 1024 }),
  ...(window === undefined ? {} : { window: Number(window) }),
};
const dir = mkdtempSync(join(tmpdir(), 'tim-rx-bench-files-'));
const emulator = await startEmulator({ port: 0, dbPath: join(dir, 'bench.db'), sdkAppId: SDK_APP_ID, secretKey: SECRET, logLevel: 'warn', fileTransfer });
const client = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
await lastValueFrom(client.login('alice', userSig('alice')), { defaultValue: undefined });

/** The old emulator's work: a chunked read of the source and write of the copy (16 chunks, at least 64 KiB). */
async function localCopy(source: string, target: string, total: number): Promise<void> {
  const src = await open(source, 'r');
  const out = await open(target, 'w');
  const buf = Buffer.alloc(Math.max(64 * 1024, Math.ceil(total / 16)));
  for (let done = 0; done < total; ) {
    const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, total - done), done);
    await out.write(buf, 0, bytesRead);
    done += bytesRead;
  }
  await src.close();
  await out.close();
}

const rows: string[][] = [];
const reports: string[] = [];
for (const mib of sizes) {
  const bytes = mib * 1024 * 1024;
  const source = join(dir, `source-${mib}.bin`);
  writeFileSync(source, Buffer.alloc(bytes, 7));
  let uploads = 0;
  let downloads = 0;
  let params: ReturnType<typeof downloadParamsOf>;
  const timed = async (f: () => Promise<void>): Promise<number> => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  const samples = await interleave(rounds, {
    local: () => timed(() => localCopy(source, join(dir, 'local-copy.bin'), bytes)),
    upload: () => timed(async () => {
      const events: SendEvent[] = await lastValueFrom(client.messages.send({ type: 'c2c', id: 'alice' }, { elements: [{ type: 'file', path: source }] }).pipe(toArray()));
      const sent = events.at(-1);
      if (sent?.type !== 'sent') throw new Error('upload failed');
      uploads = events.length - 1;
      params = downloadParamsOf(sent.message.elements[0]!);
    }),
    download: () => timed(async () => {
      if (params === undefined) {
        const sent = (await lastValueFrom(client.messages.send({ type: 'c2c', id: 'alice' }, { elements: [{ type: 'file', path: source }] }).pipe(toArray()))).at(-1);
        if (sent?.type !== 'sent') throw new Error('upload failed');
        params = downloadParamsOf(sent.message.elements[0]!);
      }
      downloads = (await lastValueFrom(client.messages.downloadElement(params!, join(dir, 'download.bin')).pipe(toArray()))).length;
    }),
  });
  const rate = (ms: number): number => mib / (ms / 1000);
  const local = median(samples.local);
  for (const kind of ['upload', 'download'] as const) {
    const ms = median(samples[kind]);
    rows.push([`${mib} MiB ${kind}`, fmt(ms), fmt(rate(ms)), fmt(rate(local)), (local / ms).toFixed(2)]);
  }
  reports.push(`${mib} MiB: ${uploads} upload progress reports, ${downloads} download progress replies`);
}

console.log(`## 6. File transfers (median of ${rounds} rounds)\n\n${machine()}\n`);
console.log(table(['transfer', 'ms', 'MiB/s', 'local chunked copy MiB/s', 'ratio to the local copy'], rows));
console.log(`\n${reports.join('\n')}`);
await lastValueFrom(client.dispose(), { defaultValue: undefined });
await emulator.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
