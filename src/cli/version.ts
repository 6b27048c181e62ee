/**
 * The version of the installed tim-rx package (`tim-rx --version`), read
 * from its package.json: the same file from `src/` (tsx) and from the
 * built `dist/esm/`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../backend/package-dir.js';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`tim-rx: no version in ${join(packageDir, 'package.json')}`);
  return pkg.version;
}
