/** Levels of detail a prim's mesh comes in, 0 (coarsest) to 3 (finest). */
export const LOD_COUNT = 4;
export type Lod = 0 | 1 | 2 | 3;

/** Sides of a full circle at each level of detail (Second Life's). */
export const CIRCLE_SIDES = [6, 9, 15, 24] as const;
/** Most degrees of twist one path segment may carry at each level of detail. */
export const DEGREES_PER_SEGMENT = [60, 40, 24, 15] as const;

/** Second Life's thresholds on a prim's bounding radius over its distance, for levels 1, 2 and 3. */
const THRESHOLDS = [0.03, 0.06, 0.24] as const;

/**
 * Level of detail for a prim of bounding radius `radius` seen from `distance` (metres). Higher
 * `quality` (> 0) keeps finer levels further away: the thresholds are divided by it. A prim seen
 * from no distance at all gets the finest level.
 */
export function lodFor(radius: number, distance: number, quality = 1): Lod {
  const size = distance > 0 ? (radius / distance) * quality : Infinity;
  if (size >= THRESHOLDS[2]) return 3;
  if (size >= THRESHOLDS[1]) return 2;
  if (size >= THRESHOLDS[0]) return 1;
  return 0;
}
