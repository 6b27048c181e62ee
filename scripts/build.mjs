#!/usr/bin/env node
// Builds dist/: ESM (dist/esm) and CommonJS (dist/cjs), each with its type
// declarations, by two tsc runs side by side.
//
// The sources are ESM (NodeNext). The CommonJS run compiles them with
// module=commonjs; the one file that needs `import.meta` (src/backend/
// package-dir.ts) has a twin, package-dir.cjs.ts, which that run picks
// through `moduleSuffixes` and which is renamed back to package-dir.* here.
// dist/cjs/package.json marks the folder as CommonJS for Node and for
// TypeScript. The CLI (src/cli) is ESM only: bin/tim-rx.mjs runs dist/esm.
import { spawn } from 'node:child_process';
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

function run(project) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc -p ${project} failed (exit ${code})`))));
  });
}

/** dist/cjs/…/name.cjs.js → name.js (and .d.ts). */
function renameCjsTwins(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) renameCjsTwins(path);
    else if (/\.cjs\.(js|d\.ts)$/.test(entry.name)) renameSync(path, path.replace(/\.cjs\.(js|d\.ts)$/, '.$1'));
  }
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
await Promise.all([run('tsconfig.build.json'), run('tsconfig.build.cjs.json')]);
renameCjsTwins(join(root, 'dist', 'cjs'));
writeFileSync(join(root, 'dist', 'cjs', 'package.json'), JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');
