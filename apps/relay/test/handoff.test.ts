import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchMaker } from "@colyseus/core";
import { makePrim, presetShape, quantizeRotation, type Prim } from "@tessera/prims";
import { Keys, TICK_RATE, defaultWorldConfig, tileId, tileOf, type TilesResponse } from "@tessera/protocol";
import { WorldClient } from "@tessera/sdk";
import { AVATAR } from "@tessera/sim";
import type { Relay } from "../src/relay.ts";
import { every30Hz, startTestRelay, waitFor, walk, watchBody } from "./harness.ts";

/** 8 m west of the border between tile_1_1 and tile_2_1 (x = 128). */
const world = { ...defaultWorldConfig(), spawn: { x: 120, z: 96 } };
const EAST = Math.PI / 2;
const WEST = -Math.PI / 2;

let relay: Relay;
beforeAll(async () => {
  relay = await startTestRelay({ world }, []);
});
afterAll(async () => {
  await relay.stop();
});

/** The local tile rooms that hold the player's avatar now. */
function holders(playerId: string): string[] {
  const ids = [];
  for (let tx = 0; tx < world.grid.width; tx++) {
    for (let tz = 0; tz < world.grid.depth; tz++) {
      const id = tileId({ tx, tz });
      const room = matchMaker.getLocalRoomById(id) as unknown as { state: { avatars: Map<string, unknown> } } | undefined;
      if (room?.state.avatars.has(playerId)) ids.push(id);
    }
  }
  return ids;
}

describe("handoff between tiles", () => {
  it("hands a walking avatar across a border and back, always in exactly one room, with no input lost and no jump", async () => {
    const walker = await WorldClient.connect({ endpoint: relay.url, name: "Crosser" });
    const watcher = await WorldClient.connect({ endpoint: relay.url, name: "Watcher", predict: false });
    const samples: number[] = [];
    const jumps: number[] = [];
    let last: { x: number; z: number } | undefined;
    const sample = () => {
      samples.push(holders(walker.playerId).length);
      watcher.frame();
      const seen = [...watcher.avatars()].find((a) => a.id === walker.playerId);
      if (seen && last) jumps.push(Math.hypot(seen.shown.x - last.x, seen.shown.z - last.z));
      if (seen) last = { x: seen.shown.x, z: seen.shown.z };
    };
    const sampler = setInterval(sample, 10);
    try {
      await waitFor("the walker to land", () => walker.ownAvatar && walker.ownAvatar.flags & 1);
      expect(walker.authorityTile).toBe("tile_1_1");
      // East for 4 s: about 12 m, well into tile_2_1.
      await walk(walker, Keys.Forward, 120, EAST);
      const east = walker.ownAvatar!;
      expect(tileId(tileOf(east.x, east.z, world.tileSize))).toBe("tile_2_1");
      await waitFor("tile_2_1 to be the authority", () => walker.authorityTile === "tile_2_1");
      expect(holders(walker.playerId)).toEqual(["tile_2_1"]);
      expect(walker.tiles().find((t) => t.authority)?.id).toBe("tile_2_1");
      // The relay simulated every input: where it put the avatar is where the client predicted.
      expect(Math.hypot(walker.predicted!.x - east.x, walker.predicted!.z - east.z)).toBeLessThan(0.01);

      // Back west across the border.
      await walk(walker, Keys.Forward, 120, WEST);
      await waitFor("tile_1_1 to be the authority again", () => walker.authorityTile === "tile_1_1");
      const west = walker.ownAvatar!;
      expect(Math.hypot(walker.predicted!.x - west.x, walker.predicted!.z - west.z)).toBeLessThan(0.01);
      expect(holders(walker.playerId)).toEqual(["tile_1_1"]);
      await every30Hz(300, () => undefined);
    } finally {
      clearInterval(sampler);
      await walker.leave();
      await watcher.leave();
    }
    expect(samples.length).toBeGreaterThan(300);
    expect(samples.every((count) => count === 1)).toBe(true);
    // Walking speed is about 3 m/s: nothing the watcher saw moved more than a few centimetres per 10 ms sample.
    expect(Math.max(...jumps)).toBeLessThan(0.3);
  });

  it("does not ping-pong an avatar pacing on the border", async () => {
    const pacer = await WorldClient.connect({ endpoint: relay.url, name: "Pacer" });
    try {
      await waitFor("the pacer to land", () => pacer.ownAvatar && pacer.ownAvatar.flags & 1);
      // To about 0.5 m past the border (x = 128), then back and forth across it by a metre.
      await walk(pacer, Keys.Forward, Math.round((8.5 / AVATAR.walkSpeed) * TICK_RATE), EAST);
      const sides: boolean[] = [];
      const authorities = new Set<string | undefined>();
      for (let i = 0; i < 6; i++) {
        sides.push(pacer.ownAvatar!.x > 128);
        authorities.add(pacer.authorityTile);
        await walk(pacer, Keys.Forward, 10, i % 2 ? EAST : WEST);
      }
      expect(sides).toEqual([true, false, true, false, true, false]);
      expect([...authorities]).toEqual(["tile_1_1"]);
      expect(holders(pacer.playerId)).toEqual(["tile_1_1"]);
    } finally {
      await pacer.leave();
    }
  });

  // Here, on the shared relay: the tests below stop relays of their own, and the matchmaker is one per process.
  it("sleeps a tile no one is in or watching, and wakes it when someone comes", async () => {
    const tickTimes = async () => ((await (await fetch(`${relay.url}/api/tiles`)).json()) as TilesResponse).tiles.find((tile) => tile.id === "tile_0_0")?.tickMs;
    expect((await fetch(`${relay.url}/api/tiles/tile_0_0/open`, { method: "POST" })).status).toBe(200);
    // Listings refresh every two seconds of ticks a tile runs: a sleeping one runs none.
    await every30Hz(2500, () => undefined);
    expect(await tickTimes()).toEqual({ p50: 0, p99: 0, max: 0 });
    const watcher = await watchBody(relay.url, "tile_0_0", 0);
    try {
      await waitFor("tile_0_0 to tick for its watcher", async () => ((await tickTimes())?.p50 ?? 0) > 0, 5000);
    } finally {
      await watcher.room.leave();
    }
  });
});

