/** Leveled logging of the emulator; lines go to a sink (stderr by default). */

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogSink = (level: Exclude<LogLevel, 'silent'>, message: string) => void;

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** True when debug lines are written (so a caller can skip building them). */
  readonly debugEnabled: boolean;
}

export function isLogLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

const stderrSink: LogSink = (level, message) => {
  process.stderr.write(`${new Date().toISOString()} tim-rx emulator ${level}: ${message}\n`);
};

export function createLogger(level: LogLevel = 'warn', sink: LogSink = stderrSink): Logger {
  const rank = LOG_LEVELS.indexOf(level);
  const at =
    (l: Exclude<LogLevel, 'silent'>) =>
    (message: string): void => {
      if (LOG_LEVELS.indexOf(l) <= rank) sink(l, message);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), debugEnabled: rank >= LOG_LEVELS.indexOf('debug') };
}
