import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client as ColyseusClient, CloseCode, type Room } from "@colyseus/sdk";
import { matchMaker } from "@colyseus/core";
import { RelayMessage } from "@tessera/protocol";
import { leaveRoom } from "@tessera/sdk";
import type { Relay } from "../src/relay.ts";
import { newSession, startTestRelay, waitFor } from "./harness.ts";

const SPAWN_TILE = "tile_2_2";
let relay: Relay;

beforeAll(async () => {
  relay = await startTestRelay();
});
afterAll(async () => {
  await relay.stop();
});

/** The relay's side of the spawn tile: who is connected. */
const connected = () => (matchMaker.getLocalRoomById(SPAWN_TILE) as unknown as { clients: { sessionId: string; ref: { terminate(): void } }[] }).clients;

/** Joins the spawn tile with an avatar and waits for its first snapshot; the SDK retries a dropped socket after `retryMs`. */
async function join(retryMs: number): Promise<Room> {
  const { token } = await newSession(relay.url, "Leaver");
  const client = new ColyseusClient(relay.url);
  client.auth.token = token;
  const room = await client.joinById(SPAWN_TILE, { enter: true });
  room.onMessage("*", () => undefined);
  const snapshot = new Promise((resolve) => room.onMessage(RelayMessage.Snapshot, resolve));
  Object.assign(room.reconnection, { minUptime: 0, minDelay: retryMs, maxDelay: retryMs });
  // Joined in full (a socket cut before the relay confirmed the join cannot be resumed).
  await snapshot;
  return room;
}

/** Cuts the room's socket from the relay's side, without a close frame. */
function cut(room: Room): void {
  connected().find((client) => client.sessionId === room.sessionId)!.ref.terminate();
}

const socketOf = (room: Room) => (room.connection.transport as unknown as { ws: { readyState: number } }).ws;

describe("leaving a tile", () => {
  it("works while the socket is reconnecting: the connecting socket is closed, and no attempt follows", async () => {
    const room = await join(100);
    let attempts = 0;
    let left: Promise<number> | undefined;
    const reconnect = room.connection.reconnect.bind(room.connection);
    room.connection.reconnect = (params) => {
      attempts++;
      reconnect(params);
      // Right after the SDK opened its new socket: it is still connecting.
      expect(socketOf(room).readyState).toBe(0);
      left ??= leaveRoom(room);
    };
    cut(room);
    await waitFor("the first reconnection attempt", () => left);
    await left;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(attempts).toBe(1);
    expect(socketOf(room).readyState).toBe(3);
  });

  it("works between two attempts: should the attempt under way succeed, the tile is left at once", async () => {
    const room = await join(300);
    const dropped = new Promise<void>((resolve) => room.onDrop(() => resolve()));
    cut(room);
    await dropped;
    // The attempt under way succeeds; the room is left at once, with consent.
    expect(await leaveRoom(room)).toBe(CloseCode.CONSENTED);
    // Past the time another attempt would have been made.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(connected().map((client) => client.sessionId)).not.toContain(room.sessionId);
    expect(socketOf(room).readyState).toBe(3);
  });
});
