/**
 * The project's test command (docs/testing.md): `npm test -- PATH…` runs the
 * typecheck, then mocha over the files and folders named only; with no
 * path, over every `test/**\/*.test.ts` and nothing else. Checked through
 * mocha itself in dry-run mode (it loads the files and lists the tests
 * without running them) with the project's .mocharc.json.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { scratchDir } from './support/emulator.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');

/** The files whose tests `mocha ARGS` would run, relative to the project root. */
function filesRun(args: readonly string[]): string[] {
  const dir = scratchDir('tim-rx-test-command-');
  try {
    const out = join(dir.path, 'tests.json');
    const run = spawnSync(process.execPath, [mocha, '--dry-run', '--reporter', 'json', '--reporter-option', `output=${out}`, ...args],
      { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).to.equal(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { tests: { file: string }[] };
    return [...new Set(report.tests.map((t) => relative(root, t.file)))].sort();
  } finally {
    dir.dispose();
  }
}

/** Every `*.test.ts` under `folder` (relative to the root). */
function testFilesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(folder, f))
    .sort();
}

describe('the test command: the whole suite, or only the files and folders named', function () {
  this.timeout(90_000);

  it('with no path: every test/**/*.test.ts, and no helper or child-process script', () => {
    expect(filesRun([])).to.deep.equal(testFilesUnder('test'));
  });

  it('a file named: only that file', () => {
    expect(filesRun(['test/json.test.ts'])).to.deep.equal(['test/json.test.ts']);
  });

  it('a folder named: every *.test.ts under it, and nothing else', () => {
    expect(filesRun(['test/integration'])).to.deep.equal(testFilesUnder('test/integration'));
  });
});
