import { TokenBucket } from "@tessera/protocol";

/** The relay's log: one line per event. */
export interface Logger {
  info(message: string): void;
  /** Something went wrong and was recovered from (a neighbour that did not answer in time). */
  warn(message: string): void;
  /** The relay's own fault: a bug to look into. */
  error(message: string): void;
  /**
   * A client's mistake was refused (a bad token, a malformed message, a limit reached): one short
   * line, never a stack, and few of them, so that a misbehaving client cannot flood the log.
   */
  refusal(message: string): void;
}

export type LogLevel = "info" | "warn" | "error";

export interface LoggerOptions {
  /** Drop info lines and refusals (tests); warnings and errors always go out. */
  quiet?: boolean;
  /** Where lines go; the console by default. */
  write?: (level: LogLevel, line: string) => void;
  now?: () => number;
}

/** Refusal lines: this many at once, then this many a second; the rest are counted and summarised. */
const REFUSAL_BURST = 10;
const REFUSALS_PER_SECOND = 2;
/** A refusal line is cut to this many characters. */
const REFUSAL_CHARS = 200;

const toConsole = (level: LogLevel, line: string): void => {
  if (level === "info") console.log(line);
  else if (level === "warn") console.warn(line);
  else console.error(line);
};

/** The first line of `message`, at most `max` characters: what a client sent never spans lines in the log. */
export function oneLine(message: string, max = REFUSAL_CHARS): string {
  const line = message.split(/\r?\n/, 1)[0]!.replace(/[\p{Cc}\p{Cf}]/gu, "?");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? toConsole;
  const now = options.now ?? (() => performance.now());
  const refusals = new TokenBucket(REFUSALS_PER_SECOND, REFUSAL_BURST, now());
  let suppressed = 0;
  return {
    info: (message) => {
      if (!options.quiet) write("info", `[relay] ${message}`);
    },
    warn: (message) => write("warn", `[relay] ${message}`),
    error: (message) => write("error", `[relay] ${message}`),
    refusal: (message) => {
      if (!refusals.take(now())) {
        suppressed++;
        return;
      }
      const more = suppressed > 0 ? ` (and ${suppressed} more refused since the last line)` : "";
      suppressed = 0;
      if (!options.quiet) write("info", `[relay] refused: ${oneLine(message)}${more}`);
    },
  };
}

/** Colyseus's log calls (a console's methods). */
export interface ColyseusLogger {
  debug(...args: unknown[]): void;
  trace(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/**
 * Colyseus's own log lines, through ours: one line each (an error's message, never its stack) and
 * few of them, since most of what it reports is a client's doing (a malformed message, a seat that
 * lapsed) that a client could repeat at will.
 */
export function colyseusLogger(log: Logger, now: () => number = () => performance.now()): ColyseusLogger {
  const lines = new TokenBucket(REFUSALS_PER_SECOND, REFUSAL_BURST, now());
  const text = (args: unknown[]) => oneLine(args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(" "));
  const warn = (...args: unknown[]) => {
    if (lines.take(now())) log.warn(`colyseus: ${text(args)}`);
  };
  return { debug: () => undefined, trace: () => undefined, info: (...args) => log.info(`colyseus: ${text(args)}`), warn, error: warn };
}
