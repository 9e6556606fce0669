import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keys, TICK_RATE, type AvatarsResponse, type OpenTileResponse, type TilesResponse } from "@tessera/protocol";
import { WorldClient } from "@tessera/sdk";
import { requireRedis, startRelayProcess, type RelayProcess } from "./cluster-harness.ts";
import { waitFor, walk } from "./harness.ts";

// Two worlds on one Redis, each in a database of its own, emptied first. Pub/sub channels ignore the
// database number: each world's must carry its own namespace, or a room call for `tile_2_2` (a seat
// reservation, a handoff) reaches both worlds' `tile_2_2`.
const WORLDS = ["redis://127.0.0.1:6379/1", "redis://127.0.0.1:6379/2"] as const;
const redises = await Promise.all(WORLDS.map((url) => requireRedis(url, "the two-worlds cluster tests")));
const hasRedis = redises.every((redis) => redis !== undefined);

/** Players arrive 8 m west of the border between tile_1_2 and tile_2_2 (x = 128), in both worlds. */
const ENV = { SPAWN: "120,160" };
const EAST = Math.PI / 2;
const WEST = -Math.PI / 2;

interface World {
  relays: [RelayProcess, RelayProcess];
}

async function avatars(relay: RelayProcess): Promise<AvatarsResponse> {
  return (await (await fetch(`${relay.url}/api/avatars`)).json()) as AvatarsResponse;
}

describe.skipIf(!hasRedis)("two worlds on one Redis", () => {
  const worlds: World[] = [];

  beforeAll(async () => {
    await Promise.all(redises.map((redis) => redis!.flushdb()));
    // One world after the other: four relays starting at once on a small machine may take long.
    for (const [i, url] of WORLDS.entries()) {
      const relays = await Promise.all([startRelayProcess(url, redises[i]!, ENV), startRelayProcess(url, redises[i]!, ENV)]);
      worlds.push({ relays });
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all(worlds.flatMap((world) => world.relays.map((relay) => relay.stop())));
    for (const redis of redises) redis?.disconnect();
  });

  it("open the same tile ids and hand avatars over across processes without hearing each other", async () => {
    // In each world tile_1_2 (the spawn tile) and tile_2_2 run on different processes: seats and
    // handoffs are room calls over pub/sub, on channels named after the same room ids in both.
    for (const { relays } of worlds) {
      const tiles = ((await (await fetch(`${relays[0].url}/api/tiles`)).json()) as TilesResponse).tiles;
      const east = (await (await fetch(`${relays[0].url}/api/tiles/tile_2_2/open`, { method: "POST" })).json()) as OpenTileResponse;
      expect(east.process).not.toBe(tiles.find((tile) => tile.id === "tile_1_2")!.process);
    }
    for (const [i, { relays }] of worlds.entries()) {
      const own = new Set(relays.map((relay) => relay.processId));
      const listed = ((await (await fetch(`${relays[1].url}/api/tiles`)).json()) as TilesResponse).tiles;
      expect(listed.map((tile) => tile.id).sort(), `world ${i}'s tiles`).toEqual(["tile_1_2", "tile_2_2"]);
      for (const tile of listed) expect(own.has(tile.process), `world ${i}'s ${tile.id} runs in world ${i}`).toBe(true);
    }

    // Two walkers per world, each through the relay that does not run the spawn tile and through the other.
    const walkers = await Promise.all(worlds.map(({ relays }) => Promise.all(relays.map((relay, j) => WorldClient.connect({ endpoint: relay.url, name: `Walker${j}`, viewRadius: 8 })))));
    const ids = walkers.map((group) => new Set(group.map((w) => w.playerId)));
    const strays: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const [i, { relays }] of worlds.entries()) {
          for (const relay of relays) {
            for (const avatar of (await avatars(relay)).avatars) {
              if (!ids[i]!.has(avatar.id)) strays.push(`${avatar.id} in world ${i} (${avatar.tile})`);
            }
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const crossings = walkers.map((group) => group.map(() => 0));
    const failures: string[] = [];
    try {
      await waitFor("every walker to land", () => walkers.flat().every((w) => w.ownAvatar && w.ownAvatar.flags & 1), 10_000);
      // 12 m a leg: from 8 m west of the border to 4 m east of it, and back.
      for (let leg = 0; leg < 2 && failures.length === 0; leg++) {
        const before = walkers.map((group) => group.map((w) => w.authorityTile));
        const walks = await Promise.allSettled(walkers.flat().map((w) => walk(w, Keys.Forward, Math.round((12 / 3.2) * TICK_RATE), leg % 2 ? WEST : EAST)));
        for (const result of walks) if (result.status === "rejected") failures.push(`leg ${leg}: ${(result.reason as Error).message}`);
        walkers.forEach((group, i) => group.forEach((w, j) => w.authorityTile !== before[i]![j] && crossings[i]![j]!++));
      }
    } finally {
      sampling = false;
      await sampler;
      await Promise.all(walkers.flat().map((w) => w.leave()));
    }
    // An avatar handed to the other world's tile_2_2 shows there, and its walker stalls.
    expect(strays).toEqual([]);
    expect(failures).toEqual([]);
    expect(crossings).toEqual([[2, 2], [2, 2]]);
  }, 60_000);
});
