import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client as ColyseusClient, CloseCode, type Room } from "@colyseus/sdk";
import { matchMaker } from "@colyseus/core";
import { AVATAR } from "@tessera/sim";
import { ErrorCode, Keys, RelayMessage, TILE_ROOM, type ErrorMessage, type HealthResponse, type SessionResponse } from "@tessera/protocol";
import { WorldClient, memorySessionStore } from "@tessera/sdk";
import type { TilesResponse } from "@tessera/protocol";
import type { Relay } from "../src/relay.ts";
import { RECONNECT_WINDOW_S } from "../src/tiles/TileRoom.ts";
import { startTestRelay, waitFor, walk } from "./harness.ts";

let relay: Relay;
const SPAWN_TILE = "tile_2_2";

beforeAll(async () => {
  relay = await startTestRelay();
});
afterAll(async () => {
  await relay.stop();
});

async function session(name?: string): Promise<SessionResponse> {
  const response = await fetch(`${relay.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(name ? { name } : {}),
  });
  return (await response.json()) as SessionResponse;
}

/** A bare Colyseus connection, for sending what a well-behaved client never would. */
async function rawJoin(name = "Raw"): Promise<{ room: Room; errors: ErrorMessage[]; playerId: string }> {
  const { token, playerId } = await session(name);
  const client = new ColyseusClient(relay.url);
  client.auth.token = token;
  const room = await client.joinById(SPAWN_TILE, { name, enter: true });
  const errors: ErrorMessage[] = [];
  room.onMessage(RelayMessage.Error, (error: ErrorMessage) => errors.push(error));
  room.onMessage(RelayMessage.Snapshot, () => undefined);
  return { room, errors, playerId };
}

function localRoom() {
  return matchMaker.getLocalRoomById(SPAWN_TILE) as unknown as {
    clients: { sessionId: string; ref: { terminate(): void } }[];
    state: { avatars: Map<string, unknown> & { size: number } };
  };
}

describe("relay", () => {
  it("answers health with rooms and players", async () => {
    const health = (await (await fetch(`${relay.url}/api/health`)).json()) as HealthResponse;
    expect(health).toMatchObject({ ok: true, version: "0.1.0", rooms: 1 });
    expect(health.uptimeS).toBeGreaterThanOrEqual(0);
  });

  it("reports the open tiles with their process, players, prims and tick times", async () => {
    const client = await WorldClient.connect({ endpoint: relay.url, name: "Counted", viewRadius: 8 });
    try {
      // Tiles refresh their listing every two seconds.
      const tiles = async () => ((await (await fetch(`${relay.url}/api/tiles`)).json()) as TilesResponse).tiles;
      let spawn: TilesResponse["tiles"][number] | undefined;
      const deadline = performance.now() + 5000;
      while (!(spawn?.players === 1 && spawn.tickMs.p50 > 0) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        spawn = (await tiles()).find((tile) => tile.id === SPAWN_TILE);
      }
      expect(spawn).toMatchObject({ id: SPAWN_TILE, process: expect.any(String) as unknown, players: 1, clients: 1 });
      expect(spawn!.prims).toBeGreaterThan(0);
      const { p50, p99, max } = spawn!.tickMs;
      expect(0 < p50 && p50 <= p99 && p99 <= max).toBe(true);
      // The spawn point is the corner of four tiles: the client watches the other three.
      expect((await tiles()).map((tile) => tile.id)).toEqual(["tile_1_1", "tile_1_2", "tile_2_1", "tile_2_2"]);
    } finally {
      await client.leave();
    }
  });

  it("refuses bad session requests with a clear error", async () => {
    const response = await fetch(`${relay.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "bad_request", message: "request body is not valid JSON (UTF-8)" });
    const big = await fetch(`${relay.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "x".repeat(5000) }) });
    expect(big.status).toBe(413);
  });

  it("limits new sessions per client address behind a local proxy", async () => {
    const ask = () =>
      fetch(`${relay.url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.7" },
        body: "{}",
      });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await ask()).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(await (await ask()).json()).toMatchObject({ error: "rate_limited" });
    // Another address is not affected.
    expect((await session()).token).toBeTruthy();
  });

  it("lets two players see each other, and one see the other walk", async () => {
    const ada = await WorldClient.connect({ endpoint: relay.url, name: "Ada" });
    const bob = await WorldClient.connect({ endpoint: relay.url, name: "Bob" });
    try {
      const adaSeenByBob = await waitFor("Bob to see Ada", () => [...bob.avatars()].find((a) => a.id === ada.playerId));
      await waitFor("Ada to see Bob", () => [...ada.avatars()].find((a) => a.id === bob.playerId));
      expect(adaSeenByBob.name).toBe("Ada");
      await waitFor("Ada to land", () => ada.ownAvatar && ada.ownAvatar.flags & 1);
      const start = { x: adaSeenByBob.x, z: adaSeenByBob.z };

      await walk(ada, Keys.Forward, 30);
      await waitFor("Bob to see Ada's last position", () => Math.abs(adaSeenByBob.z - ada.ownAvatar!.z) < 0.01);
      const walked = adaSeenByBob.z - start.z;
      // 30 ticks at 30 Hz: one second at walking speed.
      expect(walked).toBeGreaterThan(AVATAR.walkSpeed * 0.9);
      expect(walked).toBeLessThan(AVATAR.walkSpeed * 1.1);
      expect(Math.abs(adaSeenByBob.x - start.x)).toBeLessThan(0.01);
    } finally {
      await ada.leave();
      await bob.leave();
    }
  });

  it("lets a headless client leave other avatars out and still walk and measure", async () => {
    const ada = await WorldClient.connect({ endpoint: relay.url, name: "Ada" });
    const bot = await WorldClient.connect({ endpoint: relay.url, name: "Headless", predict: false, others: false });
    try {
      await waitFor("Ada to see the headless client", () => [...ada.avatars()].find((a) => a.id === bot.playerId));
      await waitFor("the headless client to land", () => bot.ownAvatar && bot.ownAvatar.flags & 1);
      const start = bot.ownAvatar!.z;
      await walk(bot, Keys.Forward, 15);
      await waitFor("the headless client to have walked", () => bot.ownAvatar!.z - start > AVATAR.walkSpeed * 0.4);
      expect(bot.net.snapshots).toBeGreaterThan(0);
      expect([...bot.avatars()]).toEqual([]);
    } finally {
      await ada.leave();
      await bot.leave();
    }
  });

  it("shows a late joiner everyone already there, when nothing else changes", async () => {
    const early = [await WorldClient.connect({ endpoint: relay.url, name: "Early1" }), await WorldClient.connect({ endpoint: relay.url, name: "Early2" })];
    try {
      for (const client of early) await waitFor("the early players to land", () => client.ownAvatar);
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let i = 0; i < 5; i++) {
        const late = await WorldClient.connect({ endpoint: relay.url, name: `Late${i}` });
        try {
          await waitFor("the late joiner to see both early players", () => [...late.avatars()].length === 2);
        } finally {
          await late.leave();
        }
      }
    } finally {
      for (const client of early) await client.leave();
    }
  });

  it("refuses bad messages with an error, changes nothing and stays up", async () => {
    const { room, errors, playerId } = await rawJoin();
    const watcher = await WorldClient.connect({ endpoint: relay.url, name: "Watcher" });
    try {
      const seen = await waitFor("the watcher to see the raw player", () => [...watcher.avatars()].find((a) => a.id === playerId));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = { x: seen.x, y: seen.y, z: seen.z };
      const bad: [string, unknown][] = [
        ["input", { seq: 1 }],
        ["input", { seq: 1, ticks: [[Keys.Forward, Number.NaN]] }],
        ["input", { seq: 1, ticks: [[Keys.Forward, Number.POSITIVE_INFINITY]] }],
        ["input", { seq: 1, ticks: [[4096, 0]] }],
        ["input", { seq: -5, ticks: [[Keys.Forward, 0]] }],
        ["input", "forward!"],
        ["input", { seq: 1, ticks: [[Keys.Forward, 0]], pad: "x".repeat(10_000) }],
        ["teleport", { x: 0, y: 100, z: 0 }],
      ];
      for (const [type, payload] of bad) room.send(type, payload);
      await waitFor("an error for the unknown type", () => errors.some((e) => e.code === ErrorCode.UnknownMessage));
      await waitFor("an error for the bad input", () => errors.some((e) => e.code === ErrorCode.BadMessage));
      const badInput = errors.find((e) => e.code === ErrorCode.BadMessage)!;
      expect(badInput.type).toBe("input");
      expect(badInput.message).toMatch(/^input: /);
      expect(errors.find((e) => e.code === ErrorCode.UnknownMessage)?.message).toMatch(/unknown message type "teleport"/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect({ x: seen.x, y: seen.y, z: seen.z }).toEqual(before);
      expect(watcher.status).toBe("connected");
      expect(room.connection.isOpen).toBe(true);

      // A repeated seq is refused too.
      room.send("input", { seq: 10, ticks: [[0, 0]] });
      room.send("input", { seq: 10, ticks: [[Keys.Forward, 0]] });
      await waitFor("a stale-input error", () => errors.some((e) => e.code === ErrorCode.StaleInput));
    } finally {
      await room.leave();
      await watcher.leave();
    }
  });

  it("rate-limits a flood without dropping the client, and closes a connection over the frame cap", async () => {
    const { room, errors } = await rawJoin("Flood");
    try {
      for (let seq = 1; seq <= 150; seq++) room.send("input", { seq, ticks: [[0, 0]] });
      await waitFor("a rate-limit error", () => errors.some((e) => e.code === ErrorCode.RateLimited));
      expect(errors.filter((e) => e.code === ErrorCode.RateLimited)).toHaveLength(1);
      expect(room.connection.isOpen).toBe(true);

      const closed = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
      room.send("input", { seq: 1000, ticks: [[0, 0]], pad: "x".repeat(100_000) });
      expect(await closed).toBe(1009);
      expect(localRoom()).toBeDefined();
    } finally {
      if (room.connection.isOpen) await room.leave();
    }
  });

  it("joins a neighbour tile again that closed under a player standing still", async () => {
    const still = await WorldClient.connect({ endpoint: relay.url, name: "Still", viewRadius: 8 });
    const frames = setInterval(() => still.frame(), 1000 / 30);
    const held = () => still.tiles().filter((tile) => tile.status === "connected").map((tile) => tile.id).sort();
    try {
      // At the spawn point, the corner of four tiles, it holds all four.
      await waitFor("four tiles", () => held().length === 4);
      const neighbour = held().find((id) => id !== SPAWN_TILE)!;
      // As when its relay shuts down.
      await matchMaker.getLocalRoomById(neighbour).disconnect(CloseCode.SERVER_SHUTDOWN);
      await waitFor("the neighbour to be dropped", () => !held().includes(neighbour));
      await waitFor("the neighbour to be joined again", () => held().includes(neighbour), 5000);
    } finally {
      clearInterval(frames);
      await still.leave();
    }
  });

  it("reconnects a dropped player to the same avatar (Node 20)", async () => {
    const ada = await WorldClient.connect({ endpoint: relay.url, name: "Dropped" });
    try {
      await waitFor("Ada's first snapshot", () => ada.ownAvatar);
      await walk(ada, Keys.Forward | Keys.Run, 12, 1);
      const before = { ...ada.ownAvatar! };
      const statuses: string[] = [];
      ada.subscribe(() => statuses.push(ada.status));
      const server = localRoom();
      expect(server.clients.length).toBe(1);
      // Kill the socket without a close frame: an abnormal drop, as when a network goes away.
      server.clients[0]!.ref.terminate();
      await waitFor("reconnecting", () => statuses.includes("reconnecting"));
      await waitFor("connected again", () => ada.status === "connected", 10_000);
      await waitFor("a fresh snapshot", () => ada.ownAvatar!.receivedAt > performance.now() - 200);
      expect(Math.hypot(ada.ownAvatar!.x - before.x, ada.ownAvatar!.z - before.z)).toBeLessThan(0.01);
      // Inputs go on from the same seq: the relay still acknowledges them.
      const next = ada.sendInput(Keys.Forward, 1);
      await waitFor("the next input to be acknowledged", () => ada.ownAvatar!.ack === next);
      expect(RECONNECT_WINDOW_S).toBeGreaterThanOrEqual(10);
    } finally {
      await ada.leave();
    }
  });

  it("removes at once a player whose page went away (close code 1001)", async () => {
    const watcher = await WorldClient.connect({ endpoint: relay.url, name: "Stays" });
    const { room, playerId } = await rawJoin("GoesAway");
    try {
      await waitFor("the watcher to see the leaver", () => [...watcher.avatars()].some((a) => a.id === playerId));
      // What a browser does on unload: close the socket with 1001, no leave message.
      (room.connection as unknown as { transport: { ws: { close(code: number): void } } }).transport.ws.close(1001);
      await waitFor("the leaver to be gone well before the reconnection window ends", () => ![...watcher.avatars()].some((a) => a.id === playerId), 3000);
    } finally {
      await watcher.leave();
    }
  });

  it("hands the avatar to a newer session of the same player and tells the old one", async () => {
    const store = memorySessionStore();
    const first = await WorldClient.connect({ endpoint: relay.url, store });
    const second = await WorldClient.connect({ endpoint: relay.url, store });
    try {
      expect(second.playerId).toBe(first.playerId);
      await waitFor("the first session to be replaced", () => first.status === "replaced");
      expect(second.status).toBe("connected");
      const ids = [...(localRoom().state.avatars as unknown as Map<string, unknown>).keys()];
      expect(ids.filter((id) => id === first.playerId)).toHaveLength(1);
    } finally {
      await second.leave();
    }
  });

  it("refuses joins without a valid token or with a bad name", async () => {
    const client = new ColyseusClient(relay.url);
    await expect(client.joinById(SPAWN_TILE, { name: "NoToken" })).rejects.toThrow(/guest token/);
    client.auth.token = "forged.token";
    await expect(client.joinById(SPAWN_TILE, { name: "Forged" })).rejects.toThrow(/guest token/);
    client.auth.token = (await session()).token;
    await expect(client.joinById(SPAWN_TILE, { name: "<script>" })).rejects.toThrow(/bad join options: name/);
    await expect(client.joinById(SPAWN_TILE, { name: "Ok", admin: true })).rejects.toThrow(/Unrecognized key/);
  });

  it("never lets a client create or match tile rooms", async () => {
    const client = new ColyseusClient(relay.url);
    client.auth.token = (await session()).token;
    const rooms = matchMaker.stats.local.roomCount;
    await expect(client.create(TILE_ROOM, { tx: 2, tz: 2 })).rejects.toThrow(/only joins tile rooms by id/);
    await expect(client.create(TILE_ROOM, { tx: 1, tz: 1, claim: "guess" })).rejects.toThrow(/only joins tile rooms by id/);
    await expect(client.joinOrCreate(TILE_ROOM, {})).rejects.toThrow(/only joins tile rooms by id/);
    expect(matchMaker.stats.local.roomCount).toBe(rooms);
  });
});

describe("opening tiles", () => {
  it("refuses ids that are not tiles of the grid, and opens nothing", async () => {
    const before = ((await (await fetch(`${relay.url}/api/tiles`)).json()) as TilesResponse).tiles.map((tile) => tile.id);
    for (const id of ["tile_9_9", "tile_-1_0", "tile:1:1", "lobby"]) {
      const response = await fetch(`${relay.url}/api/tiles/${id}/open`, { method: "POST" });
      expect(response.status, id).toBe(404);
      expect(await response.json()).toMatchObject({ error: "not_found" });
    }
    const after = ((await (await fetch(`${relay.url}/api/tiles`)).json()) as TilesResponse).tiles.map((tile) => tile.id);
    expect(after).toEqual(before);
  });
});
