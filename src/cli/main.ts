/**
 * The `tim-rx` command line.
 *   tim-rx emulator --port P --db FILE --sdkappid N --secret KEY   the local IM server
 *   tim-rx chat-demo                                              a scripted two-user chat (npm start)
 */
import { runEmulatorCli } from '../emulator/cli.js';
import { runChatDemo } from './chat-demo.js';

const usage = `usage: tim-rx <command>

commands:
  emulator   run the local IM server (tim-rx emulator --help)
  chat-demo  a scripted two-user chat on an embedded emulator
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'emulator':
      return runEmulatorCli(rest);
    case 'chat-demo':
      await runChatDemo();
      return 0;
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(usage);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`tim-rx: unknown command "${command}"\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`tim-rx: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