describe("handoff of physical prims", () => {
  it("rolls a ball across a border: one room holds it at every moment, and it keeps its speed", async () => {
    // A ramp in tile_1_1 falling towards +x, its foot 6 m before the border at x = 128; a ball at its top.
    const slope = (12 * Math.PI) / 180;
    const ramp = makePrim(1, presetShape("box"), { x: 116, y: 1.2, z: 96 }, {
      scale: { x: 12, y: 0.3, z: 3 },
      rotation: quantizeRotation({ x: 0, y: 0, z: -Math.sin(slope / 2), w: Math.cos(slope / 2) }),
    });
    const ball = makePrim(2, presetShape("sphere"), { x: 111, y: 3, z: 96 }, { physical: true, scale: { x: 0.6, y: 0.6, z: 0.6 } });
    const local = await startTestRelay({ world }, [ramp, ball]);
    // Someone watches each side of the border, as a client near it would.
    const watchers = await Promise.all(["tile_1_1", "tile_2_1"].map((id) => watchBody(local.url, id, ball.id)));
    const holdCounts: number[] = [];
    const sampler = setInterval(() => holdCounts.push(bodyHolders(ball.id).length), 5);
    try {
      await waitFor("the ball to roll into tile_2_1", () => watchers[1]!.samples.some((s) => s.x > 130), 15_000);
      await every30Hz(300, () => undefined);
    } finally {
      clearInterval(sampler);
      await Promise.all(watchers.map((w) => w.room.leave()));
      await local.stop();
    }
    expect(holdCounts.length).toBeGreaterThan(100);
    expect(holdCounts.every((count) => count <= 1)).toBe(true);
    // In transit between the rooms (out of both) for a moment at most: a few samples.
    expect(holdCounts.filter((count) => count === 0).length).toBeLessThan(5);

    // Its speed just before the handoff (as tile_1_1 sent it) and just after (as tile_2_1 did).
    const [before, after] = watchers.map((w) => w.samples);
    const handedAt = after![0]!.tick;
    const speed = (samples: { tick: number; x: number }[]) => (samples.at(-1)!.x - samples[0]!.x) / ((samples.at(-1)!.tick - samples[0]!.tick) / TICK_RATE);
    const lastBefore = before!.filter((s) => s.tick < handedAt && s.tick >= handedAt - 10);
    const firstAfter = after!.filter((s) => s.tick <= handedAt + 10);
    expect(lastBefore.length).toBeGreaterThan(2);
    expect(firstAfter.length).toBeGreaterThan(2);
    const v0 = speed(lastBefore);
    const v1 = speed(firstAfter);
    expect(v0).toBeGreaterThan(1);
    expect(Math.abs(v1 - v0) / v0).toBeLessThan(0.15);
    // Continuous: where the new room first put it is where the old one was taking it.
    const last = lastBefore.at(-1)!;
    expect(Math.abs(after![0]!.x - (last.x + (v0 * (handedAt - last.tick)) / TICK_RATE))).toBeLessThan(0.1);
  });
});

