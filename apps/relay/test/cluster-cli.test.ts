import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@colyseus/sdk";
import { RelayMessage, type OpenTileResponse, type SessionResponse, type TilesResponse } from "@tessera/protocol";
import { TEST_DATABASE_URL, requirePostgres, testSchemas } from "@tessera/store/testing";
import { requireRedis } from "./cluster-harness.ts";
import { waitFor } from "./harness.ts";

const CLI = fileURLToPath(new URL("../src/cluster-cli.ts", import.meta.url));
// A database of its own (see cluster.test.ts); this world's spawn tile is tile_1_1 (grid 2x2).
const REDIS_URL = "redis://127.0.0.1:6379/6";
const redis = await requireRedis(REDIS_URL, "the cluster launcher tests");
const postgres = await requirePostgres("the cluster launcher tests");
const schemas = testSchemas(postgres);

/** A base port with `count` free ports from it on. */
async function freePorts(count: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const servers = [];
    try {
      for (let i = 0; i < count; i++) {
        const server = createServer();
        servers.push(server);
        await new Promise<void>((resolve, reject) => server.once("error", reject).listen(base + i, "127.0.0.1", resolve));
      }
      return base;
    } catch {
      // taken: try another base
    } finally {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  }
}

/** Runs the launcher as `npm run cluster` would (without the client build). */
async function launch(args: string[], env: Record<string, string> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), "tessera-cluster-cli-"));
  const { AUTH_SECRET: _secret, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    env: { ...inherited, REDIS_URL, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schemas.next(), HOST: "127.0.0.1", DATA_DIR: dataDir, CLIENT_DIR: join(dataDir, "no-client"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const answers = (port: number) => fetch(`http://127.0.0.1:${port}/api/health`).then((response) => response.ok, () => false);

describe.skipIf(!redis || !postgres)("npm run cluster", () => {
  beforeAll(async () => {
    await redis!.flushdb();
  });
  afterAll(async () => {
    redis!.disconnect();
    await schemas.dropAll();
    await postgres!.end();
  });

  it("refuses bad flags, a missing Redis and a missing PostgreSQL before it starts anything", async () => {
    const tooMany = await launch(["--processes", "17"]);
    expect(await tooMany.exited).toBe(2);
    expect(tooMany.output()).toMatch(/processes must be at most 16/);
    const noRedis = await launch([], { REDIS_URL: "redis://127.0.0.1:1" });
    expect(await noRedis.exited).toBe(1);
    expect(noRedis.output()).toMatch(/Redis does not answer at redis:\/\/127\.0\.0\.1:1.*ECONNREFUSED/);
    const noDatabase = await launch([], { DATABASE_URL: "" });
    expect(await noDatabase.exited).toBe(2);
    expect(noDatabase.output()).toMatch(/keep the world in PostgreSQL, which they share: set DATABASE_URL/);
    const noPostgres = await launch([], { DATABASE_URL: "postgres://root:secret@127.0.0.1:1/tessera" });
    expect(await noPostgres.exited).toBe(1);
    expect(noPostgres.output()).toMatch(/127\.0\.0\.1:1/);
    expect(noPostgres.output()).not.toMatch(/secret/);
  });

  it("runs N relays of one world behind any of them, and stops them all on SIGTERM", async () => {
    const port = await freePorts(2);
    const cluster = await launch(["--processes", "2", "--port", String(port), "--grid", "2x2"]);
    try {
      await waitFor("the cluster's address", () => cluster.output().includes(`relays on ports ${port}-${port + 1}, sharing ${REDIS_URL} and PostgreSQL. Open http://localhost:${port}\n`), 30_000);
      const first = `http://127.0.0.1:${port}`;
      const second = `http://127.0.0.1:${port + 1}`;
      const { tiles } = (await (await fetch(`${second}/api/tiles`)).json()) as TilesResponse;
      expect(tiles.map((tile) => tile.id)).toEqual(["tile_1_1"]);

      // One secret: a token from one relay joins, through it, a tile wherever it runs.
      const { token } = (await (await fetch(`${second}/api/session`, { method: "POST" })).json()) as SessionResponse;
      const opened = (await (await fetch(`${first}/api/tiles/tile_0_0/open`, { method: "POST" })).json()) as OpenTileResponse;
      expect(opened.process).not.toBe(tiles[0]!.process);
      const client = new Client(first);
      client.auth.token = token;
      for (const id of ["tile_1_1", "tile_0_0"]) {
        const room = await client.joinById(id);
        let snapshots = 0;
        room.onMessage(RelayMessage.Snapshot, () => snapshots++);
        room.onMessage(RelayMessage.Prims, () => undefined);
        await waitFor(`snapshots from ${id}`, () => snapshots > 0);
        await room.leave();
      }
    } finally {
      cluster.child.kill("SIGTERM");
    }
    expect(await cluster.exited).toBe(0);
    expect([await answers(port), await answers(port + 1)]).toEqual([false, false]);
    expect(await redis!.hlen("tessera:processes")).toBe(0);
  });

  it("stops the cluster and fails when one of its relays dies", async () => {
    const port = await freePorts(2);
    const cluster = await launch(["--processes", "2", "--port", String(port), "--grid", "2x2"]);
    try {
      await waitFor("the cluster's address", () => cluster.output().includes(`Open http://localhost:${port}\n`), 30_000);
      const pid = Number(new RegExp(`\\[relay ${port + 1}\\] started, pid (\\d+)`).exec(cluster.output())![1]);
      process.kill(pid, "SIGKILL");
      expect(await cluster.exited).toBe(1);
    } finally {
      cluster.child.kill("SIGTERM");
    }
    expect(cluster.output()).toMatch(new RegExp(`relay on port ${port + 1} exited \\(SIGKILL\\): stopping the cluster`));
    expect(await answers(port)).toBe(false);
  });
});
