import type { Vec3 } from "../prim.ts";
import type { PrimShape } from "../shape.ts";
import type { Lod } from "./lod.ts";
import { FRAME_SIZE, pathFrames } from "./path.ts";
import { sampleProfile } from "./profile.ts";

/**
 * A prim's solid cut into small convex cells, each as the points whose hull it is (scaled to
 * metres): every cell of the profile (a quad of the ring between the outline and the hole, or a
 * slice from the centre to the outline) swept over one segment of the path. Together they fill the
 * prim as its mesh at `lod` bounds it; a twisted cell is the hull of its corners, a little fuller.
 * Cells without volume (at a sphere's poles, say) are left out.
 */
export function convexCells(shape: Readonly<PrimShape>, scale: Vec3, lod: Lod): Float32Array[] {
  const profile = sampleProfile(shape, lod);
  const path = pathFrames(shape, lod);
  const { outer, inner } = profile;
  const cells: Float32Array[] = [];
  for (let i = 0; i + 1 < profile.count; i++) {
    // The cell's corners in the profile: outline i and i+1, then the hole's (or the centre).
    const corners = inner
      ? [outer[2 * i]!, outer[2 * i + 1]!, outer[2 * i + 2]!, outer[2 * i + 3]!, inner[2 * i + 2]!, inner[2 * i + 3]!, inner[2 * i]!, inner[2 * i + 1]!]
      : [outer[2 * i]!, outer[2 * i + 1]!, outer[2 * i + 2]!, outer[2 * i + 3]!, 0, 0];
    const perRing = corners.length / 2;
    for (let j = 0; j + 1 < path.count; j++) {
      const points = new Float32Array(2 * perRing * 3);
      let p = 0;
      for (const ring of [j, j + 1]) {
        const f = ring * FRAME_SIZE;
        const frames = path.frames;
        for (let k = 0; k < perRing; k++) {
          const x = corners[2 * k]!;
          const y = corners[2 * k + 1]!;
          points[p++] = (frames[f]! + x * frames[f + 3]! + y * frames[f + 6]!) * scale.x;
          points[p++] = (frames[f + 1]! + x * frames[f + 4]! + y * frames[f + 7]!) * scale.y;
          points[p++] = (frames[f + 2]! + x * frames[f + 5]! + y * frames[f + 8]!) * scale.z;
        }
      }
      if (hasVolume(points)) cells.push(points);
    }
  }
  return cells;
}

/** Whether some four of the points span a solid (not all on one plane, line or point). */
function hasVolume(points: Float32Array): boolean {
  const count = points.length / 3;
  const [ox, oy, oz] = [points[0]!, points[1]!, points[2]!];
  let extent = 0;
  for (let i = 1; i < count; i++) extent = Math.max(extent, Math.hypot(points[3 * i]! - ox, points[3 * i + 1]! - oy, points[3 * i + 2]! - oz));
  const tolerance = 1e-6 * Math.max(extent, 1e-9) ** 3;
  for (let a = 1; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      for (let c = b + 1; c < count; c++) {
        const ux = points[3 * a]! - ox, uy = points[3 * a + 1]! - oy, uz = points[3 * a + 2]! - oz;
        const vx = points[3 * b]! - ox, vy = points[3 * b + 1]! - oy, vz = points[3 * b + 2]! - oz;
        const wx = points[3 * c]! - ox, wy = points[3 * c + 1]! - oy, wz = points[3 * c + 2]! - oz;
        const volume = ux * (vy * wz - vz * wy) - uy * (vx * wz - vz * wx) + uz * (vx * wy - vy * wx);
        if (Math.abs(volume) > tolerance) return true;
      }
    }
  }
  return false;
}
