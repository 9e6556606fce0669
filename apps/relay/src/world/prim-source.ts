import type { Prim } from "@tessera/prims";
import { primsByTile, tileId, type TileCoord, type WorldConfig } from "@tessera/protocol";
import { demoWorld } from "@tessera/worldgen";

/** Where a tile room gets its prims when it opens. */
export interface PrimSource {
  /** The prims anchored in a tile: roots whose position lies in it, and their linked children. */
  tilePrims(tile: TileCoord): readonly Prim[];
}

/** A source holding these prims. */
export function staticSource(prims: readonly Prim[], tileSize: number): PrimSource {
  const tiles = primsByTile(prims, tileSize);
  return { tilePrims: (tile) => tiles.get(tileId(tile)) ?? [] };
}

/** The generated demo world ({@link demoWorld}), made once per relay. */
export function demoSource(world: WorldConfig): PrimSource {
  return staticSource(demoWorld(world), world.tileSize);
}
