import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Relay } from "../src/relay.ts";
import { newSession, startTestRelay, waitFor } from "./harness.ts";
import { RACE_TILES, avatarsOf, raceEntries } from "./one-avatar.ts";

let relay: Relay;

beforeAll(async () => {
  // The Colyseus SDK warns of each join a newer one replaced before it completed: expected here.
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  relay = await startTestRelay();
  for (const tile of RACE_TILES) await fetch(`${relay.url}/api/tiles/${tile}/open`, { method: "POST" });
});
afterAll(async () => {
  await relay.stop();
});

describe("one avatar per player", () => {
  it("remains of 16 entries racing into 8 tiles with one token, again and again", async () => {
    for (let round = 0; round < 5; round++) {
      const { token, playerId } = await newSession(relay.url);
      const entries = await raceEntries([relay.url], token, 16);
      const tiles = await waitFor("the race to settle on one avatar", async () => {
        const held = await avatarsOf([relay.url], playerId);
        return held.length === 1 && entries.filter((entry) => entry.outcome === "in").length === 1 ? held : undefined;
      });
      expect(tiles).toHaveLength(1);
      // The entry still in is the one whose tile holds the avatar: it drives it.
      const survivor = entries.find((entry) => entry.outcome === "in")!;
      expect(survivor.room!.roomId).toBe(tiles[0]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await avatarsOf([relay.url], playerId)).toEqual(tiles);
      for (const entry of entries) if (entry.outcome === "in") await entry.room!.leave();
    }
  });
});