/** The local tile rooms whose physics holds the prim. */
function bodyHolders(rootId: number): string[] {
  const ids = [];
  for (let tx = 0; tx < world.grid.width; tx++) {
    for (let tz = 0; tz < world.grid.depth; tz++) {
      const id = tileId({ tx, tz });
      const room = matchMaker.getLocalRoomById(id) as unknown as { prims: { physicalRoots(): Iterable<Prim> } } | undefined;
      if (room && [...room.prims.physicalRoots()].some((root) => root.id === rootId)) ids.push(id);
    }
  }
  return ids;
}

describe("stitched borders", () => {
  it("stops an avatar at a wall just across the border, lets it stand on a floor that belongs to the next tile, and keeps it on the grid", async () => {
    // Both belong to tile_2_1 (their roots lie in it); the avatar walks in tile_1_1, up to them.
    const wall = makePrim(1, presetShape("box"), { x: 128.5, y: 1.5, z: 92 }, { scale: { x: 0.4, y: 3, z: 4 } });
    const floor = makePrim(2, presetShape("box"), { x: 134, y: 0.15, z: 100 }, { scale: { x: 14, y: 0.3, z: 4 } });
    const local = await startTestRelay({ world }, [wall, floor]);
    const blocked = await WorldClient.connect({ endpoint: local.url, name: "Blocked", viewRadius: 8 });
    try {
      await waitFor("the avatar to land", () => blocked.ownAvatar && blocked.ownAvatar.flags & 1);
      // South 4 m (z 96 -> 92), in front of the wall; then east into it.
      await walk(blocked, Keys.Forward, Math.round((4 / AVATAR.walkSpeed) * TICK_RATE), Math.PI);
      await walk(blocked, Keys.Forward, 90, EAST);
      const stopped = blocked.ownAvatar!;
      expect(stopped.x).toBeGreaterThan(128.3 - AVATAR.radius - 0.1);
      expect(stopped.x).toBeLessThan(128.3 - AVATAR.radius + 0.05);
      expect(blocked.authorityTile).toBe("tile_1_1");

      // North 8 m (z 92 -> 100), onto the floor's western end at x 127: still in tile_1_1.
      await walk(blocked, Keys.Forward, Math.round((8 / AVATAR.walkSpeed) * TICK_RATE), 0);
      await walk(blocked, Keys.Forward, 5, WEST);
      const standing = blocked.ownAvatar!;
      expect(standing.x).toBeLessThan(128);
      expect(standing.x).toBeGreaterThan(127.05);
      expect(standing.y).toBeCloseTo(0.3, 1);
      expect(standing.flags & 1).toBe(1);
      expect(blocked.authorityTile).toBe("tile_1_1");

      // The grid's edge (x = 0 here, 120 m west) is a wall: the avatar stays on the grid, in tile_0_1.
      await walk(blocked, Keys.Forward | Keys.Run, Math.round((135 / AVATAR.runSpeed) * TICK_RATE), WEST);
      await waitFor("tile_0_1 to take the avatar", () => blocked.authorityTile === "tile_0_1");
      expect(blocked.ownAvatar!.x).toBeGreaterThan(AVATAR.radius - 0.05);
      expect(blocked.ownAvatar!.x).toBeLessThan(1);
    } finally {
      await blocked.leave();
      await local.stop();
    }
  }, 40_000);
});
