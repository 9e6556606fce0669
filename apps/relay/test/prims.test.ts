import { afterEach, describe, expect, it } from "vitest";
import { Client as ColyseusClient } from "@colyseus/sdk";
import { makePrim, presetShape, solidFace, type Prim } from "@tessera/prims";
import { Keys, PRIM_CHUNK_BYTES, PrimStream, RelayMessage, decodePrimStream, defaultWorldConfig, primsByTile, type SessionResponse } from "@tessera/protocol";
import { WorldClient } from "@tessera/sdk";
import { AVATAR } from "@tessera/sim";
import { demoWorld } from "@tessera/worldgen";
import type { Relay } from "../src/relay.ts";
import { startTestRelay, waitFor, walk } from "./harness.ts";

/** The spawn point of the default world: (128, 128), the corner of tile (2, 2), which holds +x and +z of it. */
const SPAWN = defaultWorldConfig().spawn;

let relay: Relay | undefined;
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});

const box = (id: number, centre: { x: number; y: number; z: number }, size: { x: number; y: number; z: number }, physical = false) =>
  makePrim(id, presetShape("box"), centre, { scale: size, physical, faces: [solidFace(200, 180, 150)] });

describe("prims in tile rooms", () => {
  it("streams every prim of the tile to a joining client, in bounded chunks", async () => {
    // 1500 prims, most of them customised (bigger records): several chunks.
    const prims = Array.from({ length: 1500 }, (_, i) =>
      makePrim(i + 1, { ...presetShape(i % 2 ? "torus" : "box"), twistEnd: i % 90, hollow: (i % 7) / 10 }, { x: 130 + (i % 50), y: 1, z: 130 + Math.floor(i / 50) }, { faces: [solidFace(i % 256, 100, 50)] }),
    );
    relay = await startTestRelay({}, (prims));
    const { token } = (await (await fetch(`${relay.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as SessionResponse;
    const colyseus = new ColyseusClient(relay.url);
    colyseus.auth.token = token;
    const room = await colyseus.joinById("tile_2_2", {});
    const chunks: Uint8Array[] = [];
    room.onMessage(RelayMessage.Prims, (bytes: Uint8Array) => chunks.push(bytes));
    room.onMessage(RelayMessage.Snapshot, () => undefined);
    try {
      await waitFor("the last chunk", () => chunks.length > 0 && chunks.at(-1)![0] === PrimStream.LoadDone);
      expect(chunks.length).toBeGreaterThan(5);
      const received: Prim[] = [];
      chunks.forEach((bytes, i) => {
        expect(bytes.byteLength).toBeLessThanOrEqual(PRIM_CHUNK_BYTES);
        const message = decodePrimStream(bytes);
        expect(message.kind).toBe(i === chunks.length - 1 ? PrimStream.LoadDone : PrimStream.Load);
        if ("prims" in message) received.push(...message.prims);
      });
      expect(received).toEqual(prims);
    } finally {
      await room.leave();
    }
  });

  it("gives the SDK the demo world's tiles in view, and only those", async () => {
    relay = await startTestRelay();
    const client = await WorldClient.connect({ endpoint: relay.url, name: "Loader", viewRadius: 20 });
    try {
      // The spawn point is the corner of four tiles: all four are within 20 m.
      await waitFor("the prims to load", () => client.loaded && client.tiles().length === 4);
      const demo = primsByTile(demoWorld(defaultWorldConfig()), defaultWorldConfig().tileSize);
      const expected = client.tiles().flatMap((tile) => demo.get(tile.id) ?? []);
      expect(client.tiles().map((tile) => tile.id).sort()).toEqual(["tile_1_1", "tile_1_2", "tile_2_1", "tile_2_2"]);
      expect(client.prims.size).toBe(expected.length);
      for (const prim of expected) if (!prim.physical) expect(client.prims.get(prim.id)).toEqual(prim);
    } finally {
      await client.leave();
    }
  });

  it("stops an avatar at a wall of prims", async () => {
    // A wall 4 m ahead (+z) of the spawn point, across the avatar's way.
    relay = await startTestRelay({}, ([box(1, { x: SPAWN.x + 2, y: 1.5, z: SPAWN.z + 4 }, { x: 6, y: 3, z: 0.5 })]));
    const client = await WorldClient.connect({ endpoint: relay.url, name: "Walker" });
    try {
      await waitFor("the avatar to land", () => client.ownAvatar?.flags);
      const start = client.ownAvatar!.x;
      await walk(client, Keys.Forward, 75, 0);
      const face = SPAWN.z + 4 - 0.25;
      expect(client.ownAvatar!.z).toBeLessThan(face - AVATAR.radius + 0.05);
      expect(client.ownAvatar!.z).toBeGreaterThan(face - AVATAR.radius - 0.2);
      expect(Math.abs(client.ownAvatar!.x - start)).toBeLessThan(0.05);
    } finally {
      await client.leave();
    }
  });

  it("lets an avatar climb stairs of prims and stand on top", async () => {
    // Eight 0.25 m steps up along +z, then a landing 2 m high.
    const steps = Array.from({ length: 8 }, (_, k) => box(k + 1, { x: SPAWN.x + 1, y: ((k + 1) * 0.25) / 2, z: SPAWN.z + 2 + k * 0.4 + 0.2 }, { x: 3, y: (k + 1) * 0.25, z: 0.4 }));
    const landing = box(9, { x: SPAWN.x + 1, y: 1, z: SPAWN.z + 2 + 3.2 + 1.5 }, { x: 3, y: 2, z: 3 });
    relay = await startTestRelay({}, ([...steps, landing]));
    const client = await WorldClient.connect({ endpoint: relay.url, name: "Climber" });
    try {
      await waitFor("the avatar to land", () => client.ownAvatar?.flags);
      // Facing +z, left is +x: one metre left puts the avatar in the middle of the stairs.
      await walk(client, Keys.Left, 9, 0);
      // Two seconds (60 ticks, 6.4 m) of walking: up the 3.2 m of stairs and onto the landing (z from +5.2 to +8.2).
      await walk(client, Keys.Forward, 60, 0);
      expect(client.ownAvatar!.z).toBeGreaterThan(SPAWN.z + 5.2);
      expect(client.ownAvatar!.z).toBeLessThan(SPAWN.z + 8.2);
      expect(client.ownAvatar!.y).toBeCloseTo(2, 1);
      expect(client.ownAvatar!.flags & 1).toBe(1);
    } finally {
      await client.leave();
    }
  });

  it("moves a physical prim an avatar pushes, for everyone", async () => {
    const crate = box(1, { x: SPAWN.x, y: 0.4, z: SPAWN.z + 2 }, { x: 0.8, y: 0.8, z: 0.8 }, true);
    relay = await startTestRelay({}, ([crate]));
    const pusher = await WorldClient.connect({ endpoint: relay.url, name: "Pusher" });
    const watcher = await WorldClient.connect({ endpoint: relay.url, name: "Watcher" });
    try {
      await waitFor("the watcher to load the crate", () => watcher.loaded && watcher.prims.get(1));
      await waitFor("the crate to settle", () => Math.abs(watcher.prims.get(1)!.position.y - 0.4) < 0.02);
      const before = watcher.prims.get(1)!.position;
      await walk(pusher, Keys.Forward, 75, 0);
      const after = await waitFor("the watcher to see the crate pushed along +z", () => watcher.prims.get(1)!.position.z > before.z + 0.5 && watcher.prims.get(1)!.position);
      expect(Math.abs(after.x - before.x)).toBeLessThan(0.5);
      // Once it comes to rest, both hold exactly the pose the relay holds: on the ground.
      const rest = await waitFor("the crate to rest and both to agree", () => {
        const a = watcher.prims.get(1)!.position;
        const b = pusher.prims.get(1)!.position;
        return a.x === b.x && a.y === b.y && a.z === b.z && Math.abs(a.y - 0.4) < 0.01 && a;
      }, 15_000);
      expect(rest.z).toBeGreaterThan(before.z + 0.5);
    } finally {
      await pusher.leave();
      await watcher.leave();
    }
  });
});
