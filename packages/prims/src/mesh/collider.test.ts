import { describe, expect, it } from "vitest";
import type { Vec3 } from "../prim.ts";
import { PRESETS, normalizeShape, presetShape, type PresetName, type PrimShape } from "../shape.ts";
import { generatePrimMesh, meshVolume, primCollider, type PrimCollider } from "./index.ts";
import { bounds, closure } from "./test-support.ts";

const variant = (name: PresetName, extra: Partial<PrimShape>) => normalizeShape({ ...presetShape(name), ...extra });
const scale = (x: number, y: number, z: number): Vec3 => ({ x, y, z });


/** Expects points to span the level-1 mesh's bounds times the scale. */
function expectScaled(points: Float32Array, shape: PrimShape, size: Vec3): void {
  const mesh = bounds(generatePrimMesh(shape, 1).positions);
  const got = bounds(points);
  [size.x, size.y, size.z].forEach((s, axis) => {
    expect(got.low[axis]).toBeCloseTo(mesh.low[axis]! * s, 5);
    expect(got.high[axis]).toBeCloseTo(mesh.high[axis]! * s, 5);
  });
}

function expectKind<K extends PrimCollider["kind"]>(collider: PrimCollider, kind: K): Extract<PrimCollider, { kind: K }> {
  expect(collider.kind).toBe(kind);
  return collider as Extract<PrimCollider, { kind: K }>;
}

describe("primCollider", () => {
  it("uses exact primitives where they fit", () => {
    expect(primCollider(PRESETS.box, scale(2, 4, 6))).toEqual({ kind: "cuboid", halfExtents: { x: 1, y: 2, z: 3 } });
    expect(primCollider(PRESETS.cylinder, scale(2, 4, 2))).toEqual({ kind: "cylinder", halfHeight: 2, radius: 1 });
    expect(primCollider(PRESETS.cone, scale(3, 1, 3))).toEqual({ kind: "cone", halfHeight: 0.5, radius: 1.5 });
    expect(primCollider(PRESETS.sphere, scale(2, 2, 2))).toEqual({ kind: "ball", radius: 1 });
    // A hole shape without hollow changes nothing.
    expect(primCollider(variant("box", { hole: "circle" }), scale(1, 1, 1)).kind).toBe("cuboid");
  });

  it("takes the convex hull of shapes that are convex but no primitive", () => {
    for (const [shape, size] of [
      [PRESETS.cylinder, scale(2, 1, 1)],
      [PRESETS.sphere, scale(1, 2, 3)],
      [variant("sphere", { holeSizeX: 0.5 }), scale(1, 1, 1)],
      [PRESETS.cone, scale(1, 1, 2)],
      [variant("box", { taperX: 0.5, taperY: 0.3 }), scale(1, 1, 1)],
      [variant("box", { shearX: 0.3 }), scale(1, 2, 1)],
      [PRESETS.pyramid, scale(1, 1, 1)],
      [PRESETS.hemisphere, scale(1, 1, 1)],
      [PRESETS.prism, scale(1, 1, 1)],
    ] as const) {
      expectScaled(expectKind(primCollider(shape, size), "convex").points, shape, size);
    }
  });

  it("gives non-convex shapes a closed, scaled triangle mesh, or their hull when dynamic", () => {
    for (const shape of [variant("box", { hollow: 0.5 }), PRESETS.torus, variant("box", { twistEnd: 90 }), variant("box", { profileBegin: 0.25 }), PRESETS.tube]) {
      const size = scale(2, 3, 4);
      const { vertices, indices } = expectKind(primCollider(shape, size), "trimesh");
      expectScaled(vertices, shape, size);
      expect(closure(vertices, indices)).toEqual({ manifold: true, openLength: 0 });
      expect(meshVolume(vertices, indices)).toBeGreaterThan(0);
      expectKind(primCollider(shape, size, { dynamic: true }), "convex");
    }
    // Welded: no two vertices at one point, no triangle with a repeated corner.
    const { vertices, indices } = expectKind(primCollider(variant("box", { hollow: 0.5 }), scale(1, 1, 1)), "trimesh");
    const points = new Set<string>();
    for (let v = 0; v < vertices.length; v += 3) points.add([...vertices.slice(v, v + 3)].join());
    expect(points.size).toBe(vertices.length / 3);
    for (let k = 0; k < indices.length; k += 3) expect(new Set(indices.slice(k, k + 3)).size).toBe(3);
    // The hollow box has 8 outer and 8 inner corners; 2 cap strips of 8 triangles and 8 walls of 2.
    expect(vertices.length / 3).toBe(16);
    expect(indices.length / 3).toBe(32);
  });
});
