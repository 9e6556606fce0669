import { readFile } from "node:fs/promises";
import { z } from "zod";
import { primSchema, type Prim } from "@tessera/prims";
import { distanceToRect, formatIssues, isTileInGrid, linksetReach, primsByTile, tileBounds, tileId, type GridSize, type TileCoord } from "@tessera/protocol";
import type { PlacedPrim, TileContents, WorldStore } from "@tessera/store";
import { ConfigError } from "../config.ts";

/**
 * The fixed linksets among a neighbour's prims that reach within `strip` metres of `tile`: what the
 * tile needs to know of them so that an avatar at its edge meets a wall or stands on a floor that
 * belongs across the border. Physical ones are left out (they move; they are handed over instead).
 */
export function borderGhosts(neighbour: readonly Prim[], tile: TileCoord, tileSize: number, strip: number): Prim[] {
  const bounds = tileBounds(tile, tileSize);
  const ghosts: Prim[] = [];
  const childrenOf = new Map<number, Prim[]>();
  for (const prim of neighbour) if (prim.root !== 0) childrenOf.set(prim.root, [...(childrenOf.get(prim.root) ?? []), prim]);
  for (const root of neighbour) {
    if (root.root !== 0 || root.physical) continue;
    const children = childrenOf.get(root.id) ?? [];
    if (distanceToRect(root.position.x, root.position.z, bounds) <= linksetReach(root, children) + strip) ghosts.push(root, ...children);
  }
  return ghosts;
}

/** The tiles around `tile` on the grid, itself left out. */
function neighboursOf(tile: TileCoord, grid: GridSize): TileCoord[] {
  const neighbours: TileCoord[] = [];
  for (let dx = -1; dx <= 1; dx++) {
    for (let dz = -1; dz <= 1; dz++) {
      const neighbour = { tx: tile.tx + dx, tz: tile.tz + dz };
      if ((dx !== 0 || dz !== 0) && isTileInGrid(neighbour, grid)) neighbours.push(neighbour);
    }
  }
  return neighbours;
}

/**
 * The neighbours of `tile` whose ghosts an edit changed: those that the edited linksets reached
 * into before it (`before`) or reach into after it (`after`, roots and children as they are now),
 * each with the prims it should hold as ghosts now.
 */
export function ghostsToRefresh(tile: TileCoord, grid: GridSize, tileSize: number, strip: number, before: readonly Prim[], after: readonly Prim[]): { tile: TileCoord; ghosts: Prim[] }[] {
  const refresh: { tile: TileCoord; ghosts: Prim[] }[] = [];
  for (const neighbour of neighboursOf(tile, grid)) {
    const ghosts = borderGhosts(after, neighbour, tileSize, strip);
    if (ghosts.length > 0 || borderGhosts(before, neighbour, tileSize, strip).length > 0) refresh.push({ tile: neighbour, ghosts });
  }
  return refresh;
}

/** A tile's contents from the store, and the ghosts of its neighbours' border strips (all read at once). */
export async function loadTile(store: WorldStore, tile: TileCoord, grid: GridSize, tileSize: number, strip: number): Promise<TileContents & { ghosts: Prim[] }> {
  const [own, ...around] = await Promise.all([tile, ...neighboursOf(tile, grid)].map((t) => store.tileContents(tileId(t))));
  return { ...own!, ghosts: around.flatMap((contents) => borderGhosts(contents.prims, tile, tileSize, strip)) };
}

/** Prims with the tile each belongs to (its linkset root's), as the store takes them; throws for a child whose root is missing. */
export function placePrims(prims: readonly Prim[], tileSize: number): PlacedPrim[] {
  return [...primsByTile(prims, tileSize)].flatMap(([tile, held]) => held.map((prim) => ({ tile, prim })));
}

/** The prims in a JSON file (an array of prims, as `primSchema` reads them); a bad file is a {@link ConfigError} naming what is wrong. */
export async function readWorldPrims(path: string, tileSize: number): Promise<PlacedPrim[]> {
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
    return placePrims(parsed.data, tileSize);
  } catch (error) {
    throw new ConfigError(`WORLD_PRIMS: ${path}: ${(error as Error).message}`);
  }
}
