/** The relay's log: one line per event. `quiet` drops info lines (tests), never warnings or errors. */
export interface Logger {
  info(message: string): void;
  /** Something went wrong and was recovered from (a neighbour that did not answer in time). */
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(quiet = false): Logger {
  return {
    info: (message) => {
      if (!quiet) console.log(`[relay] ${message}`);
    },
    warn: (message) => console.warn(`[relay] ${message}`),
    error: (message) => console.error(`[relay] ${message}`),
  };
}
