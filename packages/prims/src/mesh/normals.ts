/** A summed normal shorter than this has no direction: all of its vertex's quads are degenerate. */
const TINY_SQUARED = 1e-24;

/**
 * Adds the normal of quad p, q, r, t (counter-clockwise from outside), weighted by its area, to its four
 * corners: the sum of its two triangles' area-weighted normals, whichever diagonal splits it. (Adding
 * each triangle to its own three corners only would lean every grid normal towards the quads whose
 * diagonal it lies on.)
 */
export function addQuadNormal(positions: Float32Array, normals: Float32Array, p: number, q: number, r: number, t: number): void {
  // Twice the quad's vector area: the cross product of its diagonals.
  const ux = positions[3 * r]! - positions[3 * p]!;
  const uy = positions[3 * r + 1]! - positions[3 * p + 1]!;
  const uz = positions[3 * r + 2]! - positions[3 * p + 2]!;
  const vx = positions[3 * t]! - positions[3 * q]!;
  const vy = positions[3 * t + 1]! - positions[3 * q + 1]!;
  const vz = positions[3 * t + 2]! - positions[3 * q + 2]!;
  const nx = uy * vz - uz * vy;
  const ny = uz * vx - ux * vz;
  const nz = ux * vy - uy * vx;
  add(normals, 3 * p, nx, ny, nz);
  add(normals, 3 * q, nx, ny, nz);
  add(normals, 3 * r, nx, ny, nz);
  add(normals, 3 * t, nx, ny, nz);
}

function add(normals: Float32Array, at: number, x: number, y: number, z: number): void {
  normals[at] = normals[at]! + x;
  normals[at + 1] = normals[at + 1]! + y;
  normals[at + 2] = normals[at + 2]! + z;
}

/** Gives vertices a and b the sum of their normals: two copies of one point on a seam that must not show. */
export function shareNormal(normals: Float32Array, a: number, b: number): void {
  for (let axis = 0; axis < 3; axis++) {
    const sum = normals[3 * a + axis]! + normals[3 * b + axis]!;
    normals[3 * a + axis] = sum;
    normals[3 * b + axis] = sum;
  }
}

/**
 * Makes the summed normals of `count` vertices from `first` (one face's) unit length. A vertex whose
 * quads all lack area (none does on a face that exists, but rounding is no excuse for a NaN) takes
 * the face's mean normal, or +y when even that has no direction.
 */
export function finishNormals(normals: Float32Array, first: number, count: number): void {
  let mx = 0;
  let my = 0;
  let mz = 0;
  const missing: number[] = [];
  for (let v = first; v < first + count; v++) {
    const x = normals[3 * v]!;
    const y = normals[3 * v + 1]!;
    const z = normals[3 * v + 2]!;
    mx += x;
    my += y;
    mz += z;
    const length2 = x * x + y * y + z * z;
    if (length2 > TINY_SQUARED) {
      const scale = 1 / Math.sqrt(length2);
      normals[3 * v] = x * scale;
      normals[3 * v + 1] = y * scale;
      normals[3 * v + 2] = z * scale;
    } else {
      missing.push(v);
    }
  }
  if (missing.length === 0) return;
  const mean = Math.hypot(mx, my, mz);
  const fallback = mean * mean > TINY_SQUARED ? [mx / mean, my / mean, mz / mean] : [0, 1, 0];
  for (const v of missing) normals.set(fallback, 3 * v);
}

/** Sets the normals of `count` vertices from `first` to one direction (a flat face's), scaled to unit length. */
export function fillNormal(normals: Float32Array, first: number, count: number, x: number, y: number, z: number): void {
  const scale = 1 / Math.hypot(x, y, z);
  for (let v = first; v < first + count; v++) {
    normals[3 * v] = x * scale;
    normals[3 * v + 1] = y * scale;
    normals[3 * v + 2] = z * scale;
  }
}
