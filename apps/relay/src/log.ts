/** The relay's log: one line per event. `quiet` drops info lines (tests), never errors. */
export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

export function createLogger(quiet = false): Logger {
  return {
    info: (message) => {
      if (!quiet) console.log(`[relay] ${message}`);
    },
    error: (message) => console.error(`[relay] ${message}`),
  };
}
