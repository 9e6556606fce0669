import { LENGTH_STEP, MIN_SCALE, type Vec3 } from "@tessera/prims";

/** The grid a builder may snap moves and sizes to, metres. */
export const GRID_SIZES = { min: 0.01, max: 4, default: 0.25 } as const;
/** The angle steps a builder may snap rotations to, degrees. */
export const ANGLE_STEPS = { min: 1, max: 90, default: 15 } as const;

/** On the prims' millimetre grid; `+ 0` turns -0 into 0. */
const onMillimetres = (value: number) => Math.round(value / LENGTH_STEP) * LENGTH_STEP + 0;

/** A grid size as a builder may set it: within {@link GRID_SIZES}, on the millimetre grid. */
export function gridSize(value: number): number {
  if (!Number.isFinite(value)) return GRID_SIZES.default;
  return onMillimetres(Math.min(GRID_SIZES.max, Math.max(GRID_SIZES.min, value)));
}

/** An angle step as a builder may set it: whole degrees within {@link ANGLE_STEPS}. */
export function angleStep(degrees: number): number {
  if (!Number.isFinite(degrees)) return ANGLE_STEPS.default;
  return Math.round(Math.min(ANGLE_STEPS.max, Math.max(ANGLE_STEPS.min, degrees)));
}

/** `value` on a grid of `size` (none: the millimetre grid only). */
export function snapLength(value: number, size?: number): number {
  return onMillimetres(size === undefined ? value : Math.round(value / size) * size);
}

/** A point on the grid, each axis. */
export function snapPoint(point: Readonly<Vec3>, size?: number): Vec3 {
  return { x: snapLength(point.x, size), y: snapLength(point.y, size), z: snapLength(point.z, size) };
}

/** A size on the grid, never below the smallest a prim may have. */
export function snapScale(scale: Readonly<Vec3>, size?: number): Vec3 {
  const axis = (value: number) => Math.max(MIN_SCALE, snapLength(value, size));
  return { x: axis(scale.x), y: axis(scale.y), z: axis(scale.z) };
}

/** An angle (radians) on steps of `degrees` (none: unchanged). */
export function snapAngle(radians: number, degrees?: number): number {
  if (degrees === undefined) return radians;
  const step = (degrees * Math.PI) / 180;
  return Math.round(radians / step) * step + 0;
}
