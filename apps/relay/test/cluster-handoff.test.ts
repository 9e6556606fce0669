import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makePrim, presetShape, quantizeRotation } from "@tessera/prims";
import { Keys, TICK_RATE, type AvatarsResponse, type OpenTileResponse, type TilesResponse } from "@tessera/protocol";
import { WorldClient } from "@tessera/sdk";
import { requireRedis, startRelayProcess, type RelayProcess } from "./cluster-harness.ts";
import { every30Hz, waitFor, walk, watchBody } from "./harness.ts";

// A database of its own, emptied first (see cluster.test.ts).
const REDIS_URL = "redis://127.0.0.1:6379/7";
const redis = await requireRedis(REDIS_URL, "the cluster handoff tests");

/** Players arrive 8 m west of the border between tile_1_2 and tile_2_2 (x = 128). */
const SPAWN = { x: 120, z: 160 };
const EAST = Math.PI / 2;
const WEST = -Math.PI / 2;
/** A ramp in tile_1_1 falling towards +x, its foot 6 m before tile_2_1; a ball at its top. */
const slope = (12 * Math.PI) / 180;
const RAMP = makePrim(1, presetShape("box"), { x: 116, y: 1.2, z: 96 }, {
  scale: { x: 12, y: 0.3, z: 3 },
  rotation: quantizeRotation({ x: 0, y: 0, z: -Math.sin(slope / 2), w: Math.cos(slope / 2) }),
});
const BALL = makePrim(2, presetShape("sphere"), { x: 111, y: 3, z: 96 }, { physical: true, scale: { x: 0.6, y: 0.6, z: 0.6 } });

async function post<T>(url: string): Promise<T> {
  const response = await fetch(url, { method: "POST" });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

async function avatars(relay: RelayProcess): Promise<AvatarsResponse> {
  return (await (await fetch(`${relay.url}/api/avatars`)).json()) as AvatarsResponse;
}

describe.skipIf(!redis)("handoff between relay processes", () => {
  let a: RelayProcess;
  let b: RelayProcess;

  beforeAll(async () => {
    await redis!.flushdb();
    const dir = await mkdtemp(join(tmpdir(), "tessera-world-"));
    const worldPrims = join(dir, "prims.json");
    await writeFile(worldPrims, JSON.stringify([RAMP, BALL]));
    const env = { SPAWN: `${SPAWN.x},${SPAWN.z}`, WORLD_PRIMS: worldPrims };
    [a, b] = await Promise.all([startRelayProcess(REDIS_URL, redis!, env), startRelayProcess(REDIS_URL, redis!, env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    redis!.disconnect();
  });

  it("walks avatars back and forth across a border between processes: each is always in exactly one room", async () => {
    // The spawn tile is on one process; its east neighbour opens on the other (the least loaded).
    const spawnTile = (await (await fetch(`${a.url}/api/tiles`)).json()) as TilesResponse;
    const west = spawnTile.tiles.find((tile) => tile.id === "tile_1_2")!;
    const east = await post<OpenTileResponse>(`${a.url}/api/tiles/tile_2_2/open`);
    expect(east.process).not.toBe(west.process);
    const [home, away] = west.process === a.processId ? [a, b] : [b, a];

    const walkers = await Promise.all([0, 1, 2, 3].map((i) => WorldClient.connect({ endpoint: (i % 2 ? a : b).url, name: `Crosser${i}`, viewRadius: 8 })));
    const ids = walkers.map((w) => w.playerId);
    let samples = 0;
    const lost: string[] = [];
    const duplicated: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        // home, away, home: an avatar the home process holds (not frozen for a handoff) at both ends
        // held it all along; if the away process held it unfrozen in between, two rooms had it.
        const first = await avatars(home);
        const middle = await avatars(away);
        const last = await avatars(home);
        samples++;
        for (const id of ids) {
          const held = (r: AvatarsResponse) => r.avatars.filter((avatar) => avatar.id === id);
          const moving = (r: AvatarsResponse) => held(r).some((avatar) => !avatar.frozen);
          if (held(first).length + held(middle).length + held(last).length === 0) lost.push(id);
          if ([first, middle, last].some((r) => held(r).length > 1) || (moving(first) && moving(middle) && moving(last))) duplicated.push(id);
        }
      }
    })();
    const authorities = walkers.map(() => new Set<string | undefined>());
    const crossings = walkers.map(() => 0);
    try {
      await waitFor("every walker to land", () => walkers.every((w) => w.ownAvatar && w.ownAvatar.flags & 1), 10_000);
      // Each leg is 12 m: from 8 m west of the border to 4 m east of it, and back.
      for (let leg = 0; leg < 4; leg++) {
        const before = walkers.map((w) => w.authorityTile);
        await Promise.all(walkers.map((w) => walk(w, Keys.Forward, Math.round((12 / 3.2) * TICK_RATE), leg % 2 ? WEST : EAST)));
        walkers.forEach((w, i) => {
          authorities[i]!.add(w.authorityTile);
          if (w.authorityTile !== before[i]) crossings[i]!++;
        });
      }
      await every30Hz(300, () => undefined);
    } finally {
      sampling = false;
      await sampler;
      await Promise.all(walkers.map((w) => w.leave()));
    }
    expect(crossings).toEqual([4, 4, 4, 4]);
    for (const seen of authorities) expect([...seen].sort()).toEqual(["tile_1_2", "tile_2_2"]);
    expect(samples).toBeGreaterThan(20);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    // Every input was simulated, across both processes: the relay put each where it predicted.
    for (const w of walkers) expect(Math.hypot(w.predicted!.x - w.ownAvatar!.x, w.predicted!.z - w.ownAvatar!.z)).toBeLessThan(0.01);
  }, 60_000);

  it("rolls a ball across a border between processes, and it keeps its speed", async () => {
    // One tile open on each process so far; tile_2_1 opens on the relay asked (a tie), then tile_1_1
    // through the other relay lands on the other process.
    const east = await post<OpenTileResponse>(`${a.url}/api/tiles/tile_2_1/open`);
    const other = east.process === a.processId ? b : a;
    const watchEast = await watchBody(other.url, "tile_2_1", BALL.id);
    const westOpened = await post<OpenTileResponse>(`${other.url}/api/tiles/tile_1_1/open`);
    expect(westOpened.process).not.toBe(east.process);
    const watchWest = await watchBody(a.url, "tile_1_1", BALL.id);
    try {
      await waitFor("the ball to roll into tile_2_1", () => watchEast.samples.some((s) => s.x > 130), 15_000);
    } finally {
      await Promise.all([watchWest.room.leave(), watchEast.room.leave()]);
    }
    const handedAt = watchEast.samples[0]!.tick;
    const speed = (s: { tick: number; x: number }[]) => (s.at(-1)!.x - s[0]!.x) / ((s.at(-1)!.tick - s[0]!.tick) / TICK_RATE);
    const before = watchWest.samples.filter((s) => s.tick < handedAt && s.tick >= handedAt - 10);
    const after = watchEast.samples.filter((s) => s.tick <= handedAt + 10);
    expect(before.length).toBeGreaterThan(2);
    expect(after.length).toBeGreaterThan(2);
    const v0 = speed(before);
    expect(v0).toBeGreaterThan(1);
    expect(Math.abs(speed(after) - v0) / v0).toBeLessThan(0.15);
    const last = before.at(-1)!;
    expect(Math.abs(watchEast.samples[0]!.x - (last.x + (v0 * (handedAt - last.tick)) / TICK_RATE))).toBeLessThan(0.15);
  });
});
