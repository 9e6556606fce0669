import { describe, expect, it } from "vitest";
import { HANDOFF_MARGIN, VIEW_HYSTERESIS, ViewSubscription, distanceToRect, handoffTarget, tilesWithin } from "./border.ts";
import { tileId } from "./tile.ts";

const grid = { width: 4, depth: 4 };
const ids = (tiles: { tx: number; tz: number }[]) => tiles.map(tileId);

describe("border classification", () => {
  it("measures the distance from a point to a tile's square", () => {
    const rect = { minX: 64, minZ: 0, maxX: 128, maxZ: 64 };
    expect(distanceToRect(100, 30, rect)).toBe(0);
    expect(distanceToRect(60, 30, rect)).toBe(4);
    expect(distanceToRect(131, 67, rect)).toBeCloseTo(Math.hypot(3, 3));
  });

  it("keeps an entity with its tile until it is a margin past the border", () => {
    const tile = { tx: 1, tz: 1 };
    expect(handoffTarget(96, 96, tile, 64, grid)).toBeUndefined();
    expect(handoffTarget(128.5, 96, tile, 64, grid)).toBeUndefined();
    expect(handoffTarget(128 + HANDOFF_MARGIN, 96, tile, 64, grid)).toBeUndefined();
    expect(handoffTarget(128 + HANDOFF_MARGIN + 0.01, 96, tile, 64, grid)).toEqual({ tx: 2, tz: 1 });
    expect(handoffTarget(62.9, 96, tile, 64, grid)).toEqual({ tx: 0, tz: 1 });
    // Past a corner: the diagonal neighbour.
    expect(handoffTarget(129.5, 129.5, tile, 64, grid)).toEqual({ tx: 2, tz: 2 });
  });

  it("never hands an entity back across the band where nothing changes hands", () => {
    // Taken over at 129.01 by tile 2; tile 2 gives it back only below 127.
    expect(handoffTarget(129.01, 96, { tx: 1, tz: 1 }, 64, grid)).toEqual({ tx: 2, tz: 1 });
    for (const x of [129.01, 128.5, 128, 127.5, 127]) expect(handoffTarget(x, 96, { tx: 2, tz: 1 }, 64, grid), `x=${x}`).toBeUndefined();
    expect(handoffTarget(126.99, 96, { tx: 2, tz: 1 }, 64, grid)).toEqual({ tx: 1, tz: 1 });
  });

  it("hands nothing over beyond the grid's edge", () => {
    expect(handoffTarget(-2, 10, { tx: 0, tz: 0 }, 64, grid)).toBeUndefined();
    expect(handoffTarget(10, 258, { tx: 0, tz: 3 }, 64, grid)).toBeUndefined();
  });

  it("finds the tiles within a radius, nearest first, on the grid only", () => {
    expect(ids(tilesWithin(96, 96, 10, 64, grid))).toEqual(["tile_1_1"]);
    expect(ids(tilesWithin(126, 96, 10, 64, grid))).toEqual(["tile_1_1", "tile_2_1"]);
    expect(new Set(ids(tilesWithin(128, 128, 1, 64, grid)))).toEqual(new Set(["tile_1_1", "tile_2_1", "tile_1_2", "tile_2_2"]));
    expect(ids(tilesWithin(5, 5, 10, 64, grid))).toEqual(["tile_0_0"]);
    // The four corner tiles lie hypot(64, 64) m away.
    expect(tilesWithin(128, 128, 64, 64, grid)).toHaveLength(12);
  });
});

describe("view subscription", () => {
  it("joins the tiles in view and leaves them only past the hysteresis", () => {
    const view = new ViewSubscription(20, 64, grid);
    expect(view.update(96, 96)).toEqual({ join: ["tile_1_1"], leave: [] });
    expect(view.update(110, 96)).toEqual({ join: ["tile_2_1"], leave: [] });
    expect(view.update(110, 96)).toEqual({ join: [], leave: [] });
    // Back to where tile 2 is 22 m away: still within radius + hysteresis, kept.
    expect(view.update(106, 96)).toEqual({ join: [], leave: [] });
    expect(view.update(128 - 20 - VIEW_HYSTERESIS + 0.5, 96)).toEqual({ join: [], leave: [] });
    expect(view.update(128 - 20 - VIEW_HYSTERESIS - 0.5, 96)).toEqual({ join: [], leave: ["tile_2_1"] });
    expect([...view.tiles]).toEqual(["tile_1_1"]);
  });

  it("pacing along the edge of the radius does not join and leave over and over", () => {
    const view = new ViewSubscription(20, 64, grid);
    let changes = 0;
    for (let i = 0; i < 100; i++) {
      const { join, leave } = view.update(108 + (i % 2) * 2, 96);
      changes += join.length + leave.length;
    }
    expect(changes).toBe(2);
  });

  it("joins a dropped tile again", () => {
    const view = new ViewSubscription(20, 64, grid);
    view.update(96, 96);
    view.drop("tile_1_1");
    expect(view.update(96, 96)).toEqual({ join: ["tile_1_1"], leave: [] });
  });
});
