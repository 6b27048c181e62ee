/**
 * The published package, as a user gets it: `npm pack` (which runs the
 * build: ESM + CommonJS + declarations), the tarball installed into a
 * scratch project, then two small TypeScript programs compiled against the
 * installed types (strict, NodeNext, skipLibCheck off) and run against an
 * emulator started with the installed `tim-rx emulator` bin: a CommonJS one
 * (`import x = require('tim-rx')` → `require`) and an ESM one (`import`).
 *
 * Time: better-sqlite3 has no prebuilt binary reachable here and compiles
 * from source in about 3 minutes on this machine. So by default the tarball
 * is installed with `--ignore-scripts` (dependencies from the npm cache when
 * present: `--prefer-offline`), the repository's own better-sqlite3 binary
 * (the same pinned version, checked) is copied in, and `npm rebuild tim-rx
 * koffi` runs the install scripts that matter here (tim-rx's: building
 * libtimlocal from the packed C sources). TIM_RX_PACK_FULL=1 installs with
 * every script instead, as a user's `npm install` does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'test', 'package', 'fixture');
const FULL = process.env['TIM_RX_PACK_FULL'] === '1';

interface Run { readonly code: number | null; readonly stdout: string; readonly stderr: string; readonly ms: number }

function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

async function ok(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Run> {
  const r = await run(command, args, cwd, timeoutMs);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.code} after ${r.ms} ms\n${r.stdout}\n${r.stderr}`);
  return r;
}

const version = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;

describe('the npm package (pack, install, use from ESM and CommonJS)', function () {
  this.timeout(FULL ? 600_000 : 300_000);
  const dir = mkdtempSync(join(tmpdir(), 'tim-rx-pack-'));
  const project = join(dir, 'project');
  const times: string[] = [];
  let emulator: ChildProcess | undefined;

  after(() => {
    emulator?.kill('SIGKILL');
    if (times.length > 0) console.log(`      times: ${times.join(', ')}`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('packs, installs, type-checks and runs a CommonJS and an ESM program against the emulator', async () => {
    const pack = await ok('npm', ['pack', '--pack-destination', dir, '--json'], ROOT, 240_000);
    times.push(`npm pack ${pack.ms} ms`);
    const packed = (JSON.parse(pack.stdout.slice(pack.stdout.search(/^\[\s*$/m))) as { filename: string; files: { path: string }[] }[])[0]!;
    const files = packed.files.map((f) => f.path);
    for (const f of ['dist/esm/index.js', 'dist/cjs/index.js', 'dist/cjs/package.json', 'dist/esm/index.d.ts', 'dist/cjs/emulator/index.d.ts',
      'dist/esm/cli/main.js', 'bin/tim-rx.mjs', 'native/Makefile']) expect(files, f).to.include(f);
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.so'))).to.equal(false);

    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    const tarball = join(dir, packed.filename);
    const install = await ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...(FULL ? [] : ['--ignore-scripts']), tarball],
      project, FULL ? 540_000 : 180_000);
    times.push(`npm install ${install.ms} ms${FULL ? ' (all scripts)' : ' (--ignore-scripts)'}`);
    const modules = join(project, 'node_modules');
    if (!FULL) {
      const sqlite = join(modules, 'better-sqlite3');
      expect(version(sqlite)).to.equal(version(join(ROOT, 'node_modules', 'better-sqlite3')));
      mkdirSync(join(sqlite, 'build', 'Release'), { recursive: true });
      copyFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(sqlite, 'build', 'Release', 'better_sqlite3.node'));
      const rebuild = await ok('npm', ['rebuild', '--no-audit', '--no-fund', 'tim-rx', 'koffi'], project, 120_000);
      times.push(`npm rebuild tim-rx koffi ${rebuild.ms} ms`);
    }
    expect(existsSync(join(modules, 'tim-rx', 'native', 'build', 'libtimlocal.so')), 'libtimlocal built by the install script').to.equal(true);
    expect(existsSync(join(modules, 'rxjs')), 'rxjs installed as a peer').to.equal(true);

    // Compile both programs against the installed declarations.
    for (const f of readdirSync(FIXTURE)) copyFileSync(join(FIXTURE, f), join(project, f));
    const tsconfig = JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    tsconfig.compilerOptions['typeRoots'] = [join(ROOT, 'node_modules', '@types')];
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project, 120_000);
    times.push(`tsc ${tsc.ms} ms`);
    expect(tsc.stdout + tsc.stderr, 'tsc output').to.equal('');
    expect(tsc.code).to.equal(0);

    // The installed bin knows its version (package.json found from dist/esm).
    const versionRun = await ok(join(modules, '.bin', 'tim-rx'), ['--version'], project, 30_000);
    expect(versionRun.stdout).to.equal(`tim-rx ${version(ROOT)}\n`);

    // The installed bin runs the emulator.
    emulator = spawn(join(modules, '.bin', 'tim-rx'), ['emulator', '--port', '0', '--db', join(dir, 'emulator.db'), '--sdkappid', '1400000000',
      '--secret', 'pack-test', '--log-level', 'warn'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    emulator.stderr!.resume();
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${out}`)), 20_000);
      emulator!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });

    const json = async (file: string, ...args: string[]): Promise<Record<string, unknown>> =>
      JSON.parse((await ok(process.execPath, [join('out', file), address, ...args], project, 30_000)).stdout) as Record<string, unknown>;
    const bobFirst = await json('cjs.cjs', 'bob', 'pack-test');
    const alice = await json('esm.mjs', 'alice', 'bob', 'pack-test');
    const bobAgain = await json('cjs.cjs', 'bob', 'pack-test');
    expect(bobFirst).to.deep.include({ format: 'cjs', connection: 'connected', conversations: [], emulatorEntry: 'function',
      angularEntry: 'tim-rx/dist/cjs/angular/index.js' });
    expect(alice).to.deep.include({ format: 'esm', connection: 'connected', sentSeq: '1', conversations: ['bob:0'], entries: 3 });
    expect(bobAgain).to.deep.include({ format: 'cjs', conversations: ['alice:1'] });
    expect(String(alice['version'])).to.match(/timlocal/);

    const stopped = new Promise<number | null>((resolve) => emulator!.once('exit', resolve));
    emulator.kill('SIGINT');
    expect(await stopped).to.equal(0);
    emulator = undefined;
  });
});
