import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LATEST_VERSION } from "./migrations.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import { describeStoreContract, testPrim, type AppliedMigration } from "./store-contract.ts";

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tessera-store-"));
  // A directory that does not exist yet: the store makes it.
  path = join(dir, "data", "world.sqlite");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Runs `work` on a connection of its own to the test's store. */
function withDatabase<T>(work: (db: Database.Database) => T): Promise<T> {
  const db = new Database(path);
  try {
    return Promise.resolve(work(db));
  } finally {
    db.close();
  }
}

describeStoreContract("SQLite", () => openSqliteStore(path), {
  migrations: () => withDatabase((db) => db.prepare<[], AppliedMigration>("SELECT version, applied_at AS appliedAt FROM schema_migrations ORDER BY version").all()),
  refuseEdit: (clientEditId) =>
    withDatabase((db) => {
      db.exec(`CREATE TRIGGER refuse_edit BEFORE INSERT ON edit_log WHEN NEW.client_edit_id = ${clientEditId} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    }),
});

/**
 * Runs `code` (an ES module that may import the store; the store's path is `process.argv[1]`) in a
 * process of its own, and resolves once it prints `signal`.
 */
async function runUntil(code: string, signal: string): Promise<{ child: ChildProcess; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", code, path], { cwd: import.meta.dirname, stdio: ["ignore", "pipe", "inherit"] });
  const exited = once(child, "exit");
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk).includes(signal) && resolve());
    void exited.then(([code]) => reject(new Error(`The child exited (${String(code)}) before printing "${signal}": ${output}`)));
  });
  return { child, exited };
}

describe("SQLite world store file", () => {
  it("is in WAL mode", async () => {
    await (await openSqliteStore(path)).close();
    expect(await withDatabase((db) => db.pragma("journal_mode", { simple: true }))).toBe("wal");
  });

  it("keeps a commit when its process is killed right after", async () => {
    const storeUrl = new URL("./sqlite-store.ts", import.meta.url).href;
    const { child, exited } = await runUntil(
      `import { makePrim, presetShape } from "@tessera/prims";
       import { openSqliteStore } from ${JSON.stringify(storeUrl)};
       const store = await openSqliteStore(process.argv[1]);
       const put = [1, 2, 3].map((id) => ({ tile: "tile_0_0", prim: makePrim(id, presetShape("box"), { x: id, y: 0, z: 0 }, { owner: "alice" }) }));
       await store.commit([{ player: "alice", clientEditId: 1, tile: "tile_0_0", put, deleted: [] }]);
       console.log("committed");
       setInterval(() => undefined, 1000);`,
      "committed",
    );
    child.kill("SIGKILL");
    await exited;
    const store = await openSqliteStore(path);
    expect((await store.tileContents("tile_0_0")).prims.map((prim) => prim.id)).toEqual([1, 2, 3]);
    expect(await store.editCount()).toBe(1);
    await store.close();
  });

  it("waits for another process's write instead of failing", async () => {
    const store = await openSqliteStore(path);
    const { exited } = await runUntil(
      `import Database from "better-sqlite3";
       const db = new Database(process.argv[1]);
       db.exec("BEGIN IMMEDIATE");
       db.prepare("UPDATE counters SET value = value + 1000 WHERE name = 'next_prim_id'").run();
       console.log("locked");
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
       db.exec("COMMIT");`,
      "locked",
    );
    const started = performance.now();
    expect(await store.allocatePrimIds(1)).toBe(1001);
    expect(performance.now() - started).toBeGreaterThan(100);
    await store.commit([{ player: "alice", clientEditId: 1, tile: "tile_0_0", put: [{ tile: "tile_0_0", prim: testPrim(1) }], deleted: [] }]);
    await exited;
    await store.close();
  });

  it("refuses a store migrated by a newer build", async () => {
    await (await openSqliteStore(path)).close();
    await withDatabase((db) => db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(LATEST_VERSION + 1, new Date().toISOString()));
    await expect(openSqliteStore(path)).rejects.toThrow(`has schema version ${LATEST_VERSION + 1}, newer than this build knows (${LATEST_VERSION})`);
  });

  it("says which file it cannot open", async () => {
    const notADatabase = join(dir, "notes.sqlite");
    await writeFile(notADatabase, "not a database, but long enough to have a header that SQLite reads and rejects\n".repeat(10));
    await expect(openSqliteStore(notADatabase)).rejects.toThrow(`Cannot open the world store at ${notADatabase}: file is not a database`);
  });
});
