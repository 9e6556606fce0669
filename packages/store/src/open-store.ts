import { join } from "node:path";
import { openPostgresStore } from "./postgres-store.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import type { WorldStore } from "./world-store.ts";

export interface WorldStoreOptions {
  /** The data directory: without `databaseUrl`, the world is the SQLite file `world.sqlite` in it. */
  dataDir: string;
  /** A PostgreSQL URL (`postgres://user:password@host:5432/database`): the world is kept there. */
  databaseUrl?: string;
  /** With `databaseUrl`, the schema that holds the tables; "public" by default. */
  schema?: string;
}

/** The file that holds the world in SQLite, under the data directory. */
export const SQLITE_FILE_NAME = "world.sqlite";

/** Opens the world store the options name: PostgreSQL when `databaseUrl` is given, else SQLite under `dataDir`. */
export function openWorldStore({ dataDir, databaseUrl, schema }: WorldStoreOptions): Promise<WorldStore> {
  if (databaseUrl) return openPostgresStore(databaseUrl, { schema });
  return openSqliteStore(join(dataDir, SQLITE_FILE_NAME));
}
