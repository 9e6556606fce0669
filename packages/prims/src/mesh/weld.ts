/** A mesh whose vertices are all distinct points. */
export interface WeldedMesh {
  positions: Float32Array;
  indices: Uint32Array;
}

/**
 * Merges vertices at the same position (to within `tolerance`, by rounding onto a grid of that
 * size) and drops the triangles left with a repeated corner. The faces of a prim mesh meet at copies
 * of the same points, so welding its faces together shows whether it is closed.
 */
export function weldMesh(positions: Float32Array, indices: ArrayLike<number>, tolerance = 1e-6): WeldedMesh {
  const ids = new Map<string, number>();
  const remap = new Uint32Array(positions.length / 3);
  const welded: number[] = [];
  for (let v = 0; v < remap.length; v++) {
    const x = positions[3 * v]!;
    const y = positions[3 * v + 1]!;
    const z = positions[3 * v + 2]!;
    const key = `${Math.round(x / tolerance)},${Math.round(y / tolerance)},${Math.round(z / tolerance)}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
      welded.push(x, y, z);
    }
    remap[v] = id;
  }
  const kept: number[] = [];
  for (let k = 0; k + 2 < indices.length; k += 3) {
    const a = remap[indices[k]!]!;
    const b = remap[indices[k + 1]!]!;
    const c = remap[indices[k + 2]!]!;
    if (a !== b && b !== c && c !== a) kept.push(a, b, c);
  }
  return { positions: Float32Array.from(welded), indices: Uint32Array.from(kept) };
}

/** Signed volume enclosed by a closed triangle mesh: positive when its triangles wind counter-clockwise seen from outside. */
export function meshVolume(positions: Float32Array, indices: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k + 2 < indices.length; k += 3) {
    const a = 3 * indices[k]!;
    const b = 3 * indices[k + 1]!;
    const c = 3 * indices[k + 2]!;
    const [ax, ay, az] = [positions[a]!, positions[a + 1]!, positions[a + 2]!];
    const [bx, by, bz] = [positions[b]!, positions[b + 1]!, positions[b + 2]!];
    const [cx, cy, cz] = [positions[c]!, positions[c + 1]!, positions[c + 2]!];
    sum += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  }
  return sum / 6;
}
