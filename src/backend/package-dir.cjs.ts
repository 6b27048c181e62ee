/**
 * The folder of the tim-rx package: the CommonJS build's `package-dir`
 * (see package-dir.ts; this file replaces it through `moduleSuffixes`).
 */
import { findPackageDir } from './find-package-dir.js';

export const packageDir: string = findPackageDir(__dirname);
