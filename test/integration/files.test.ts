/**
 * Files through koffi → libtimlocal → emulator, in both callback delivery
 * modes of the koffi backend: the library reads the uploads and writes the
 * downloads in this process (the emulator only sees bytes), with progress;
 * the library's own file checks; a connection lost and TIMUninit in the
 * middle of a transfer.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { lastValueFrom, tap, toArray, type Observable } from 'rxjs';
import { KoffiBackend } from '../../src/backend/koffi-backend.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { FunctionId } from '../../src/emulator/wire/constants.js';
import { arg } from '../../src/emulator/wire/codec.js';
import {
  createTimClient, downloadParamsOf, isTimError, type DownloadProgress, type Element, type SendEvent, type TimClient,
} from '../../src/index.js';
import { WireClient } from '../emulator/wire-client.js';
import { scratchDir } from '../support/emulator.js';
import { retry } from '../support/retry.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';
import { WireProxy } from '../support/wire-proxy.js';

const BOB = { type: 'c2c', id: 'bob' } as const;
const all = <T>(o: Observable<T>): Promise<T[]> => lastValueFrom(o.pipe(toArray()));
const failure = (o: Observable<unknown>): Promise<unknown> => lastValueFrom(o).then(() => undefined, (e: unknown) => e);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Bytes that differ from chunk to chunk (a misplaced chunk shows). */
const pattern = (n: number): Buffer => {
  const b = Buffer.alloc(n, 0xa5);
  for (let i = 0; i + 4 <= n; i += 4) b.writeUInt32LE(i, i);
  return b;
};

