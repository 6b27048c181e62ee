/**
 * The client of isolated-files.test.ts, run under `unshare` with private
 * tmpfs mounts over its own files folder and over the emulator's store: it
 * writes a file only it can see, sends it (upload progress), downloads it
 * back into its folder (download progress) and prints one JSON line with
 * what it saw. argv: emulator address, files folder, emulator store folder.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { createTimClient, downloadParamsOf, type SendEvent } from '../../src/index.js';
import { SDK_APP_ID, userSig } from '../support/usersig.js';

const [address, filesDir, storeDir] = process.argv.slice(2) as [string, string, string];

async function main(): Promise<void> {
  const bytes = Buffer.alloc(5 * 1024 * 1024 + 3);
  for (let i = 0; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE(i * 2654435761 >>> 0, i);
  const source = join(filesDir, 'only-here.bin');
  writeFileSync(source, bytes);
  const client = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: address });
  await lastValueFrom(client.login('alice', userSig('alice')), { defaultValue: undefined });
  const events: SendEvent[] = await lastValueFrom(client.messages.send({ type: 'c2c', id: 'alice' }, { elements: [{ type: 'file', path: source }] }).pipe(toArray()));
  const sent = events.at(-1);
  if (sent?.type !== 'sent') throw new Error('no sent event');
  const element = sent.message.elements[0]!;
  const target = join(filesDir, 'copy.bin');
  const steps = await lastValueFrom(client.messages.downloadElement(downloadParamsOf(element)!, target).pipe(toArray()));
  const result = {
    uploadProgress: events.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.current : 0)),
    downloadProgress: steps.map((s) => s.current),
    identical: readFileSync(target).equals(bytes),
    size: bytes.length,
    element,
    storeSeen: existsSync(storeDir) ? readdirSync(storeDir) : [],
  };
  await lastValueFrom(client.dispose(), { defaultValue: undefined });
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`isolated client failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
