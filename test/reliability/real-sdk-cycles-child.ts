/**
 * Runs inside `unshare -n` (no network), started by real-sdk.test.ts:
 * `<cycles>` init/uninit cycles of Tencent's libImSDK.so through tim-rx
 * (createTimClient → TIMSetConfig + TIMInit + listeners; dispose → listeners
 * off, TIMUninit), each waiting for the SDK's first network status.
 * Prints one JSON line: cycles done, threads and RSS along the way.
 */
import { readdirSync } from 'node:fs';
import { filter, firstValueFrom, lastValueFrom, race, timer } from 'rxjs';
import { createTimClient } from '../../src/index.js';
import { reportLine } from '../support/real-sdk.js';

const [library = '', dir = '.', cyclesArg = '100'] = process.argv.slice(2);
const cycles = Number(cyclesArg);
const threads = (): number => readdirSync('/proc/self/task').length;
const samples: { cycle: number; threads: number; rssMiB: number }[] = [];
let statusSeen = 0;

for (let cycle = 1; cycle <= cycles; cycle++) {
  const tim = createTimClient({ sdkAppId: 1400000000, library, sdkConfig: { configFilePath: dir, logFilePath: dir } });
  // The SDK reports Connecting within milliseconds of TIMInit (no network here: then ConnectFailed).
  const seen = await firstValueFrom(race(
    tim.events.networkStatus$.pipe(filter((s) => s.status === 'connecting' || s.status === 'connect-failed')),
    timer(2000),
  ));
  if (typeof seen === 'object') statusSeen++;
  await lastValueFrom(tim.dispose(), { defaultValue: undefined });
  if (cycle === 1 || cycle % 10 === 0) samples.push({ cycle, threads: threads(), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
}
process.stdout.write(reportLine({ cycles, statusSeen, samples }));
