import { gridBounds, tileBounds, tileOf, type Rect, type WorldConfig } from "@tessera/protocol";

/** How far inside its area (and the grid's outer wall) a bot keeps its waypoints, metres. */
export const EDGE_MARGIN = 4;

/** A point on the ground, world metres. */
export interface Point {
  x: number;
  z: number;
}

/** `rect` shrunk by `margin` on every side; a side too small to shrink collapses to its middle. */
export function insetRect(rect: Rect, margin: number): Rect {
  const shrink = (min: number, max: number): [number, number] =>
    max - min > 2 * margin ? [min + margin, max - margin] : [(min + max) / 2, (min + max) / 2];
  const [minX, maxX] = shrink(rect.minX, rect.maxX);
  const [minZ, maxZ] = shrink(rect.minZ, rect.maxZ);
  return { minX, minZ, maxX, maxZ };
}

/** The overlap of two rectangles; undefined when they do not overlap. */
export function intersectRects(a: Rect, b: Rect): Rect | undefined {
  const rect = { minX: Math.max(a.minX, b.minX), minZ: Math.max(a.minZ, b.minZ), maxX: Math.min(a.maxX, b.maxX), maxZ: Math.min(a.maxZ, b.maxZ) };
  return rect.minX <= rect.maxX && rect.minZ <= rect.maxZ ? rect : undefined;
}

/**
 * Where bots pick their waypoints: `area` when given, else the tile of the spawn point (the tile a
 * client joins), kept {@link EDGE_MARGIN} away from that area's sides and from the grid's edges.
 * Throws when `area` lies outside the grid.
 */
export function walkArea(world: WorldConfig, area?: Rect): Rect {
  const wanted = area ?? tileBounds(tileOf(world.spawn.x, world.spawn.z, world.tileSize), world.tileSize);
  const inside = intersectRects(insetRect(wanted, EDGE_MARGIN), insetRect(gridBounds(world.grid, world.tileSize), EDGE_MARGIN));
  if (!inside) throw new Error(`the area x ${wanted.minX}..${wanted.maxX}, z ${wanted.minZ}..${wanted.maxZ} lies outside the grid`);
  return inside;
}

/** The middle of a rectangle. */
export function centreOf(rect: Rect): Point {
  return { x: (rect.minX + rect.maxX) / 2, z: (rect.minZ + rect.maxZ) / 2 };
}

/** A point drawn uniformly from `rect` with `random` (numbers in [0, 1)). */
export function randomPoint(rect: Rect, random: () => number): Point {
  return { x: rect.minX + random() * (rect.maxX - rect.minX), z: rect.minZ + random() * (rect.maxZ - rect.minZ) };
}
