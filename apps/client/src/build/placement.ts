import { snapPoint } from "@tessera/build";
import type { Vec3 } from "@tessera/prims";

/** How far in front of the avatar a new prim appears, metres. */
const AHEAD = 3;

/**
 * Where a prim made from the palette appears: `AHEAD` metres in front of the avatar along the
 * camera's heading (0 = +z), its base on the avatar's feet, on the builder's grid.
 */
export function placeInFront(feet: Readonly<Vec3>, yaw: number, height: number, grid: number): Vec3 {
  const at = snapPoint({ x: feet.x + Math.sin(yaw) * AHEAD, y: feet.y + height / 2, z: feet.z + Math.cos(yaw) * AHEAD }, grid);
  return { ...at, y: Math.max(at.y, height / 2) };
}
