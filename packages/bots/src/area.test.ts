import { describe, expect, it } from "vitest";
import { defaultWorldConfig } from "@tessera/protocol";
import { EDGE_MARGIN, insetRect, walkArea } from "./area.ts";

describe("walkArea", () => {
  const world = defaultWorldConfig();

  it("is the spawn tile, kept away from its sides", () => {
    // Spawn (128, 128) lies in tile_2_2: x and z in [128, 192).
    expect(walkArea(world)).toEqual({ minX: 128 + EDGE_MARGIN, minZ: 128 + EDGE_MARGIN, maxX: 192 - EDGE_MARGIN, maxZ: 192 - EDGE_MARGIN });
  });

  it("keeps a given area off the grid's edges", () => {
    expect(walkArea(world, { minX: -50, minZ: 200, maxX: 40, maxZ: 300 })).toEqual({ minX: EDGE_MARGIN, minZ: 200 + EDGE_MARGIN, maxX: 40 - EDGE_MARGIN, maxZ: 256 - EDGE_MARGIN });
  });

  it("refuses an area outside the grid", () => {
    expect(() => walkArea(world, { minX: 300, minZ: 0, maxX: 400, maxZ: 10 })).toThrow(/outside the grid/);
  });
});

describe("insetRect", () => {
  it("collapses a side too small to shrink to its middle", () => {
    expect(insetRect({ minX: 0, minZ: 0, maxX: 4, maxZ: 20 }, 4)).toEqual({ minX: 2, minZ: 4, maxX: 2, maxZ: 16 });
  });
});
