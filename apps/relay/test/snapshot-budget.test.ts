import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client as ColyseusClient } from "@colyseus/sdk";
import { Keys, POSITION_SCALE, RelayMessage, SNAPSHOT_RATE, TileState, decodeSnapshot, defaultWorldConfig, type SessionResponse } from "@tessera/protocol";
import { WorldClient } from "@tessera/sdk";
import type { TilesResponse } from "@tessera/protocol";
import type { Relay } from "../src/relay.ts";
import { every30Hz, startTestRelay, waitFor } from "./harness.ts";

const BUDGET_KBPS = 24;
const WALKERS = 60;
const SPAWN_TILE = "tile_2_2";

let relay: Relay;
beforeAll(async () => {
  // Spawn in the middle of a tile: the walkers stay in it.
  const world = { ...defaultWorldConfig(), spawn: { x: 160, z: 160 } };
  relay = await startTestRelay({ snapshotBudgetKbps: BUDGET_KBPS, world }, []);
});
afterAll(async () => {
  await relay.stop();
});

/** A bare client that records the size of every snapshot it gets and the latest position of each avatar. */
async function observe() {
  const { token } = (await (await fetch(`${relay.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as SessionResponse;
  const colyseus = new ColyseusClient(relay.url);
  colyseus.auth.token = token;
  const room = await colyseus.joinById<TileState>(SPAWN_TILE, { name: "Observer", enter: true }, TileState);
  const sizes: { at: number; bytes: number }[] = [];
  const latest = new Map<number, { x: number; y: number; z: number }>();
  room.onMessage(RelayMessage.Prims, () => undefined);
  room.onMessage(RelayMessage.Snapshot, (bytes: Uint8Array) => {
    sizes.push({ at: performance.now(), bytes: bytes.byteLength });
    for (const { netId, x, y, z } of decodeSnapshot(bytes).entities) latest.set(netId, { x, y, z });
  });
  /** Where the observer last saw a player's avatar. */
  const seen = (playerId: string) => {
    let netId: number | undefined;
    room.state.avatars.forEach((info) => {
      if (info.id === playerId) netId = info.netId;
    });
    return netId === undefined ? undefined : latest.get(netId);
  };
  return { room, sizes, seen };
}

describe("snapshot budget", () => {
  it(`keeps a crowd of ${WALKERS} walkers within ${BUDGET_KBPS} kbps per client, and every walker is seen where it stops`, async () => {
    const walkers: WorldClient[] = [];
    for (let i = 0; i < WALKERS; i += 10) {
      walkers.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => WorldClient.connect({ endpoint: relay.url, name: `Walker${i + j}`, predict: false, viewRadius: 8 })))));
    }
    const observer = await observe();
    try {
      await waitFor("every walker to land", () => walkers.every((w) => w.ownAvatar && w.ownAvatar.flags & 1), 10_000);
      const walkStart = performance.now();
      // Each walks its own way out from the spawn point.
      const lastSeq: number[] = [];
      await every30Hz(3000, () => walkers.forEach((w, i) => (lastSeq[i] = w.sendInput(Keys.Forward, (i / WALKERS) * 2 * Math.PI - Math.PI))));
      const walkEnd = performance.now();

      // Snapshots (payload and framing) at 15 a second, over the walk's last two seconds.
      const window = observer.sizes.filter((s) => s.at > walkEnd - 2000 && s.at <= walkEnd);
      expect(window.length).toBeGreaterThan(20);
      const kbps = (window.reduce((sum, s) => sum + s.bytes + 10, 0) / window.length) * SNAPSHOT_RATE * 8 / 1000;
      expect(kbps).toBeLessThanOrEqual(BUDGET_KBPS);
      // All of them at the full rate would take about 75 kbps: the budget is used, not left idle.
      expect(kbps).toBeGreaterThan(BUDGET_KBPS * 0.7);
      expect(observer.sizes.filter((s) => s.at > walkStart).every((s) => s.bytes <= (BUDGET_KBPS * 1000) / 8 / SNAPSHOT_RATE)).toBe(true);

      // Once they stop, the observer converges on where each one is.
      await waitFor("the relay to simulate every walker's last input", () => walkers.every((w, i) => w.ownAvatar!.ack === lastSeq[i]));
      await waitFor(
        "the observer to see every walker where it stopped",
        () =>
          walkers.every((w) => {
            const at = observer.seen(w.playerId);
            const own = w.ownAvatar!;
            return at && Math.max(Math.abs(at.x - own.x), Math.abs(at.y - own.y), Math.abs(at.z - own.z)) <= 1 / POSITION_SCALE;
          }),
        5000,
      );

      // The tile refreshes its listing every two seconds.
      let tiles: TilesResponse["tiles"] = [];
      for (const deadline = performance.now() + 3000; tiles[0]?.players !== WALKERS + 1 && performance.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        tiles = ((await (await fetch(`${relay.url}/api/tiles`)).json()) as TilesResponse).tiles;
      }
      expect(tiles).toEqual([{ id: SPAWN_TILE, process: expect.any(String) as unknown, players: WALKERS + 1, clients: WALKERS + 1, prims: 0, tickMs: expect.any(Object) as unknown }]);
      const { p50, p99, max } = tiles[0]!.tickMs;
      expect(0 < p50 && p50 <= p99 && p99 <= max).toBe(true);
    } finally {
      await observer.room.leave();
      await Promise.all(walkers.map((w) => w.leave()));
    }
  });
});
