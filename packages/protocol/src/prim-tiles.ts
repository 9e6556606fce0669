import type { Prim } from "@tessera/prims";
import { tileId, tileOf } from "./tile.ts";

/**
 * Prims by the id of the tile that holds them: a linkset belongs to the tile of its root's
 * position, children and all (a prim may stick out of its tile).
 */
export function primsByTile(prims: readonly Prim[], tileSize: number): Map<string, Prim[]> {
  const roots = new Map(prims.filter((p) => p.root === 0).map((p) => [p.id, p]));
  const tiles = new Map<string, Prim[]>();
  for (const prim of prims) {
    const anchor = prim.root === 0 ? prim : roots.get(prim.root);
    if (!anchor) throw new Error(`prim ${prim.id} is linked to ${prim.root}, which is not a root prim here`);
    const id = tileId(tileOf(anchor.position.x, anchor.position.z, tileSize));
    const list = tiles.get(id);
    if (list) list.push(prim);
    else tiles.set(id, [prim]);
  }
  return tiles;
}

/**
 * How far a linkset reaches horizontally from its root's position, metres: no part of it lies
 * farther (a bound, not exact: each prim counts as the sphere around its scaled box).
 */
export function linksetReach(root: Prim, children: readonly Prim[]): number {
  let reach = Math.hypot(root.scale.x, root.scale.y, root.scale.z) / 2;
  for (const child of children) {
    const offset = Math.hypot(child.position.x, child.position.y, child.position.z);
    reach = Math.max(reach, offset + Math.hypot(child.scale.x, child.scale.y, child.scale.z) / 2);
  }
  return reach;
}
