import { parseArgs } from "node:util";
import { z } from "zod";
import { defaultWorldConfig, formatIssues, viewRadiusSchema, worldConfigSchema, type WorldConfig } from "@tessera/protocol";

/** Everything a relay process needs to start, read once from the environment and the command line. */
export interface RelayConfig {
  port: number;
  host: string;
  world: WorldConfig;
  /** Where embedded state lives: the auth secret, revocations and (without a database url) the world. */
  dataDir: string;
  /** HMAC key for guest tokens and tile claims; shared by every relay of one world. */
  authSecret?: string;
  /** Built client to serve; the relay answers 503 with a hint when it is missing. */
  clientDir: string;
  /** Each client's downstream budget for motion snapshots, kbit/s. */
  snapshotBudgetKbps: number;
  /** Clients join every tile within this many metres of their avatar. */
  viewRadius: number;
  /** Redis shared by every relay of one world (scale-out); without it the relay runs alone. */
  redisUrl?: string;
  /** PostgreSQL holding the world, shared by every relay of one world; without it the world is a SQLite file in the data directory. */
  databaseUrl?: string;
  /** With `databaseUrl`: the PostgreSQL schema that holds the world's tables (several worlds can share a database). */
  databaseSchema?: string;
  /** A JSON file of prims the world holds instead of the generated demo world. */
  worldPrims?: string;
  /** How long a guest token holds after it is issued, s (clients renew theirs while in use). */
  tokenTtlS: number;
  /** Origins besides the page's own whose pages may call the API and open sockets (`https://example.com`). */
  allowedOrigins: string[];
  /** Open connections (HTTP and WebSocket) the relay serves at most. */
  maxConnections: number;
  /** Open connections from one client address at most (this machine's own are exempt). */
  maxConnectionsPerAddress: number;
  /** Bearer token of the operator API (`/api/admin`); without one, that API does not exist. */
  adminToken?: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Settings by CLI flag; each also reads from the environment variable named beside it. */
const SETTINGS = {
  port: "PORT",
  host: "HOST",
  "tile-size": "TILE_SIZE",
  grid: "GRID",
  spawn: "SPAWN",
  "prims-per-tile": "PRIMS_PER_TILE",
  "data-dir": "DATA_DIR",
  "client-dir": "CLIENT_DIR",
  "snapshot-budget-kbps": "SNAPSHOT_BUDGET_KBPS",
  "view-radius": "VIEW_RADIUS",
  "redis-url": "REDIS_URL",
  "database-url": "DATABASE_URL",
  "database-schema": "DATABASE_SCHEMA",
  "world-prims": "WORLD_PRIMS",
  "token-ttl": "TOKEN_TTL",
  "allowed-origins": "ALLOWED_ORIGINS",
  "max-connections": "MAX_CONNECTIONS",
  "max-connections-per-address": "MAX_CONNECTIONS_PER_ADDRESS",
} as const;
type Setting = keyof typeof SETTINGS;

const integer = (what: string) =>
  z.string().regex(/^\d+$/, `${what} must be a whole number`).transform(Number);

const rawSchema = z.object({
  port: integer("port").pipe(z.number().max(65535, "port must be at most 65535")).default(2567),
  host: z.string().min(1).default("0.0.0.0"),
  "tile-size": integer("tile size").optional(),
  grid: z
    .string()
    .regex(/^\d+x\d+$/, 'grid must look like "4x4" (tiles along x, then along z)')
    .transform((value) => {
      const [width, depth] = value.split("x").map(Number) as [number, number];
      return { width, depth };
    })
    .optional(),
  "prims-per-tile": integer("prims per tile").optional(),
  spawn: z
    .string()
    .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, 'spawn must look like "128,128" (world x, z in metres)')
    .transform((value) => {
      const [x, zz] = value.split(",").map(Number) as [number, number];
      return { x, z: zz };
    })
    .optional(),
  "data-dir": z.string().min(1).default(".data"),
  "client-dir": z.string().min(1).default("dist/client"),
  "snapshot-budget-kbps": integer("snapshot budget")
    .pipe(z.number().min(8, "snapshot budget must be at least 8 kbps").max(10_000, "snapshot budget must be at most 10000 kbps"))
    .default(100),
  "view-radius": integer("view radius").pipe(viewRadiusSchema).default(64),
  "redis-url": z
    .url({ protocol: /^rediss?$/, hostname: /./, error: 'redis url must look like "redis://host:6379" (or rediss:// for TLS, /N for a database)' })
    .optional(),
  "database-url": z
    .url({ protocol: /^postgres(ql)?$/, hostname: /./, error: 'database url must look like "postgres://user:password@host:5432/database"' })
    .optional(),
  "database-schema": z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "database schema must be 1-63 lower-case letters, digits or '_', not starting with a digit")
    .optional(),
  "world-prims": z.string().min(1).optional(),
  "token-ttl": integer("token ttl")
    .pipe(z.number().min(60, "token ttl must be at least 60 s").max(31_536_000, "token ttl must be at most 31536000 s (a year)"))
    .default(604_800),
  "allowed-origins": z
    .string()
    .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'allowed origins must look like "https://example.com,http://localhost:5173"')).max(32, "at most 32 allowed origins"))
    .default([]),
  "max-connections": integer("max connections").pipe(z.number().min(16, "max connections must be at least 16").max(1_000_000)).default(8192),
  "max-connections-per-address": integer("max connections per address")
    .pipe(z.number().min(4, "max connections per address must be at least 4").max(100_000))
    .default(64),
});

