import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client as ColyseusClient } from "@colyseus/sdk";
import { presetShape } from "@tessera/prims";
import { PrimStream, RelayMessage, decodePrimStream, type OpenTileResponse, type SessionResponse, type TilesResponse } from "@tessera/protocol";
import { EditError, WorldClient } from "@tessera/sdk";
import { openWorldStore, type WorldStore } from "@tessera/store";
import { TEST_DATABASE_URL, requirePostgres, testSchemas } from "@tessera/store/testing";
import { requireRedis, startRelayProcess, type RelayProcess } from "./cluster-harness.ts";
import { waitFor } from "./harness.ts";

// A Redis database of its own, emptied first (see cluster.test.ts), and a PostgreSQL schema of its own.
const REDIS_URL = "redis://127.0.0.1:6379/11";
const redis = await requireRedis(REDIS_URL, "the cluster edit tests");
const postgres = await requirePostgres("the cluster edit tests");
const schemas = testSchemas(postgres);

/** Players arrive 8 m west of the border between tile_1_2 and tile_2_2 (x = 128). */
const SPAWN = { x: 120, z: 160 };
const WEST = "tile_1_2";
const EAST = "tile_2_2";

/** The prim ids a tile's room holds now: what it loads a joining client with. */
async function heldBy(url: string, tile: string): Promise<number[]> {
  const { token } = (await (await fetch(`${url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as SessionResponse;
  const colyseus = new ColyseusClient(url);
  colyseus.auth.token = token;
  const room = await colyseus.joinById(tile, {});
  const ids: number[] = [];
  let done = false;
  room.onMessage(RelayMessage.Snapshot, () => undefined);
  room.onMessage(RelayMessage.Prims, (bytes: Uint8Array) => {
    const message = decodePrimStream(bytes);
    if ("prims" in message && !done) ids.push(...message.prims.map((prim) => prim.id));
    if (message.kind === PrimStream.LoadDone) done = true;
  });
  await waitFor(`${tile}'s prims`, () => done);
  await room.leave();
  return ids;
}

describe.skipIf(!redis || !postgres)("edits on two relays sharing PostgreSQL", () => {
  let a: RelayProcess;
  let b: RelayProcess;
  let store: WorldStore;
  let ada: WorldClient;
  let bob: WorldClient;

  beforeAll(async () => {
    await redis!.flushdb();
    const env = { SPAWN: `${SPAWN.x},${SPAWN.z}`, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schemas.next() };
    [a, b] = await Promise.all([startRelayProcess(REDIS_URL, redis!, env), startRelayProcess(REDIS_URL, redis!, env)]);
    store = await openWorldStore({ dataDir: "", databaseUrl: env.DATABASE_URL, schema: env.DATABASE_SCHEMA });
    // The spawn tile (west of the border) is on one relay; its east neighbour opens on the other.
    const { tiles } = (await (await fetch(`${a.url}/api/tiles`)).json()) as TilesResponse;
    const east = (await (await fetch(`${a.url}/api/tiles/${EAST}/open`, { method: "POST" })).json()) as OpenTileResponse;
    expect(east.process).not.toBe(tiles.find((tile) => tile.id === WEST)!.process);
    // Each on a relay of its own.
    ada = await WorldClient.connect({ endpoint: a.url, name: "Ada", viewRadius: 16, predict: false });
    bob = await WorldClient.connect({ endpoint: b.url, name: "Bob", viewRadius: 16, predict: false });
    await waitFor("both to load both tiles", () => [ada, bob].every((client) => client.loaded && client.tiles().length === 2), 10_000);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([ada?.leave(), bob?.leave()]);
    await Promise.all([a?.stop(), b?.stop()]);
    await store?.close();
    await schemas.dropAll();
    await postgres?.end();
    redis?.disconnect();
  });

  it("shows an edit made through one relay to a client of the other, in both tiles", async () => {
    const { created } = await ada.edit([{ op: "create", prim: { position: { x: 122, y: 1, z: 162 }, shape: presetShape("box") } }]);
    const [east] = (await ada.edit([{ op: "create", prim: { position: { x: 134, y: 1, z: 162 }, shape: presetShape("sphere") } }])).created;
    await waitFor("Bob to see both", () => bob.prims.get(created[0]!)?.owner === ada.playerId && bob.prims.get(east!)?.owner === ada.playerId);
    const ids = [...(await store.tileContents(WEST)).prims, ...(await store.tileContents(EAST)).prims].map((prim) => prim.id);
    expect(ids).toEqual(expect.arrayContaining([created[0], east]));
  });

  it("moves a prim back and forth across a border between processes: it ends in exactly one tile", async () => {
    const [id] = (await ada.edit([{ op: "create", prim: { position: { x: 126, y: 1, z: 158 }, shape: presetShape("cylinder") } }])).created as [number];
    // Eleven moves: east, west, ... east.
    for (let i = 0; i <= 10; i++) {
      const x = i % 2 === 0 ? 130 : 126;
      // The client learns which tile holds the prim once the tile that took it says so.
      await waitFor(`move ${i}`, () =>
        ada.edit([{ op: "change", id, to: { position: { x, y: 1, z: 158 } } }]).then(
          () => true,
          (error: unknown) => {
            if (error instanceof EditError && error.code === "not_found") return false;
            throw error;
          },
        ),
      );
    }
    await waitFor("Bob to see it east of the border", () => bob.prims.get(id)?.position.x === 130);
    const [west, east] = await Promise.all([heldBy(a.url, WEST), heldBy(b.url, EAST)]);
    expect(west).not.toContain(id);
    expect(east.filter((held) => held === id)).toHaveLength(1);
    expect((await store.tileContents(WEST)).prims.some((prim) => prim.id === id)).toBe(false);
    expect((await store.tileContents(EAST)).prims.filter((prim) => prim.id === id)).toHaveLength(1);
  });
});
