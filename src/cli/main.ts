/**
 * The `tim-rx` command line:
 *   tim-rx chat [--user ID] [--demo] …                   the interactive terminal chat (npm start)
 *   tim-rx emulator --sdkappid N --secret KEY [--port P]  the local IM server
 *   tim-rx usersig <user> --sdkappid N --secret KEY       a UserSig made with tls-sig-api-v2
 * `tim-rx <command> --help` describes each; `tim-rx --version` (also after a
 * command) prints the package's version. (`demo-peer` is internal: the chat's scripted peer.)
 * Each command is imported when run, so `--help` and `usersig` start fast.
 */
import { processIo, type CommandIo } from './args.js';

export const MAIN_USAGE = `usage: tim-rx <command> [options]

commands:
  chat       the interactive terminal chat on the local emulator (npm start)
             tim-rx chat [--user ID] [--peer ID] [--demo] [--port P | --emulator HOST:PORT]
  emulator   the local IM server (SQLite), for libtimlocal
             tim-rx emulator --sdkappid N --secret KEY [--port P] [--db FILE] …
  usersig    print a UserSig made with Tencent's tls-sig-api-v2
             tim-rx usersig <user> --sdkappid N --secret KEY [--expire S]

Run \`tim-rx <command> --help\` for each command's options, \`tim-rx --version\` for the version.`;

export async function main(argv: readonly string[], entry: string, io: CommandIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-v' || argv.includes('--version')) {
    io.out(`tim-rx ${(await import('./version.js')).packageVersion()}`);
    return 0;
  }
  switch (command) {
    case 'chat':
      return (await import('./chat/index.js')).runChatCli(rest, entry, io);
    case 'emulator':
      return (await import('../emulator/cli.js')).runEmulatorCli(rest);
    case 'usersig':
      return (await import('./usersig.js')).runUsersigCli(rest, io);
    case 'demo-peer':
      return (await import('./chat/demo-peer.js')).runDemoPeerCli(rest);
    case '-h':
    case '--help':
    case 'help':
      io.out(MAIN_USAGE);
      return 0;
    case undefined:
      io.err(MAIN_USAGE);
      return 2;
    default:
      io.err(`tim-rx: error: unknown command "${command}"\n${MAIN_USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2), process.argv[1] ?? '').then(
  (code) => {
    // Everything is closed by now; exit explicitly so that nothing left over (a socket, a timer) keeps the process.
    process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`tim-rx: error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
