import { z } from "zod";
import { ConfigError, readRelayConfig, type RelayConfig } from "../config.ts";

const MAX_PROCESSES = 16;
/** The Redis a cluster uses when neither REDIS_URL nor --redis-url names one. */
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export interface ClusterArgs {
  processes: number;
  /** The relay flags as given, for every process (each gets its own --port on top). */
  relayArgs: string[];
  /** What those flags and the environment make of a relay, checked once here. */
  config: RelayConfig;
  redisUrl: string;
}

const processesSchema = z
  .string()
  .regex(/^\d+$/, "processes must be a whole number")
  .transform(Number)
  .pipe(z.number().min(1, "processes must be at least 1").max(MAX_PROCESSES, `processes must be at most ${MAX_PROCESSES}`));

/** Splits `--processes N` (or `--processes=N`) from the flags meant for the relays. */
function takeProcesses(argv: readonly string[]): { processes: string; rest: string[] } {
  let processes = "2";
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--processes") {
      const value = argv[++i];
      if (value === undefined) throw new ConfigError("--processes needs a value, e.g. --processes 4");
      processes = value;
    } else if (arg.startsWith("--processes=")) {
      processes = arg.slice("--processes=".length);
    } else {
      rest.push(arg);
    }
  }
  return { processes, rest };
}

/**
 * Reads `npm run cluster` flags: `--processes N` and the relay's own flags, which are checked as the
 * relay would check them, so that a bad value stops the launcher before any process starts.
 */
export function readClusterArgs(env: NodeJS.ProcessEnv, argv: readonly string[]): ClusterArgs {
  const { processes, rest } = takeProcesses(argv);
  const count = processesSchema.safeParse(processes);
  if (!count.success) throw new ConfigError(`Invalid cluster config: ${count.error.issues.map((issue) => issue.message).join("; ")}`);
  const config = readRelayConfig(env, rest);
  if (config.port === 0) throw new ConfigError("Invalid cluster config: the relays listen on PORT, PORT+1, ...: give a port other than 0");
  if (config.port + count.data - 1 > 65535) throw new ConfigError(`Invalid cluster config: ports ${config.port}-${config.port + count.data - 1} run past 65535`);
  if (!config.databaseUrl) {
    throw new ConfigError(
      "Invalid cluster config: the relays of a cluster keep the world in PostgreSQL, which they share: set DATABASE_URL (for example DATABASE_URL=postgres://user@127.0.0.1:5432/tessera); a SQLite file cannot be shared between machines",
    );
  }
  return { processes: count.data, relayArgs: rest, config, redisUrl: config.redisUrl ?? DEFAULT_REDIS_URL };
}
