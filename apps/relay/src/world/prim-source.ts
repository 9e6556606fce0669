import { readFile } from "node:fs/promises";
import { z } from "zod";
import { primSchema, type Prim } from "@tessera/prims";
import { distanceToRect, formatIssues, isTileInGrid, linksetReach, primsByTile, tileBounds, tileId, type GridSize, type TileCoord, type WorldConfig } from "@tessera/protocol";
import { demoWorld } from "@tessera/worldgen";
import { ConfigError } from "../config.ts";

/** Where a tile room gets its prims when it opens. */
export interface PrimSource {
  /** The prims anchored in a tile: roots whose position lies in it, and their linked children. */
  tilePrims(tile: TileCoord): readonly Prim[];
}

/**
 * The fixed linksets anchored in a tile's neighbours that reach within `strip` metres of it: what
 * the tile needs to know of them so that an avatar at its edge meets a wall or stands on a floor that
 * belongs across the border. Physical ones are left out (they move; they are handed over instead).
 */
export function borderGhosts(source: PrimSource, tile: TileCoord, grid: GridSize, tileSize: number, strip: number): Prim[] {
  const bounds = tileBounds(tile, tileSize);
  const ghosts: Prim[] = [];
  for (let dx = -1; dx <= 1; dx++) {
    for (let dz = -1; dz <= 1; dz++) {
      const neighbour = { tx: tile.tx + dx, tz: tile.tz + dz };
      if ((dx === 0 && dz === 0) || !isTileInGrid(neighbour, grid)) continue;
      const prims = source.tilePrims(neighbour);
      const childrenOf = new Map<number, Prim[]>();
      for (const prim of prims) if (prim.root !== 0) childrenOf.set(prim.root, [...(childrenOf.get(prim.root) ?? []), prim]);
      for (const root of prims) {
        if (root.root !== 0 || root.physical) continue;
        const children = childrenOf.get(root.id) ?? [];
        if (distanceToRect(root.position.x, root.position.z, bounds) <= linksetReach(root, children) + strip) ghosts.push(root, ...children);
      }
    }
  }
  return ghosts;
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

/** The prims in a JSON file (an array of prims, as `primSchema` reads them); a bad file is a {@link ConfigError} naming what is wrong. */
export async function fileSource(path: string, tileSize: number): Promise<PrimSource> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`WORLD_PRIMS: cannot read ${path}: ${(error as Error).message}`);
  }
  const parsed = z.array(primSchema).safeParse(json);
  if (!parsed.success) throw new ConfigError(`WORLD_PRIMS: ${path} is not a list of prims: ${formatIssues(parsed.error)}`);
  const ids = new Set(parsed.data.map((prim) => prim.id));
  if (ids.size !== parsed.data.length) throw new ConfigError(`WORLD_PRIMS: ${path} uses a prim id twice`);
  try {
    return staticSource(parsed.data, tileSize);
  } catch (error) {
    throw new ConfigError(`WORLD_PRIMS: ${path}: ${(error as Error).message}`);
  }
}
