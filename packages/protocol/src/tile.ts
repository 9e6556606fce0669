/**
 * Tile math. The world is cut into square tiles of `size` metres:
 * tile (tx, tz) covers x in [tx*size, (tx+1)*size) and z in [tz*size, (tz+1)*size).
 * Every tile is one room whose id is `tile_<tx>_<tz>` (room ids may only hold [a-zA-Z0-9_-]).
 */

export interface TileCoord {
  readonly tx: number;
  readonly tz: number;
}

export interface GridSize {
  /** Tiles along x. */
  readonly width: number;
  /** Tiles along z. */
  readonly depth: number;
}

export interface Rect {
  readonly minX: number;
  readonly minZ: number;
  readonly maxX: number;
  readonly maxZ: number;
}

const TILE_ID = /^tile_(-?\d{1,6})_(-?\d{1,6})$/;

/** The tile holding world point (x, z). */
export function tileOf(x: number, z: number, size: number): TileCoord {
  return { tx: Math.floor(x / size), tz: Math.floor(z / size) };
}

/** Room id of a tile, e.g. `tile_3_-2`. */
export function tileId({ tx, tz }: TileCoord): string {
  return `tile_${tx}_${tz}`;
}

/** Parses a room id made by {@link tileId}; undefined for anything else. */
export function parseTileId(id: string): TileCoord | undefined {
  const match = TILE_ID.exec(id);
  if (!match) return undefined;
  return { tx: Number(match[1]), tz: Number(match[2]) };
}

/** The square a tile covers, in world metres. */
export function tileBounds({ tx, tz }: TileCoord, size: number): Rect {
  return { minX: tx * size, minZ: tz * size, maxX: (tx + 1) * size, maxZ: (tz + 1) * size };
}

/** Centre of a tile, in world metres. */
export function tileCentre({ tx, tz }: TileCoord, size: number): { x: number; z: number } {
  return { x: (tx + 0.5) * size, z: (tz + 0.5) * size };
}

/** Whether a tile lies on the grid, whose tiles run from (0, 0) to (width-1, depth-1). */
export function isTileInGrid({ tx, tz }: TileCoord, grid: GridSize): boolean {
  return Number.isInteger(tx) && Number.isInteger(tz) && tx >= 0 && tz >= 0 && tx < grid.width && tz < grid.depth;
}

/** The whole grid's square, in world metres. */
export function gridBounds(grid: GridSize, size: number): Rect {
  return { minX: 0, minZ: 0, maxX: grid.width * size, maxZ: grid.depth * size };
}

export function sameTile(a: TileCoord, b: TileCoord): boolean {
  return a.tx === b.tx && a.tz === b.tz;
}
