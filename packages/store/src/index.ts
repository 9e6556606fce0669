export * from "./world-store.ts";
export { openWorldStore, SQLITE_FILE_NAME, type WorldStoreOptions } from "./open-store.ts";
export { openSqliteStore } from "./sqlite-store.ts";
export { openPostgresStore, type PostgresStoreOptions } from "./postgres-store.ts";