const secretSchema = z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional();
const adminTokenSchema = z.string().min(32, "ADMIN_TOKEN must be at least 32 characters").optional();

/**
 * Reads the relay config: CLI flags (`--port 3000`, `--grid=8x8`) win over environment variables
 * (`PORT`, `GRID`, ...). Throws {@link ConfigError} naming every bad setting.
 */
export function readRelayConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): RelayConfig {
  let flags: Partial<Record<Setting, string>>;
  try {
    const options = Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, { type: "string" as const }]));
    flags = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const known = Object.keys(SETTINGS).map((name) => `--${name}`).join(", ");
    throw new ConfigError(`${(error as Error).message}. Known flags: ${known}`);
  }
  const raw: Partial<Record<Setting, string>> = {};
  for (const [flag, variable] of Object.entries(SETTINGS) as [Setting, string][]) {
    const value = flags[flag] ?? env[variable];
    if (value !== undefined && value !== "") raw[flag] = value;
  }
  const parsed = rawSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid relay config: ${formatIssues(parsed.error)}`);
  const settings = parsed.data;

  const defaults = defaultWorldConfig(settings.grid, settings["tile-size"], settings["prims-per-tile"]);
  const world = worldConfigSchema.safeParse({ ...defaults, spawn: settings.spawn ?? defaults.spawn });
  if (!world.success) throw new ConfigError(`Invalid world config: ${formatIssues(world.error)}`);

  const secret = secretSchema.safeParse(env.AUTH_SECRET || undefined);
  if (!secret.success) throw new ConfigError(`Invalid relay config: ${formatIssues(secret.error)}`);
  const adminToken = adminTokenSchema.safeParse(env.ADMIN_TOKEN || undefined);
  if (!adminToken.success) throw new ConfigError(`Invalid relay config: ${formatIssues(adminToken.error)}`);

  return {
    port: settings.port,
    host: settings.host,
    world: world.data,
    dataDir: settings["data-dir"],
    clientDir: settings["client-dir"],
    snapshotBudgetKbps: settings["snapshot-budget-kbps"],
    viewRadius: settings["view-radius"],
    tokenTtlS: settings["token-ttl"],
    allowedOrigins: settings["allowed-origins"],
    maxConnections: settings["max-connections"],
    maxConnectionsPerAddress: settings["max-connections-per-address"],
    ...(adminToken.data ? { adminToken: adminToken.data } : {}),
    ...(settings["redis-url"] ? { redisUrl: settings["redis-url"] } : {}),
    ...(settings["database-url"] ? { databaseUrl: settings["database-url"] } : {}),
    ...(settings["database-schema"] ? { databaseSchema: settings["database-schema"] } : {}),
    ...(settings["world-prims"] ? { worldPrims: settings["world-prims"] } : {}),
    ...(secret.data ? { authSecret: secret.data } : {}),
  };
}

/** Where the world store of this config is: its options for `openWorldStore`. */
export function storeOptions(config: Pick<RelayConfig, "dataDir" | "databaseUrl" | "databaseSchema">): { dataDir: string; databaseUrl?: string; schema?: string } {
  return {
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
  };
}
