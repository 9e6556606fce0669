import { describe, expect, it } from "vitest";
import { PRESET_NAMES, presetOf, primSchema, type Prim } from "@tessera/prims";
import { defaultWorldConfig, primsByTile } from "@tessera/protocol";
import { LIBRARY } from "@tessera/textures";
import { PLAZA_TOP, demoWorld } from "./demo-world.ts";

const world = defaultWorldConfig();

function byTile(prims: Prim[], tileSize: number): Map<string, number> {
  return new Map([...primsByTile(prims, tileSize)].map(([id, list]) => [id, list.length]));
}

describe("demo world", () => {
  const prims = demoWorld(world);

  it("is the same every time, with consecutive ids", () => {
    expect(demoWorld(world)).toEqual(prims);
    expect(prims.map((p) => p.id)).toEqual(prims.map((_, i) => i + 1));
  });

  it("holds only valid prims, already on their grids", () => {
    for (const prim of prims) expect(primSchema.parse(prim)).toEqual(prim);
  });

  it("fills every tile and stays under the per-tile budget", () => {
    const counts = byTile(prims, world.tileSize);
    expect(counts.size).toBe(world.grid.width * world.grid.depth);
    for (const [tile, count] of counts) {
      expect(count, tile).toBeGreaterThan(20);
      expect(count, tile).toBeLessThanOrEqual(world.primsPerTile);
    }
  });

  it("shows every preset, and has things to push", () => {
    const presets = new Set(prims.map((p) => presetOf(p.shape)));
    for (const name of PRESET_NAMES) expect(presets, name).toContain(name);
    expect(prims.filter((p) => p.physical).length).toBeGreaterThanOrEqual(4);
  });

  it("is textured from the library: paving, walls, roofs, water, glass, wood and lawns", () => {
    const library = new Set(LIBRARY.map((texture) => texture.id));
    const used = new Set(prims.flatMap((p) => p.faces.map((face) => face.texture)).filter((id) => id !== ""));
    for (const id of used) expect(library, id).toContain(id);
    expect(used.size).toBeGreaterThanOrEqual(8);
    expect(prims.filter((p) => p.faces.some((face) => face.texture !== "")).length / prims.length).toBeGreaterThan(0.4);
  });

  it("leaves the spawn point clear: only the plaza's paving is under or around it", () => {
    const { x, z } = world.spawn;
    const near = prims.filter((p) => Math.abs(p.position.x - x) < p.scale.x / 2 + 1.5 && Math.abs(p.position.z - z) < p.scale.z / 2 + 1.5);
    expect(near.length).toBeGreaterThan(0);
    for (const prim of near) expect(prim.position.y + prim.scale.y / 2).toBeCloseTo(PLAZA_TOP, 5);
  });

  it("fits smaller and odd grids without leaving them", () => {
    for (const config of [defaultWorldConfig({ width: 1, depth: 1 }), defaultWorldConfig({ width: 3, depth: 2 }, 128), defaultWorldConfig({ width: 2, depth: 2 }, 16)]) {
      const small = demoWorld(config);
      expect(small.length).toBeGreaterThan(0);
      for (const prim of small) {
        expect(prim.position.x).toBeGreaterThanOrEqual(0);
        expect(prim.position.z).toBeGreaterThanOrEqual(0);
        expect(prim.position.x).toBeLessThan(config.grid.width * config.tileSize);
        expect(prim.position.z).toBeLessThan(config.grid.depth * config.tileSize);
      }
      for (const count of byTile(small, config.tileSize).values()) expect(count).toBeLessThanOrEqual(config.primsPerTile);
    }
  });
});
