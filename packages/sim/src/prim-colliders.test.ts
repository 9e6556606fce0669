import { describe, expect, it } from "vitest";
import { generatePrimMesh, makePrim, meshVolume, normalizeShape, presetShape, type Prim, type PrimShape } from "@tessera/prims";
import { Keys, TICK_RATE } from "@tessera/protocol";
import { AVATAR } from "./constants.ts";
import { SimWorld } from "./world.ts";

const variant = (name: Parameters<typeof presetShape>[0], extra: Partial<PrimShape>) => normalizeShape({ ...presetShape(name), ...extra });

/** Volume of a prim's level-1 mesh at its scale. */
function meshVolumeOf(prim: Prim): number {
  const mesh = generatePrimMesh(prim.shape, 1);
  return meshVolume(mesh.positions, mesh.indices) * prim.scale.x * prim.scale.y * prim.scale.z;
}

describe("prim colliders", () => {
  it("fill a prim as its mesh does, cells and all", async () => {
    const sim = await SimWorld.create();
    const shapes: [PrimShape, number][] = [
      // [shape, how much fuller than the mesh the hulls may be]
      [presetShape("box"), 0],
      [variant("box", { hollow: 0.5 }), 0],
      [variant("cylinder", { hollow: 0.7, profileBegin: 0.1 }), 0],
      [variant("box", { profileBegin: 0.25, pathBegin: 0.2 }), 0],
      [presetShape("torus"), 0],
      [variant("tube", { hollow: 0.3 }), 0],
      // A twisted cell is the hull of its corners: a little fuller than the twisted surface.
      [variant("box", { twistEnd: 90 }), 0.2],
    ];
    for (const [shape, fuller] of shapes) {
      const prim = makePrim(1, shape, { x: 10, y: 10, z: 10 }, { scale: { x: 1.5, y: 2, z: 3 } });
      const linkset = sim.addLinkset(prim);
      if (linkset.dynamic) throw new Error("a fixed prim has no body");
      const volume = linkset.colliders.reduce((sum, collider) => sum + collider.volume(), 0);
      const expected = meshVolumeOf(prim);
      expect(volume, JSON.stringify(shape)).toBeGreaterThanOrEqual(expected * 0.999);
      expect(volume, JSON.stringify(shape)).toBeLessThanOrEqual(expected * (1.001 + fuller));
      sim.removeLinkset(linkset);
    }
  });

  it("keep an avatar out of a hollow basin's wall and let it stand inside", async () => {
    const sim = await SimWorld.create();
    sim.addTerrain({ minX: 0, minZ: 0, maxX: 100, maxZ: 100 });
    // A basin 6 m across with walls 0.3 m thick and 1 m high.
    sim.addLinkset(makePrim(1, variant("cylinder", { hollow: 0.9 }), { x: 50, y: 0.5, z: 50 }, { scale: { x: 6, y: 1, z: 6 } }));
    sim.refreshQueries();
    const outside = sim.addAvatar({ x: 50, y: 0, z: 44 });
    const inside = sim.addAvatar({ x: 50, y: 0, z: 50 });
    for (let i = 0; i < 2 * TICK_RATE; i++) {
      sim.stepAvatar(outside, Keys.Forward, 0);
      sim.stepAvatar(inside, 0, 0);
      sim.step();
    }
    // Stopped at the outer wall, not on top of it. The wall is a 15-sided polygon facing -z with a side,
    // 3 cos(12 deg) = 2.934 m from the centre.
    const wall = 50 - 3 * Math.cos((12 * Math.PI) / 180);
    expect(outside.state.z).toBeLessThan(wall - AVATAR.radius);
    expect(outside.state.z).toBeGreaterThan(wall - AVATAR.radius - 0.05);
    expect(outside.state.y).toBeLessThan(0.05);
    // Inside the hollow is empty: the avatar stands on the ground, not on a lid.
    expect(inside.state.y).toBeLessThan(0.05);
    expect(inside.state.grounded).toBe(true);
  });
});

describe("linksets", () => {
  it("place a fixed child where its root's transform puts it, and a physical one on the root's body", async () => {
    const sim = await SimWorld.create();
    const quarterTurn = { x: 0, y: Math.SQRT1_2, z: 0, w: Math.SQRT1_2 };
    const root = makePrim(1, presetShape("box"), { x: 10, y: 1, z: 10 }, { rotation: quarterTurn });
    // 2 m along the root's x: a quarter turn about y takes x to -z.
    const child = makePrim(2, presetShape("sphere"), { x: 2, y: 0.5, z: 0 }, { root: 1 });
    const fixed = sim.addLinkset(root, [child]);
    if (fixed.dynamic) throw new Error("a fixed linkset has no body");
    const at = fixed.colliders.at(-1)!.translation();
    expect([at.x, at.y, at.z].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([10, 1.5, 8]);
    const moving = sim.addLinkset({ ...root, id: 3, physical: true }, [{ ...child, id: 4, root: 3 }]);
    if (!moving.dynamic) throw new Error("a physical linkset has a body");
    expect(moving.body.numColliders()).toBe(2);
    sim.removeLinkset(fixed);
    sim.removeLinkset(moving);
    expect(sim.world.colliders.len()).toBe(0);
  });

  it("give a physical prim too complex for cells the hull of its mesh: it still lands on the ground", async () => {
    const sim = await SimWorld.create();
    sim.addTerrain({ minX: 0, minZ: 0, maxX: 100, maxZ: 100 });
    const spiral = makePrim(1, variant("torus", { revolutions: 3, holeSizeX: 0.2 }), { x: 50, y: 3, z: 50 }, { scale: { x: 2, y: 2, z: 2 }, physical: true });
    const linkset = sim.addLinkset(spiral);
    if (!linkset.dynamic) throw new Error("a physical prim has a body");
    for (let i = 0; i < 4 * TICK_RATE; i++) sim.step();
    expect(linkset.body.translation().y).toBeGreaterThan(0.5);
    expect(linkset.body.translation().y).toBeLessThan(1.5);
  });
});