for (const callbacks of ['event-loop', 'library-thread'] as const) {
  describe(`files through koffi → libtimlocal → emulator (${callbacks} callbacks)`, function () {
    this.timeout(60_000);
    let emulator: RunningEmulator;
    let proxy: WireProxy;
    let dir: ReturnType<typeof scratchDir>;
    let a: TimClient;
    let bob: WireClient;
    const storeDir = (): string => join(dir.path, 'files.db.files');
    const partials = (): string[] => readdirSync(storeDir()).filter((f) => f.endsWith('.part'));

    const loginA = async (): Promise<void> => {
      a = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: proxy.address, backend: new KoffiBackend({ callbacks }) });
      await lastValueFrom(a.login('alice', userSig('alice')), { defaultValue: undefined });
    };

    before(async () => {
      dir = scratchDir();
      // Small chunks, one at a time: a transfer of a few MiB takes long enough to be cut in the middle.
      emulator = await startEmulator({ port: 0, dbPath: join(dir.path, 'files.db'), sdkAppId: SDK_APP_ID, secretKey: SECRET, fileTransfer: { chunkBytes: 64 * 1024, window: 1 } });
      proxy = await WireProxy.start(emulator.address);
      bob = await WireClient.connect(emulator.address, { sdkAppId: SDK_APP_ID });
      expect((await bob.call(FunctionId.Login, [arg.str('bob'), arg.str(userSig('bob'))])).code).to.equal(0);
      await loginA();
    });

    after(async () => {
      await lastValueFrom(a.dispose(), { defaultValue: undefined });
      bob.close();
      await proxy.close();
      await emulator.close();
      dir.dispose();
    });

    it('sends image, sound, file and video: progress from the bytes the emulator received, then the message; downloads come back byte for byte with progress', async () => {
      const big = pattern(3 * 1024 * 1024 + 5);
      writeFileSync(join(dir.path, 'big.bin'), big);
      writeFileSync(join(dir.path, 'photo.gif'), Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x20, 0, 0x10, 0]), Buffer.alloc(70_000, 1)]));
      writeFileSync(join(dir.path, 'voice.amr'), Buffer.alloc(4000, 2));
      writeFileSync(join(dir.path, 'clip.mp4'), pattern(200_000));
      writeFileSync(join(dir.path, 'cover.gif'), Buffer.concat([Buffer.from('GIF89a'), Buffer.from([8, 0, 6, 0])]));
      const events: SendEvent[] = await all(a.messages.send(BOB, {
        elements: [
          { type: 'image', path: join(dir.path, 'photo.gif'), level: 'original' },
          { type: 'sound', path: join(dir.path, 'voice.amr'), duration: 2 },
          { type: 'file', path: join(dir.path, 'big.bin'), name: 'big.bin' },
          { type: 'video', video: { path: join(dir.path, 'clip.mp4'), type: 'mp4', duration: 1 }, snapshot: { path: join(dir.path, 'cover.gif'), type: 'gif' } },
        ],
      }));
      const sent = events.at(-1);
      if (sent?.type !== 'sent') throw new Error('no sent event');
      const progress = events.filter((e) => e.type === 'progress');
      expect(events.slice(0, -1).every((e) => e.type === 'progress')).to.equal(true);
      expect(new Set(progress.map((p) => p.index))).to.deep.equal(new Set([0, 1, 2, 3]));
      const file = progress.filter((p) => p.index === 2).map((p) => p.current);
      expect(file.length).to.be.within(3, 17);
      expect(file).to.deep.equal([...file].sort((x, y) => x - y));
      expect(file.at(-1)).to.equal(big.length);
      expect(sent.message.elements[0]).to.deep.include({ type: 'image', format: 2 });

      const element = sent.message.elements[2] as Extract<Element, { type: 'file' }>;
      expect(element.url).to.match(/^tim-rx-emulator:\/\/files\/[0-9a-f]{32}$/);
      const target = join(dir.path, 'downloaded.bin');
      const steps: DownloadProgress[] = await all(a.messages.downloadElement(downloadParamsOf(element)!, target));
      expect(steps.length).to.be.within(3, 18);
      expect(steps.at(-1)).to.deep.equal({ current: big.length, total: big.length });
      expect(steps.map((s) => s.current)).to.deep.equal([...steps.map((s) => s.current)].sort((x, y) => x - y));
      expect(readFileSync(target).equals(big)).to.equal(true);
      // By its URL alone, too.
      const byUrl = join(dir.path, 'by-url.bin');
      await all(a.messages.downloadElement({ type: 'file', id: '', url: element.url }, byUrl));
      expect(readFileSync(byUrl).equals(big)).to.equal(true);
      const video = sent.message.elements[3] as Extract<Element, { type: 'video' }>;
      await all(a.messages.downloadElement(downloadParamsOf(video)!, join(dir.path, 'clip-copy.mp4')));
      expect(readFileSync(join(dir.path, 'clip-copy.mp4')).equals(pattern(200_000))).to.equal(true);
    });

    it('the library refuses a missing (7004), too large (7005), empty (7006) or unreadable / not regular (7007) file; a FIFO at once', async () => {
      writeFileSync(join(dir.path, 'empty.bin'), '');
      writeFileSync(join(dir.path, 'huge.bin'), '');
      truncateSync(join(dir.path, 'huge.bin'), 100 * 1024 * 1024 + 1);
      mkdirSync(join(dir.path, 'folder'), { recursive: true });
      execFileSync('mkfifo', [join(dir.path, 'pipe')]);
      const cases: Array<[string, number]> = [
        [join(dir.path, 'missing.bin'), 7004], [join(dir.path, 'huge.bin'), 7005], [join(dir.path, 'empty.bin'), 7006],
        [join(dir.path, 'folder'), 7007], [join(dir.path, 'pipe'), 7007], ['/dev/zero', 7007],
      ];
      for (const [path, code] of cases) {
        const err = await failure(a.messages.send(BOB, { elements: [{ type: 'file', path }] }));
        expect(isTimError(err, code), `${path}: ${String(err)}`).to.equal(true);
      }
    });

    it('a download target the library cannot write (missing folder, a folder, a FIFO) fails with 6022; an unknown file with 6009', async () => {
      writeFileSync(join(dir.path, 'small.txt'), 'hello');
      const sent = (await all(a.messages.send(BOB, { elements: [{ type: 'file', path: join(dir.path, 'small.txt') }] }))).at(-1);
      if (sent?.type !== 'sent') throw new Error('no sent event');
      const params = downloadParamsOf(sent.message.elements[0]!)!;
      mkdirSync(join(dir.path, 'folder'), { recursive: true });
      execFileSync('mkfifo', [join(dir.path, 'target-pipe')]);
      for (const target of [join(dir.path, 'no', 'such', 'x.txt'), join(dir.path, 'folder'), join(dir.path, 'target-pipe')]) {
        const err = await failure(a.messages.downloadElement(params, target));
        expect(isTimError(err, 6022), `${target}: ${String(err)}`).to.equal(true);
      }
      const unknown = await failure(a.messages.downloadElement({ type: 'file', id: '0'.repeat(32) }, join(dir.path, 'x')));
      expect(isTimError(unknown, 6009), String(unknown)).to.equal(true);
    });

    it('a connection lost in the middle of an upload or a download fails that call with 6201; the emulator drops the partial blob; later transfers work', async () => {
      const big = pattern(6 * 1024 * 1024);
      writeFileSync(join(dir.path, 'cut.bin'), big);
      let cut = false;
      const sub = a.events.uploadProgress$.subscribe((p) => {
        if (!cut && p.current < p.total) {
          cut = true;
          proxy.cut();
        }
      });
      const err = await failure(a.messages.send(BOB, { elements: [{ type: 'file', path: join(dir.path, 'cut.bin') }] }));
      sub.unsubscribe();
      expect(isTimError(err, 6201), String(err)).to.equal(true);
      await until('the partial blob removed', () => partials().length === 0);

      const done = (await retry(() => all(a.messages.send(BOB, { elements: [{ type: 'file', path: join(dir.path, 'cut.bin') }] })))).at(-1);
      if (done?.type !== 'sent') throw new Error('no sent event after the reconnect');
      const params = downloadParamsOf(done.message.elements[0]!)!;
      let steps = 0;
      const dl = await failure(a.messages.downloadElement(params, join(dir.path, 'cut-copy.bin')).pipe(tap(() => {
        if (steps++ === 0) proxy.cut();
      })));
      expect(isTimError(dl, 6201), String(dl)).to.equal(true);
      const again = join(dir.path, 'cut-copy-2.bin');
      await retry(() => all(a.messages.downloadElement(params, again))); // 6200 until the library reconnected
      expect(readFileSync(again).equals(big)).to.equal(true);
    });

    it('TIMUninit in the middle of an upload: the call ends with 7009; the emulator drops the partial blob and serves the next client', async () => {
      writeFileSync(join(dir.path, 'uninit.bin'), pattern(6 * 1024 * 1024));
      const sending = failure(a.messages.send(BOB, { elements: [{ type: 'file', path: join(dir.path, 'uninit.bin') }] }));
      await new Promise<void>((resolve) => {
        const sub = a.events.uploadProgress$.subscribe(() => {
          sub.unsubscribe();
          resolve();
        });
      });
      await lastValueFrom(a.dispose(), { defaultValue: undefined });
      const err = await sending;
      expect(isTimError(err, 7009), String(err)).to.equal(true);
      await until('the partial blob removed', () => partials().length === 0);
      await loginA();
      const sent = (await all(a.messages.send(BOB, { elements: [{ type: 'file', path: join(dir.path, 'uninit.bin') }] }))).at(-1);
      expect(sent?.type).to.equal('sent');
    });
  });
}
