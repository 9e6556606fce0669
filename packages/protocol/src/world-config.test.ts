import { describe, expect, it } from "vitest";
import { defaultWorldConfig, formatIssues, worldConfigSchema } from "./world-config.ts";

describe("world config", () => {
  it("defaults to a 4 x 4 grid of 64 m tiles spawning at its centre", () => {
    const config = defaultWorldConfig();
    expect(worldConfigSchema.parse(config)).toEqual({ tileSize: 64, grid: { width: 4, depth: 4 }, primsPerTile: 2000, spawn: { x: 128, z: 128 } });
  });

  it.each([
    ["a tile too small", { tileSize: 8 }, /tileSize/],
    ["a fractional tile size", { tileSize: 64.5 }, /tileSize/],
    ["an empty grid", { grid: { width: 0, depth: 4 } }, /grid.width/],
    ["a huge grid", { grid: { width: 4, depth: 10_000 } }, /grid.depth/],
    ["a spawn off the grid", { spawn: { x: 300, z: 10 } }, /spawn.*inside the grid/],
    ["no prims per tile", { primsPerTile: 0 }, /primsPerTile/],
    ["a NaN spawn", { spawn: { x: Number.NaN, z: 10 } }, /spawn.x/],
    ["an unknown key", { colour: "red" }, /Unrecognized key/],
  ])("refuses %s with an error that names the field", (_, patch, message) => {
    const result = worldConfigSchema.safeParse({ ...defaultWorldConfig(), ...patch });
    expect(result.success).toBe(false);
    if (!result.success) expect(formatIssues(result.error)).toMatch(message);
  });
});
