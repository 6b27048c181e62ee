import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where scripts/fetch-real-sdk.sh puts Tencent's libImSDK.so (git-ignored). */
export const realSdkLibrary = fileURLToPath(new URL('../../.cache/real-sdk/libImSDK.so', import.meta.url));

/** Why Tencent's library cannot be run here (it only ever runs inside `unshare -n`), or undefined when it can. */
export function realSdkSkipReason(): string | undefined {
  if (!existsSync(realSdkLibrary)) return `${realSdkLibrary} is missing: run bash scripts/fetch-real-sdk.sh`;
  const probe = spawnSync('unshare', ['-n', 'true'], { encoding: 'utf8' });
  if (probe.error) return `unshare is not available: ${probe.error.message}`;
  if (probe.status !== 0) return `unshare -n is not permitted here: ${probe.stderr.trim()}`;
  return undefined;
}

/**
 * The report a child printed as one JSON line. Tencent's library prints its
 * own `[xlog] …` lines to stdout from its threads, before or after it.
 */
export function lastJsonLine(stdout: string): unknown {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no JSON report in the child's output:\n${stdout}`);
  return JSON.parse(line);
}
