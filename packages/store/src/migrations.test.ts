import { describe, expect, it } from "vitest";
import { LATEST_VERSION, MIGRATIONS, pendingMigrations } from "./migrations.ts";

describe("migrations", () => {
  it("number their versions 1, 2, 3... with no gap", () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));
  });

  it("leave to do what a database lacks, in order", () => {
    expect(pendingMigrations(0)).toEqual(MIGRATIONS);
    expect(pendingMigrations(LATEST_VERSION)).toEqual([]);
  });

  it("refuse a database that a newer build migrated", () => {
    expect(() => pendingMigrations(LATEST_VERSION + 1)).toThrow(`It has schema version ${LATEST_VERSION + 1}, newer than this build knows (${LATEST_VERSION}): run a Tessera release`);
  });
});
