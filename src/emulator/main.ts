/** Runnable entry: `node --import tsx src/emulator/main.ts --sdkappid N --secret KEY …`. */
import { runEmulatorCli } from './cli.js';

runEmulatorCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`tim-rx emulator: fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
