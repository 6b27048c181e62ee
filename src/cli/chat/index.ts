/** `tim-rx chat [options]`: parses the options and runs the chat. */
import { processIo, UsageError, type CommandIo } from '../args.js';
import { runChat } from './app.js';
import { CHAT_USAGE, parseChatOptions } from './options.js';

export { CHAT_USAGE } from './options.js';

/** `entry`: the CLI script, which the `--demo` peer is forked from. */
export async function runChatCli(argv: readonly string[], entry: string, io: CommandIo = processIo): Promise<number> {
  let options;
  try {
    options = parseChatOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`tim-rx chat: error: ${e.message}\n${CHAT_USAGE}`);
    return 2;
  }
  if (options === undefined) {
    io.out(CHAT_USAGE);
    return 0;
  }
  return runChat(options, { entry, terminal: { input: process.stdin, output: process.stdout }, err: io.err });
}
