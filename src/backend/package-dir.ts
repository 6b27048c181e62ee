/**
 * The folder of the tim-rx package (the one holding `native/`), found from
 * this module's own location: the nearest folder above it whose
 * package.json is named "tim-rx". The same answer from `src/` (tsx), from
 * `dist/esm/` and from `dist/cjs/`.
 *
 * ESM build. The CommonJS build compiles `package-dir.cjs.ts` in its place
 * (tsconfig.build.cjs.json: `moduleSuffixes`), since `import.meta` does not
 * exist in CommonJS.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageDir } from './find-package-dir.js';

export const packageDir: string = findPackageDir(dirname(fileURLToPath(import.meta.url)));
