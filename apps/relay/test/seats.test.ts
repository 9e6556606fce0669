import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Client as ColyseusClient, type Room } from "@colyseus/sdk";
import { matchMaker } from "@colyseus/core";
import { Protocol } from "@colyseus/shared-types";
import { ErrorCode, RelayMessage, TileCloseCode, type ErrorMessage } from "@tessera/protocol";
import type { Relay } from "../src/relay.ts";
import { seatsPerPlayer } from "../src/tiles/seat-ledger.ts";
import { FRAME_BURST } from "../src/sockets/frame-guard.ts";
import { newSession, recordingLogger, startTestRelay, waitFor } from "./harness.ts";

const SPAWN_TILE = "tile_2_2";
let relay: Relay;
const { log, lines } = recordingLogger();

beforeAll(async () => {
  relay = await startTestRelay({}, undefined, { log });
});
afterAll(async () => {
  await relay.stop();
});

/** Asks for a seat in a tile with `token` (HTTP only: no socket). */
function reserve(token: string | undefined, tile = SPAWN_TILE, options: object = {}): Promise<Response> {
  return fetch(`${relay.url}/matchmake/joinById/${tile}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(options),
  });
}

async function join(token: string, tile = SPAWN_TILE, options: object = {}): Promise<Room> {
  const client = new ColyseusClient(relay.url);
  client.auth.token = token;
  const room = await client.joinById(tile, options);
  room.onMessage("*", () => undefined);
  return room;
}

describe("seat reservations", () => {
  it("need a valid token", async () => {
    for (const token of [undefined, "forged", "AAAAAAAAAAAA.mhh2x0.AAAAAAAAAAAAAAAAAAAAAA"]) {
      const response = await reserve(token);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: expect.stringMatching(/guest token/) as unknown });
    }
  });

  it("are bounded per player by what its view needs", async () => {
    const { token } = await newSession(relay.url);
    const cap = seatsPerPlayer(64, 64);
    const answers = await Promise.all(Array.from({ length: 40 }, () => reserve(token)));
    const statuses = answers.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(cap);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - cap);
    const refused = answers.find((response) => response.status === 429)!;
    expect(await refused.json()).toMatchObject({ error: expect.stringMatching(/too many seats: a player holds at most 20/) as unknown });
    // Another player is not affected.
    expect((await reserve((await newSession(relay.url)).token)).status).toBe(200);
  });

  it("are session ids a relay signed: a socket with a made-up one is refused before anything else happens", async () => {
    lines.length = 0;
    const url = `ws://127.0.0.1:${relay.port}/${matchMaker.processId}/${SPAWN_TILE}?sessionId=abcdefghi`;
    const refusal = await new Promise<number>((resolve) => {
      const socket = new WebSocket(url);
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.on("open", () => resolve(101));
      socket.on("error", () => undefined);
    });
    expect(refusal).toBe(403);
    expect(lines.join("\n")).not.toMatch(/\s+at .+:\d+:\d+/);
  });
});

describe("connections", () => {
  it("are one per player and tile: a newer one replaces the older", async () => {
    const { token } = await newSession(relay.url);
    await fetch(`${relay.url}/api/tiles/tile_1_1/open`, { method: "POST" });
    const first = await join(token, "tile_1_1");
    const closed = new Promise<number>((resolve) => first.onLeave((code) => resolve(code)));
    const second = await join(token, "tile_1_1");
    expect(await closed).toBe(TileCloseCode.Replaced);
    expect(second.connection.isOpen).toBe(true);
    await second.leave();
  });

  it("count every frame, pings and requests included, against the client's budget", async () => {
    const { token } = await newSession(relay.url);
    const room = await join(token);
    const errors: ErrorMessage[] = [];
    room.onMessage(RelayMessage.Error, (error: ErrorMessage) => errors.push(error));
    try {
      let pongs = 0;
      const ws = (room.connection as unknown as { transport: { ws: WebSocket } }).transport.ws;
      ws.on("message", (data: ArrayBuffer | Buffer) => {
        if (new Uint8Array(data)[0] === Protocol.PING) pongs++;
      });
      // Pings are answered by Colyseus itself: beyond the burst they are dropped like messages.
      for (let i = 0; i < 200; i++) ws.send(Buffer.from([Protocol.PING]));
      // Requests of a type with no handler were answered without ever meeting the message guard.
      for (let i = 0; i < 20; i++) ws.send(Buffer.from([Protocol.ROOM_REQUEST, i, 0xa4, ...Buffer.from("nope")]));
      await waitFor("a rate-limit notice", () => errors.some((error) => error.code === ErrorCode.RateLimited));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pongs).toBeGreaterThan(0);
      expect(pongs).toBeLessThanOrEqual(FRAME_BURST);
      expect(room.connection.isOpen).toBe(true);
    } finally {
      await room.leave();
    }
  });

  it("cut off a client far past its budget", async () => {
    const { token } = await newSession(relay.url);
    const room = await join(token);
    const closed = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    const ws = (room.connection as unknown as { transport: { ws: WebSocket } }).transport.ws;
    for (let i = 0; i < 400; i++) ws.send(Buffer.from([Protocol.PING]));
    expect(await closed).toBe(4002);
  });
});

describe("refusals", () => {
  it("of a join are one short line in the log, never a stack", async () => {
    lines.length = 0;
    const client = new ColyseusClient(relay.url);
    client.auth.token = "forged";
    await expect(client.joinById(SPAWN_TILE, {})).rejects.toThrow(/guest token/);
    client.auth.token = (await newSession(relay.url)).token;
    await expect(client.joinById(SPAWN_TILE, { name: "Ok", admin: true })).rejects.toThrow(/Unrecognized key/);
    // One line each at most (fewer once the log's allowance for refusals is spent).
    const refused = lines.filter((line) => line.includes("refused: join"));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(2);
    for (const line of lines) expect(line).not.toMatch(/\s+at .+:\d+:\d+|\n/);
  });

  it("of a room creation the relay did not ask for leave nothing behind and throw nothing more", async () => {
    lines.length = 0;
    const rooms = matchMaker.stats.local.roomCount;
    await expect(matchMaker.createRoom("tile", { tx: 1, tz: 3, claim: "guess" })).rejects.toThrow(/opened by the relay/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(matchMaker.stats.local.roomCount).toBe(rooms);
    expect(lines.filter((line) => !line.includes("refused:"))).toEqual([]);
  });

  it("of messages of any type are one quiet line, and the guard never throws", async () => {
    const { token } = await newSession(relay.url);
    const room = await join(token);
    const errors: ErrorMessage[] = [];
    room.onMessage(RelayMessage.Error, (error: ErrorMessage) => errors.push(error));
    lines.length = 0;
    try {
      const ws = (room.connection as unknown as { transport: { ws: WebSocket } }).transport.ws;
      // ROOM_DATA whose type is a number, then one whose payload is not msgpack at all.
      ws.send(Buffer.from([Protocol.ROOM_DATA, 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0]));
      room.send(7, { any: "thing" });
      await waitFor("an unknown-type notice", () => errors.some((error) => error.code === ErrorCode.UnknownMessage));
      expect(room.connection.isOpen).toBe(true);
      const closed = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
      ws.send(Buffer.from([Protocol.ROOM_DATA, 0xa5, ...Buffer.from("input"), 0xc1, 0xc1]));
      await closed;
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const line of lines) expect(line).not.toMatch(/\s+at .+:\d+:\d+|\n/);
    } finally {
      if (room.connection.isOpen) await room.leave();
    }
  });
});
