import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { OpenTileResponse, SessionResponse } from "@tessera/protocol";
import { requireRedis, startRelayProcess, type RelayProcess } from "./cluster-harness.ts";
import { waitFor } from "./harness.ts";
import { RACE_TILES, avatarsOf, raceEntries } from "./one-avatar.ts";

// A database of its own (and with it, its own pub/sub channels), emptied first.
const REDIS_URL = "redis://127.0.0.1:6379/10";
const redis = await requireRedis(REDIS_URL, "the cluster avatar tests");

describe.skipIf(!redis)("one avatar per player on two relays", () => {
  let a: RelayProcess;
  let b: RelayProcess;

  beforeAll(async () => {
    // The Colyseus SDK warns of each join a newer one replaced before it completed: expected here.
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await redis!.flushdb();
    [a, b] = await Promise.all([startRelayProcess(REDIS_URL, redis!), startRelayProcess(REDIS_URL, redis!)]);
    const owners = new Set<string>();
    for (const tile of RACE_TILES) owners.add(((await (await fetch(`${a.url}/api/tiles/${tile}/open`, { method: "POST" })).json()) as OpenTileResponse).process);
    // The race is across processes only if both hold some of its tiles.
    expect(owners).toEqual(new Set([a.processId, b.processId]));
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    redis!.disconnect();
  });

  it("remains of 16 entries racing over both relays with one token, round after round", async () => {
    const endpoints = [a.url, b.url];
    for (let round = 0; round < 10; round++) {
      const { token, playerId } = (await (await fetch(`${endpoints[round % 2]}/api/session`, { method: "POST" })).json()) as SessionResponse;
      const entries = await raceEntries(endpoints, token, 16);
      const tiles = await waitFor(
        `round ${round} to settle on one avatar`,
        async () => {
          const held = await avatarsOf(endpoints, playerId);
          return held.length === 1 && entries.filter((entry) => entry.outcome === "in").length === 1 ? held : undefined;
        },
        8000,
      );
      const survivor = entries.find((entry) => entry.outcome === "in")!;
      expect(survivor.room!.roomId).toBe(tiles[0]);
      // And it stays that way.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await avatarsOf(endpoints, playerId)).toEqual(tiles);
      await survivor.room!.leave();
    }
  }, 120_000);
});
