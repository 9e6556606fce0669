import { describe, expect, it } from "vitest";
import type { Vec3 } from "../prim.ts";
import { PRESETS, normalizeShape, presetShape, type PresetName, type PrimShape } from "../shape.ts";
import { MAX_CELLS, generatePrimMesh, primCollider, type PrimCollider } from "./index.ts";
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

  it("cuts shapes that are not convex into convex cells that span them", () => {
    const cases: [PrimShape, number][] = [
      // [shape, cells at level 1 (a prim up to 4 m): profile cells x path segments]
      [variant("box", { hollow: 0.5 }), 4],
      [variant("cylinder", { hollow: 0.5 }), 9],
      [variant("box", { profileBegin: 0.25 }), 3],
      [variant("box", { twistEnd: 90 }), 4 * 3],
      [variant("tube", { holeSizeY: 0.4 }), 4 * 9],
    ];
    for (const [shape, cells] of cases) {
      const size = scale(1.5, 2, 3);
      const { parts } = expectKind(primCollider(shape, size), "compound");
      expect(parts).toHaveLength(cells);
      const all = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
      let at = 0;
      for (const part of parts) {
        all.set(part, at);
        at += part.length;
      }
      expectScaled(all, shape, size);
    }
  });

  it("takes its cells from a finer level of detail the larger the prim", () => {
    const basin = variant("cylinder", { hollow: 0.9 });
    expect(expectKind(primCollider(basin, scale(1, 1, 1)), "compound").parts).toHaveLength(6);
    expect(expectKind(primCollider(basin, scale(2, 1, 2)), "compound").parts).toHaveLength(9);
    expect(expectKind(primCollider(basin, scale(7, 1, 7)), "compound").parts).toHaveLength(15);
  });

  it("falls back to a closed triangle mesh past the most cells", () => {
    const spiral = variant("torus", { revolutions: 3, holeSizeX: 0.2 });
    const size = scale(2, 2, 2);
    const { vertices, indices } = expectKind(primCollider(spiral, size), "trimesh");
    expectScaled(vertices, spiral, size);
    expect(closure(vertices, indices).openLength).toBe(0);
    // A one-metre torus still fits in cells.
    expect(expectKind(primCollider(PRESETS.torus, scale(1, 1, 1)), "compound").parts.length).toBeLessThanOrEqual(MAX_CELLS);
  });

  it("leaves out cells without volume", () => {
    for (const shape of [variant("sphere", { profileBegin: 0.2, hollow: 0.3 }), variant("box", { pathBegin: 0.4, pathEnd: 0.6, hollow: 0.2 })]) {
      for (const part of expectKind(primCollider(shape, scale(1, 1, 1)), "compound").parts) expect(part.length).toBeGreaterThanOrEqual(12);
    }
  });
});
