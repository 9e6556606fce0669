import { Client as ColyseusClient, type Room } from "@colyseus/sdk";
import type { AvatarsResponse } from "@tessera/protocol";

/** Tiles the race enters: the spawn tile and its neighbours, so that on two relays both hold some. */
export const RACE_TILES = ["tile_1_1", "tile_1_2", "tile_2_1", "tile_2_2", "tile_3_2", "tile_2_3", "tile_3_3", "tile_1_3"];

/** What became of one racing entry: its room if it got in and is still open, else how it ended. */
export interface Entry {
  room?: Room;
  outcome: "in" | "refused" | "replaced";
}

/**
 * Enters the world `count` times at once with one token, the entries spread over `endpoints` and
 * `RACE_TILES`; resolves once every entry has got in or been refused.
 */
export async function raceEntries(endpoints: string[], token: string, count: number): Promise<Entry[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i): Promise<Entry> => {
      const client = new ColyseusClient(endpoints[i % endpoints.length]);
      client.auth.token = token;
      try {
        const room = await client.joinById(RACE_TILES[i % RACE_TILES.length]!, { enter: true });
        room.onMessage("*", () => undefined);
        const entry: Entry = { room, outcome: "in" };
        room.onLeave(() => (entry.outcome = "replaced"));
        return entry;
      } catch {
        return { outcome: "refused" };
      }
    }),
  );
}

/** The avatars of `playerId` that the relays at `endpoints` hold, by tile. */
export async function avatarsOf(endpoints: string[], playerId: string): Promise<string[]> {
  const reports = await Promise.all(endpoints.map(async (url) => ((await (await fetch(`${url}/api/avatars`)).json()) as AvatarsResponse).avatars));
  return reports.flat().filter((avatar) => avatar.id === playerId).map((avatar) => avatar.tile);
}
