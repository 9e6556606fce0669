import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { LATEST_VERSION } from "./migrations.ts";
import { openWorldStore } from "./open-store.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { describeStoreContract, type AppliedMigration } from "./store-contract.ts";
import { TEST_DATABASE_URL as DATABASE_URL, requirePostgres, testSchemas } from "./testing.ts";

const admin = await requirePostgres("the PostgreSQL store tests");

// Every test gets a schema of its own; this run's are dropped at the end.
const schemas = testSchemas(admin);
let schema: string;
beforeEach(() => {
  schema = schemas.next();
});
afterAll(async () => {
  await schemas.dropAll();
  await admin?.end();
});

async function readMigrations(): Promise<AppliedMigration[]> {
  const { rows } = await admin!.query<{ version: number; appliedAt: Date }>(`SELECT version, applied_at AS "appliedAt" FROM "${schema}".schema_migrations ORDER BY version`);
  return rows.map((row) => ({ version: row.version, appliedAt: row.appliedAt.toISOString() }));
}

async function refuseEdit(clientEditId: number): Promise<void> {
  await admin!.query(`ALTER TABLE "${schema}".edit_log ADD CONSTRAINT refuse_edit CHECK (client_edit_id <> ${clientEditId})`);
}

describe.skipIf(!admin)("PostgreSQL", () => {
  describeStoreContract("PostgreSQL", () => openPostgresStore(DATABASE_URL, { schema }), { migrations: readMigrations, refuseEdit });

  it("keeps its tables in the schema it is given", async () => {
    const store = await openWorldStore({ dataDir: "/nonexistent", databaseUrl: DATABASE_URL, schema });
    expect(store.engine).toBe("postgres");
    await store.close();
    const { rows } = await admin!.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY tablename", [schema]);
    expect(rows.map((row) => row.name)).toEqual(["counters", "edit_log", "player_settings", "prims", "schema_migrations", "texture_compressed", "texture_tiers", "texture_uploads", "textures", "tile_settings", "world"]);
  });

  it("refuses a schema migrated by a newer build", async () => {
    await (await openPostgresStore(DATABASE_URL, { schema })).close();
    await admin!.query(`INSERT INTO "${schema}".schema_migrations (version, applied_at) VALUES ($1, now())`, [LATEST_VERSION + 1]);
    await expect(openPostgresStore(DATABASE_URL, { schema })).rejects.toThrow(`has schema version ${LATEST_VERSION + 1}, newer than this build knows (${LATEST_VERSION})`);
  });

  it("refuses a schema name it would have to quote", async () => {
    await expect(openPostgresStore(DATABASE_URL, { schema: 'world"; DROP TABLE x; --' })).rejects.toThrow(/schema name is letters, digits and '_'/);
  });
});
