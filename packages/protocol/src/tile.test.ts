import { describe, expect, it } from "vitest";
import { gridBounds, isTileInGrid, parseTileId, tileBounds, tileCentre, tileId, tileOf } from "./tile.ts";

describe("tile math", () => {
  it("puts a point in the tile whose half-open square holds it", () => {
    expect(tileOf(0, 0, 64)).toEqual({ tx: 0, tz: 0 });
    expect(tileOf(63.999, 64, 64)).toEqual({ tx: 0, tz: 1 });
    expect(tileOf(-0.001, -64, 64)).toEqual({ tx: -1, tz: -1 });
    expect(tileOf(-64.001, 130, 64)).toEqual({ tx: -2, tz: 2 });
  });

  it("names tiles with room-id-safe ids and parses them back", () => {
    expect(tileId({ tx: 3, tz: -2 })).toBe("tile_3_-2");
    expect(tileId({ tx: 3, tz: -2 })).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(parseTileId("tile_3_-2")).toEqual({ tx: 3, tz: -2 });
    for (const bad of ["tile:3:-2", "tile_3", "tile_a_1", "tile_1_2_3", " tile_1_2", "tile_1.5_2", "tile_9999999_0"]) {
      expect(parseTileId(bad), bad).toBeUndefined();
    }
  });

  it("gives bounds and centres in world metres", () => {
    expect(tileBounds({ tx: 1, tz: -1 }, 64)).toEqual({ minX: 64, minZ: -64, maxX: 128, maxZ: 0 });
    expect(tileCentre({ tx: 1, tz: -1 }, 64)).toEqual({ x: 96, z: -32 });
    expect(gridBounds({ width: 4, depth: 2 }, 64)).toEqual({ minX: 0, minZ: 0, maxX: 256, maxZ: 128 });
  });

  it("knows which tiles lie on the grid", () => {
    const grid = { width: 4, depth: 2 };
    expect(isTileInGrid({ tx: 0, tz: 0 }, grid)).toBe(true);
    expect(isTileInGrid({ tx: 3, tz: 1 }, grid)).toBe(true);
    expect(isTileInGrid({ tx: 4, tz: 1 }, grid)).toBe(false);
    expect(isTileInGrid({ tx: 0, tz: -1 }, grid)).toBe(false);
    expect(isTileInGrid({ tx: 0.5, tz: 0 }, grid)).toBe(false);
  });
});
