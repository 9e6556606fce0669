import type { Pool } from "pg";
import { TEST_DATABASE_URL, requirePostgres, testSchemas } from "@tessera/store/testing";

/** The test database (TEST_DATABASE_URL or the local `test` database), with throwaway schemas for the runs. */
export interface BenchPostgres {
  /** Where the stores and relays connect. */
  readonly url: string;
  /** The server's own `synchronous_commit`: every commit's, the relay's included, unless a session sets it. */
  readonly synchronousCommit: string;
  /** A fresh schema name; every one is dropped by {@link close}. */
  schema(): string;
  /** Drops the schemas handed out, and lets go of the server. */
  close(): Promise<void>;
}

/** The test database, or undefined (having said why its rows are skipped) when none answers. */
export async function openBenchPostgres(): Promise<BenchPostgres | undefined> {
  const pool: Pool | undefined = await requirePostgres("The PostgreSQL rows of bench:edits");
  if (!pool) return undefined;
  const schemas = testSchemas(pool);
  const { rows } = await pool.query<{ synchronous_commit: string }>("SHOW synchronous_commit");
  return {
    url: TEST_DATABASE_URL,
    synchronousCommit: rows[0]!.synchronous_commit,
    schema: () => schemas.next(),
    async close() {
      await schemas.dropAll();
      await pool.end();
    },
  };
}

/** `url` with every session's `synchronous_commit` set on (each commit waits for its WAL flush), whatever the server's default. */
export function withSynchronousCommit(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("options", "-c synchronous_commit=on");
  return parsed.toString();
}
