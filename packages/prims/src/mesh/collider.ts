import type { Vec3 } from "../prim.ts";
import type { PrimShape } from "../shape.ts";
import { generatePrimMesh } from "./assembly.ts";
import type { Lod } from "./lod.ts";
import { convexCells } from "./cells.ts";
import { weldMesh, type WeldedMesh } from "./weld.ts";

/** A physics shape for a prim, in metres, centred like its mesh. */
export type PrimCollider =
  | { kind: "cuboid"; halfExtents: Vec3 }
  | { kind: "cylinder"; halfHeight: number; radius: number }
  | { kind: "cone"; halfHeight: number; radius: number }
  | { kind: "ball"; radius: number }
  /** Points whose convex hull is the collider (already scaled). */
  | { kind: "convex"; points: Float32Array }
  /** Convex cells that together fill a shape that is not convex: each the points of a hull (already scaled). */
  | { kind: "compound"; parts: Float32Array[] }
  /** A welded, scaled, closed triangle mesh, for shapes that would take too many cells. */
  | { kind: "trimesh"; vertices: Float32Array; indices: Uint32Array };

/** Cells come from a finer level of detail the larger the prim (metres): a 7 m ring at 9 sides would be 20 cm off. */
const CELL_LODS: readonly [maxSize: number, lod: Lod][] = [
  [1, 0],
  [4, 1],
  [Infinity, 2],
];
/** More cells than this (a spiral, a large torus) and a triangle mesh costs less to build and to keep. */
export const MAX_CELLS = 64;

/** How far (as a fraction of the prim's largest size) a vertex may stand out of a face's plane in a shape still taken as convex. */
const CONVEX_TOLERANCE = 1e-4;

/** No cut, hollow, slice, twist or shear: the shape is its kind's plain solid (up to taper and circle-path settings). */
function uncut(shape: Readonly<PrimShape>): boolean {
  return (
    shape.profileBegin === 0 &&
    shape.profileEnd === 1 &&
    shape.hollow === 0 &&
    shape.pathBegin === 0 &&
    shape.pathEnd === 1 &&
    shape.twistBegin === 0 &&
    shape.twistEnd === 0 &&
    shape.shearX === 0 &&
    shape.shearY === 0
  );
}

/** The exact primitive a shape is, if any: an untapered box or cylinder, a cone (taper 1), a sphere. */
function primitiveOf(shape: Readonly<PrimShape>): "box" | "cylinder" | "cone" | "sphere" | undefined {
  if (!uncut(shape)) return undefined;
  if (shape.path === "line") {
    if (shape.taperX === 0 && shape.taperY === 0) return shape.profile === "square" ? "box" : shape.profile === "circle" ? "cylinder" : undefined;
    return shape.profile === "circle" && shape.taperX === 1 && shape.taperY === 1 ? "cone" : undefined;
  }
  const sphere =
    shape.profile === "half-circle" &&
    shape.holeSizeX === 1 &&
    shape.holeSizeY === 1 &&
    shape.taperX === 0 &&
    shape.taperY === 0 &&
    shape.revolutions === 1 &&
    shape.skew === 0;
  return sphere ? "sphere" : undefined;
}

/**
 * The physics shape of a prim of this shape and scale (metres), centred like its mesh. An exact
 * primitive where one fits (an untouched box; a cylinder or cone round in x and z; a sphere scaled
 * evenly); else the convex hull of the level-1 mesh when that mesh is convex; else convex cells that
 * fill it ({@link convexCells}), from a level of detail that suits the prim's size; else, past
 * {@link MAX_CELLS}, its welded triangle mesh. Cells before triangles: a character controller's
 * capsule against a few convex pieces costs a fraction of what it costs against triangles, and a
 * physical hollow prim stays hollow.
 */
export function primCollider(shape: PrimShape, scale: Vec3): PrimCollider {
  const half = { x: scale.x / 2, y: scale.y / 2, z: scale.z / 2 };
  switch (primitiveOf(shape)) {
    case "box":
      return { kind: "cuboid", halfExtents: half };
    case "cylinder":
      if (scale.x === scale.z) return { kind: "cylinder", halfHeight: half.y, radius: half.x };
      break;
    case "cone":
      if (scale.x === scale.z) return { kind: "cone", halfHeight: half.y, radius: half.x };
      break;
    case "sphere":
      if (scale.x === scale.y && scale.y === scale.z) return { kind: "ball", radius: half.x };
      break;
    case undefined:
      break;
  }
  const mesh = generatePrimMesh(shape, 1);
  const positions = mesh.positions.slice();
  for (let i = 0; i < positions.length; i += 3) {
    positions[i] = positions[i]! * scale.x;
    positions[i + 1] = positions[i + 1]! * scale.y;
    positions[i + 2] = positions[i + 2]! * scale.z;
  }
  const largest = Math.max(scale.x, scale.y, scale.z);
  const welded = weldMesh(positions, mesh.indices, 1e-6 * largest);
  if (isConvex(welded, CONVEX_TOLERANCE * largest)) return { kind: "convex", points: welded.positions };
  const parts = convexCells(shape, scale, CELL_LODS.find(([size]) => largest <= size)![1]);
  if (parts.length <= MAX_CELLS) return { kind: "compound", parts };
  return { kind: "trimesh", vertices: welded.positions, indices: welded.indices };
}

/** Whether every vertex lies behind (or within `tolerance` of) the plane of every triangle that has one. */
function isConvex(mesh: WeldedMesh, tolerance: number): boolean {
  const { positions: p, indices } = mesh;
  for (let k = 0; k < indices.length; k += 3) {
    const a = 3 * indices[k]!;
    const b = 3 * indices[k + 1]!;
    const c = 3 * indices[k + 2]!;
    const ux = p[b]! - p[a]!;
    const uy = p[b + 1]! - p[a + 1]!;
    const uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!;
    const vy = p[c + 1]! - p[a + 1]!;
    const vz = p[c + 2]! - p[a + 2]!;
    let nx = uy * vz - uz * vy;
    let ny = uz * vx - ux * vz;
    let nz = ux * vy - uy * vx;
    const length = Math.hypot(nx, ny, nz);
    // A sliver's plane is ill-defined: its neighbours decide.
    if (length <= tolerance * tolerance) continue;
    nx /= length;
    ny /= length;
    nz /= length;
    const offset = nx * p[a]! + ny * p[a + 1]! + nz * p[a + 2]!;
    for (let v = 0; v < p.length; v += 3) {
      if (nx * p[v]! + ny * p[v + 1]! + nz * p[v + 2]! - offset > tolerance) return false;
    }
  }
  return true;
}
