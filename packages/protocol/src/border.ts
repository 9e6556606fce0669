import { isTileInGrid, tileBounds, tileId, tileOf, type GridSize, type Rect, type TileCoord } from "./tile.ts";

/**
 * How far past its tile's border an entity goes before the neighbour takes it over, metres. An
 * entity walking back is handed back only this far past the border on the other side: a band of
 * twice this width where nothing changes hands, so pacing along a border does not ping-pong.
 */
export const HANDOFF_MARGIN = 1;
/**
 * A client sends its inputs to every tile whose square lies this close to its predicted position,
 * besides its avatar's authority, so that whichever room holds the avatar after a handoff already
 * has the inputs (metres; more than {@link HANDOFF_MARGIN} plus a prediction error).
 */
export const INPUT_REACH = 4;
/**
 * Width of the strip beyond each border whose fixed prims a tile room copies from its neighbours,
 * metres: wider than how far past the border an avatar can get before it is handed over.
 */
export const GHOST_STRIP = 4;
/** A tile once joined is left only when its square lies this much beyond the view radius, metres. */
export const VIEW_HYSTERESIS = 16;

/** Distance from a point to the nearest point of a rectangle (0 inside it), metres. */
export function distanceToRect(x: number, z: number, rect: Rect): number {
  const dx = Math.max(rect.minX - x, 0, x - rect.maxX);
  const dz = Math.max(rect.minZ - z, 0, z - rect.maxZ);
  return Math.hypot(dx, dz);
}

/** Every tile of the grid whose square lies within `radius` metres of (x, z), nearest first. */
export function tilesWithin(x: number, z: number, radius: number, size: number, grid: GridSize): TileCoord[] {
  // From the first tile whose far edge reaches x - radius (a square exactly `radius` away counts).
  const first = (v: number) => Math.ceil((v - radius) / size) - 1;
  const to = tileOf(x + radius, z + radius, size);
  const found: { tile: TileCoord; distance: number }[] = [];
  for (let tx = first(x); tx <= to.tx; tx++) {
    for (let tz = first(z); tz <= to.tz; tz++) {
      const tile = { tx, tz };
      if (!isTileInGrid(tile, grid)) continue;
      const distance = distanceToRect(x, z, tileBounds(tile, size));
      if (distance <= radius) found.push({ tile, distance });
    }
  }
  return found.sort((a, b) => a.distance - b.distance).map((entry) => entry.tile);
}

/**
 * The tile that should take over an entity of `tile` now at (x, z): the one holding it once it is
 * more than {@link HANDOFF_MARGIN} past `tile`'s border (beyond the grid's edge, none: the edge is a
 * wall), else undefined.
 */
export function handoffTarget(x: number, z: number, tile: TileCoord, size: number, grid: GridSize): TileCoord | undefined {
  if (distanceToRect(x, z, tileBounds(tile, size)) <= HANDOFF_MARGIN) return undefined;
  const target = tileOf(x, z, size);
  return isTileInGrid(target, grid) ? target : undefined;
}

/** What a {@link ViewSubscription} update changes: tile ids to join and to leave. */
export interface SubscriptionChange {
  join: string[];
  leave: string[];
}

/**
 * The tiles a client keeps joined around its avatar: every tile whose square lies within the view
 * radius; a joined one is kept until its square lies {@link VIEW_HYSTERESIS} beyond it, so that
 * walking along the edge of the radius does not join and leave over and over.
 */
export class ViewSubscription {
  private readonly joined = new Set<string>();
  private readonly radius: number;
  private readonly size: number;
  private readonly grid: GridSize;

  constructor(radius: number, size: number, grid: GridSize) {
    this.radius = radius;
    this.size = size;
    this.grid = grid;
  }

  /** The tile ids joined now. */
  get tiles(): ReadonlySet<string> {
    return this.joined;
  }

  /** Moves the centre of view to (x, z); returns what to join (nearest first) and what to leave. */
  update(x: number, z: number): SubscriptionChange {
    const keep = new Set(tilesWithin(x, z, this.radius + VIEW_HYSTERESIS, this.size, this.grid).map(tileId));
    const join = tilesWithin(x, z, this.radius, this.size, this.grid).map(tileId).filter((id) => !this.joined.has(id));
    const leave = [...this.joined].filter((id) => !keep.has(id));
    for (const id of leave) this.joined.delete(id);
    for (const id of join) this.joined.add(id);
    return { join, leave };
  }

  /** Forgets a tile (its room went away), so that the next update joins it again. */
  drop(id: string): void {
    this.joined.delete(id);
  }
}
