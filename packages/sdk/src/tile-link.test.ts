import { describe, expect, it } from "vitest";
import { AvatarInfo, TileState } from "@tessera/protocol";
import { TileLink } from "./tile-link.ts";

function state(avatars: [id: string, netId: number][]): TileState {
  const tile = new TileState();
  for (const [id, netId] of avatars) tile.avatars.set(id, new AvatarInfo({ id, name: id, netId }));
  return tile;
}

describe("TileLink roster", () => {
  it("lists the players its tile names, as the roster changes", () => {
    const link = new TileLink("tile_1_2");
    expect(link.syncRoster(state([["ada", 1], ["bob", 2]]))).toBe(true);
    expect(link.lists("ada") && link.lists("bob")).toBe(true);
    expect(link.syncRoster(state([["ada", 1], ["bob", 2]]))).toBe(false);
    // Bob left and Cy got his net id.
    expect(link.syncRoster(state([["ada", 1], ["cy", 2]]))).toBe(true);
    expect([link.lists("ada"), link.lists("bob"), link.lists("cy")]).toEqual([true, false, true]);
    expect(link.roster.get(2)).toEqual({ id: "cy", name: "cy" });
    expect(link.syncRoster(state([]))).toBe(true);
    expect(link.lists("ada")).toBe(false);
  });
});
