import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openWorldStore, SQLITE_FILE_NAME } from "./open-store.ts";

describe("openWorldStore", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "tessera-open-store-"));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it("keeps the world in SQLite under the data directory without a database URL", async () => {
    const store = await openWorldStore({ dataDir });
    expect(store.engine).toBe("sqlite");
    await store.close();
    await access(join(dataDir, SQLITE_FILE_NAME));
  });

  it("says which PostgreSQL it cannot reach, without its password, and what to do", async () => {
    // Port 1: nothing listens there.
    const error = await openWorldStore({ dataDir, databaseUrl: "postgres://tessera:s3cret@127.0.0.1:1/world" }).catch((error: unknown) => error as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Cannot connect to PostgreSQL at postgres:\/\/tessera:\*\*\*@127\.0\.0\.1:1\/world \(.*ECONNREFUSED.*\)\. Start PostgreSQL or point DATABASE_URL/);
    expect((error as Error).message).not.toContain("s3cret");
  });
});
