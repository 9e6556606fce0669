import { randomBytes } from "node:crypto";
import { Pool } from "pg";

/**
 * The PostgreSQL tests use: TEST_DATABASE_URL, or the local server's `test` database (pg takes the
 * user name from USER, which is unset on the test machines: they run as root).
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? `postgres://${process.env.USER || "root"}@127.0.0.1:5432/test`;

/**
 * A pool on the test database, or undefined (saying why) when none answers. With
 * REQUIRE_SERVICES=1 (CI) a missing PostgreSQL fails the test file instead.
 */
export async function requirePostgres(what: string, url = TEST_DATABASE_URL): Promise<Pool | undefined> {
  const pool = new Pool({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await pool.query("SELECT 1");
    return pool;
  } catch (error) {
    await pool.end();
    const where = url.replace(/(\/\/[^:/@]*):[^@/]*@/, "$1:***@");
    const message = `${what} need PostgreSQL at ${where} (or TEST_DATABASE_URL): ${(error as Error).message || String(error)}.`;
    if (process.env.REQUIRE_SERVICES === "1") throw new Error(`${message} REQUIRE_SERVICES=1 makes that a failure.`, { cause: error });
    console.warn(`Skipping: ${message}`);
    return undefined;
  }
}

/** Schema names for one test file's run, all under one random prefix, and the way to drop them all. */
export function testSchemas(pool: Pool | undefined): { next(): string; dropAll(): Promise<void> } {
  const prefix = `tessera_test_${randomBytes(4).toString("hex")}`;
  let count = 0;
  return {
    next: () => `${prefix}_${++count}`,
    async dropAll() {
      if (!pool) return;
      const { rows } = await pool.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)", [prefix]);
      for (const { name } of rows) await pool.query(`DROP SCHEMA "${name}" CASCADE`);
    },
  };
}
