import { describe, expect, it } from "vitest";
import { makePrim, presetShape } from "@tessera/prims";
import { PrimStream, type SelectMessage } from "@tessera/protocol";
import { STAND_IN_IDS } from "./edits.ts";
import { PrimSet } from "./prim-set.ts";
import { OthersSelections, OwnSelection, selectionColour } from "./selections.ts";
import { TileLink } from "./tile-link.ts";
import { TileSet } from "./tile-set.ts";

const box = (id: number) => makePrim(id, presetShape("box"), { x: 0, y: 1, z: 0 });

describe("others' selections", () => {
  it("gives each player one colour, the same on every client, and different players different ones", () => {
    expect(selectionColour("AbCdEfGhIjKl")).toBe(selectionColour("AbCdEfGhIjKl"));
    expect(selectionColour("AbCdEfGhIjKl")).toMatch(/^#[0-9a-f]{6}$/);
    const colours = new Set(Array.from({ length: 20 }, (_, i) => selectionColour(`player-${i}`)));
    expect(colours.size).toBeGreaterThan(15);
  });

  it("merges a player's parts over the tiles, leaves the own player out, and tells its listeners", () => {
    const selections = new OthersSelections("me");
    const [west, east] = [new TileLink("tile_1_2"), new TileLink("tile_2_2")];
    let calls = 0;
    const stop = selections.subscribe(() => calls++);
    selections.receive(west, { player: "ada", name: "Ada", ids: [1, 2] });
    selections.receive(east, { player: "ada", name: "Ada", ids: [7] });
    selections.receive(east, { player: "bob", name: "Bob", ids: [8] });
    selections.receive(east, { player: "me", name: "Me", ids: [9] });
    expect(selections.list()).toEqual([
      { player: "ada", name: "Ada", colour: selectionColour("ada"), ids: [1, 2, 7] },
      { player: "bob", name: "Bob", colour: selectionColour("bob"), ids: [8] },
    ]);
    expect([calls, selections.version]).toEqual([3, 3]);
    const listed = selections.list();
    // Nothing to clear, or a malformed message: nothing changes.
    selections.receive(west, { player: "bob", name: "Bob", ids: [] });
    selections.receive(west, { player: "bob", ids: ["x"] });
    expect(selections.list()).toBe(listed);
    selections.receive(west, { player: "ada", name: "Ada", ids: [] });
    expect(selections.list()[0]!.ids).toEqual([7]);
    stop();
    selections.receive(east, { player: "ada", name: "Ada", ids: [] });
    expect(selections.list().map((other) => other.player)).toEqual(["bob"]);
    expect(calls).toBe(4);
  });

  it("drops what a tile said when its room is lost", () => {
    const selections = new OthersSelections("me");
    const [west, east] = [new TileLink("tile_1_2"), new TileLink("tile_2_2")];
    selections.receive(west, { player: "ada", name: "Ada", ids: [1] });
    selections.receive(east, { player: "ada", name: "Ada", ids: [7] });
    selections.receive(east, { player: "bob", name: "Bob", ids: [8] });
    selections.dropTile(east);
    expect(selections.list()).toEqual([{ player: "ada", name: "Ada", colour: selectionColour("ada"), ids: [1] }]);
  });
});

describe("the own selection", () => {
  /** `link`'s room sent the prims `ids`, all it holds. */
  const load = (links: TileSet, link: TileLink, ids: number[]) =>
    links.receivePrims(link, { kind: PrimStream.LoadDone, origin: { x: 0, z: 0 }, prims: ids.map(box) }, new PrimSet(), 0);

  /** Two joined tiles holding prims 1-3 (west) and 7-8 (east), and what their rooms were sent. */
  function setUp() {
    const links = new TileSet();
    const [west, east] = [new TileLink("tile_1_2"), new TileLink("tile_2_2")];
    links.set(west.id, west).set(east.id, east);
    load(links, west, [1, 2, 3]);
    load(links, east, [7, 8]);
    const sent: [string, SelectMessage][] = [];
    const own = new OwnSelection(links, (link, message) => sent.push([link.id, message]));
    return { links, west, east, own, sent };
  }

  it("sends each tile its part, only when it changed, and an empty one to a tile that no longer has any", () => {
    const { own, sent } = setUp();
    own.select([1, 7, 2, 99, STAND_IN_IDS + 1], 0);
    expect(sent.splice(0)).toEqual([
      ["tile_1_2", { ids: [1, 2] }],
      ["tile_2_2", { ids: [7] }],
    ]);
    own.select([2, 1, 7, 1], 1000);
    own.sync(1100);
    expect(sent.splice(0)).toEqual([["tile_1_2", { ids: [2, 1] }]]);
    own.select([8], 2000);
    expect(sent.splice(0)).toEqual([
      ["tile_1_2", { ids: [] }],
      ["tile_2_2", { ids: [8] }],
    ]);
  });

  it("sends a tile at most every 100 ms, the latest part once that has passed", () => {
    const { own, sent } = setUp();
    own.select([1], 0);
    own.select([2], 50);
    own.select([3], 60);
    own.sync(90);
    expect(sent.splice(0)).toEqual([["tile_1_2", { ids: [1] }]]);
    own.sync(100);
    expect(sent.splice(0)).toEqual([["tile_1_2", { ids: [3] }]]);
  });

  it("follows a selected prim into the tile that holds it now", () => {
    const { links, west, east, own, sent } = setUp();
    own.select([1, 2], 0);
    sent.length = 0;
    links.receivePrims(west, { kind: PrimStream.Removed, ids: [2] }, new PrimSet(), 500);
    links.receivePrims(east, { kind: PrimStream.Update, origin: { x: 0, z: 0 }, prims: [box(2)] }, new PrimSet(), 500);
    own.sync(1000);
    expect(sent).toEqual([
      ["tile_1_2", { ids: [1] }],
      ["tile_2_2", { ids: [2] }],
    ]);
  });

  it("sends a tile joined again its part afresh", () => {
    const { links, west, own, sent } = setUp();
    own.select([1, 7], 0);
    sent.length = 0;
    links.delete(west.id);
    own.forget(west);
    const again = new TileLink(west.id);
    links.set(again.id, again);
    load(links, again, [1]);
    own.sync(1000);
    expect(sent).toEqual([["tile_1_2", { ids: [1] }]]);
  });
});
