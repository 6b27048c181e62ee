import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder at or above `start` whose package.json is named "tim-rx". */
export function findPackageDir(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'tim-rx') return dir;
    } catch {
      // no package.json here (or not JSON): keep going up
    }
    if (dirname(dir) === dir) throw new Error(`tim-rx: cannot find the tim-rx package folder above ${start}`);
  }
}
