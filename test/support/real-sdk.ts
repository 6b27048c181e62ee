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

/** Starts the one line of a child's report (the JSON follows on the same line). */
export const REPORT_MARK = '@@tim-rx-report ';

/** What a child prints: its report after the mark, on a line of its own as far as it can tell. */
export function reportLine(report: unknown): string {
  return `\n${REPORT_MARK}${JSON.stringify(report)}\n`;
}

/**
 * The report a child printed with `reportLine`. Tencent's library prints its
 * own `[xlog] …` lines to stdout from its threads, before, after and even
 * inside that line (a log line without its newline yet): the report is found
 * by its mark, wherever it starts, and ends at the end of its line.
 */
export function lastJsonLine(stdout: string): unknown {
  const at = stdout.lastIndexOf(REPORT_MARK);
  if (at < 0) throw new Error(`no report in the child's output:\n${stdout}`);
  const from = at + REPORT_MARK.length;
  const end = stdout.indexOf('\n', from);
  return JSON.parse(stdout.slice(from, end < 0 ? undefined : end));
}
