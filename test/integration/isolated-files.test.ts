/**
 * A client and an emulator that do not share a filesystem: the client runs
 * in a child process under `unshare -m` (`-rm` when not root) with private
 * tmpfs mounts over its files folder and over the emulator's file store, so
 * the emulator cannot see the client's file and the client cannot see the
 * store. A file goes both ways (upload, then download to a path only the
 * client sees), byte for byte, with progress. Skipped, with the reason,
 * where mount namespaces are not permitted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { FILE_URL_PREFIX } from '../../src/emulator/files.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { scratchDir } from '../support/emulator.js';
import { SDK_APP_ID, SECRET } from '../support/usersig.js';

const CHILD = fileURLToPath(new URL('./isolated-client-child.ts', import.meta.url));
const unshareFlags = process.getuid?.() === 0 ? ['-m'] : ['-r', '-m'];

/** Why a private mount namespace with a tmpfs cannot be made here, if it cannot. */
function unshareUnavailable(): string | undefined {
  const probe = spawnSync('unshare', [...unshareFlags, 'sh', '-c', 'mount -t tmpfs none /tmp && true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error !== undefined) return `unshare cannot run: ${probe.error.message}`;
  if (probe.status !== 0) return `unshare ${unshareFlags.join(' ')} with a tmpfs mount is not permitted: ${probe.stderr.trim()}`;
  return undefined;
}

function run(command: string, args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 50_000);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('files between a client and an emulator that share no filesystem (unshare)', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator | undefined;
  const dir = scratchDir();

  after(async () => {
    await emulator?.close();
    dir.dispose();
  });

  it('a file only the client sees is uploaded and downloaded back to a path only it sees, byte for byte, with progress', async function () {
    const reason = unshareUnavailable();
    if (reason !== undefined) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    const dbPath = join(dir.path, 'isolated.db');
    const storeDir = `${dbPath}.files`;
    const clientDir = join(dir.path, 'client-files');
    mkdirSync(clientDir);
    emulator = await startEmulator({ port: 0, dbPath, sdkAppId: SDK_APP_ID, secretKey: SECRET, logLevel: 'silent' });
    mkdirSync(storeDir, { recursive: true });
    const script = `mount -t tmpfs none "$1" && mount -t tmpfs none "$2" && exec "$3" --import tsx "$4" "$5" "$1" "$2"`;
    // Not spawnSync: the emulator runs on this process's event loop.
    const child = await run('unshare', [...unshareFlags, 'sh', '-c', script, 'sh', clientDir, storeDir, process.execPath, CHILD, emulator.address]);
    expect(child.status, child.stderr).to.equal(0);
    const seen = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
      uploadProgress: number[]; downloadProgress: number[]; identical: boolean; size: number; storeSeen: string[]; element: { fileId: string; url: string };
    };
    expect(seen.identical, 'the downloaded copy equals the file').to.equal(true);
    expect(seen.storeSeen, 'the client does not see the store').to.deep.equal([]);
    expect(existsSync(join(clientDir, 'only-here.bin')), 'the emulator does not see the client\'s file').to.equal(false);
    expect(existsSync(join(clientDir, 'copy.bin'))).to.equal(false);
    expect(seen.uploadProgress.length).to.be.greaterThan(2);
    expect(seen.uploadProgress.at(-1)).to.equal(seen.size);
    expect(seen.downloadProgress.length).to.be.greaterThan(2);
    expect(seen.downloadProgress.at(-1)).to.equal(seen.size);
    expect(seen.element.url).to.equal(FILE_URL_PREFIX + seen.element.fileId);
    expect(readFileSync(join(storeDir, seen.element.fileId)).length, 'the store holds the bytes').to.equal(seen.size);
  });
});
