import { HOLE_SHAPES, PATH_CURVES, PROFILE_CURVES, SHAPE_NUMBERS, SHAPE_PARAMS, normalizeShape, type PrimShape, type ShapeNumber } from "../shape.ts";
import type { PrimFace, PrimMesh } from "./assembly.ts";
import { faceRoles } from "./faces.ts";
import { meshVolume, weldMesh } from "./weld.ts";

/** Lowest and highest coordinate of some points, per axis. */
export function bounds(points: Float32Array): { low: number[]; high: number[] } {
  const low = [Infinity, Infinity, Infinity];
  const high = [-Infinity, -Infinity, -Infinity];
  points.forEach((value, i) => {
    low[i % 3] = Math.min(low[i % 3]!, value);
    high[i % 3] = Math.max(high[i % 3]!, value);
  });
  return { low, high };
}

/** A random normalised shape; numbers are often neutral or at an end of their range, where the special cases are. */
export function randomShape(next: () => number): PrimShape {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const value = (name: ShapeNumber) => {
    const { min, max, neutral } = SHAPE_PARAMS[name];
    const roll = next();
    if (roll < 0.3) return neutral;
    if (roll < 0.4) return next() < 0.5 ? min : max;
    return min + next() * (max - min);
  };
  const numbers = Object.fromEntries(SHAPE_NUMBERS.map((name) => [name, value(name)])) as Record<ShapeNumber, number>;
  return normalizeShape({ profile: pick(PROFILE_CURVES), hole: pick(HOLE_SHAPES), path: pick(PATH_CURVES), ...numbers });
}

/** How a mesh's faces join up, after welding its vertices by position. */
export interface Closure {
  /** Every edge is used by exactly two triangles, in opposite directions. */
  manifold: boolean;
  /**
   * Length of edge left uncovered: edges whose two directions do not cancel, even counting collinear
   * edges that overlap (a face squeezed to a line leaves T-junctions along it). 0 for a closed mesh.
   */
  openLength: number;
}

/** Whether a triangle mesh is closed: weld by position, drop triangles left degenerate, check every edge. */
export function closure(meshPositions: Float32Array, meshIndices: ArrayLike<number>): Closure {
  const { positions, indices } = weldMesh(meshPositions, meshIndices);
  const vertices = positions.length / 3;
  const directed = new Map<number, number>();
  for (let k = 0; k < indices.length; k += 3) {
    for (let e = 0; e < 3; e++) {
      const key = indices[k + e]! * vertices + indices[k + ((e + 1) % 3)]!;
      directed.set(key, (directed.get(key) ?? 0) + 1);
    }
  }
  let manifold = true;
  const residual: { a: number; b: number; weight: number }[] = [];
  for (const [key, count] of directed) {
    const a = Math.floor(key / vertices);
    const b = key % vertices;
    const back = directed.get(b * vertices + a) ?? 0;
    if (count !== 1 || back !== 1) manifold = false;
    if (a < b && count !== back) residual.push({ a, b, weight: count - back });
    if (a > b && back === 0) residual.push({ a, b, weight: count });
  }
  return { manifold, openLength: uncoveredLength(positions, residual) };
}

/** Total length along which directed segments that lie on common lines fail to cancel. */
function uncoveredLength(positions: Float32Array, segments: { a: number; b: number; weight: number }[]): number {
  const point = (v: number) => [positions[3 * v]!, positions[3 * v + 1]!, positions[3 * v + 2]!];
  const length = ({ a, b }: { a: number; b: number }) => Math.hypot(...point(b).map((c, axis) => c - point(a)[axis]!));
  const pending = [...segments].sort((p, q) => length(q) - length(p));
  let uncovered = 0;
  while (pending.length > 0) {
    // The longest segment left defines a line; every segment with both ends on it joins the reckoning.
    const { a, b } = pending[0]!;
    const origin = point(a);
    const direction = point(b).map((c, axis) => (c - origin[axis]!) / length(pending[0]!));
    const along = (v: number) => point(v).reduce((sum, c, axis) => sum + (c - origin[axis]!) * direction[axis]!, 0);
    const offLine = (v: number) => Math.hypot(...point(v).map((c, axis) => c - origin[axis]! - along(v) * direction[axis]!));
    const events: [number, number][] = [];
    for (let i = pending.length - 1; i >= 0; i--) {
      const segment = pending[i]!;
      if (offLine(segment.a) > 1e-6 || offLine(segment.b) > 1e-6) continue;
      const [ta, tb] = [along(segment.a), along(segment.b)];
      const weight = ta < tb ? segment.weight : -segment.weight;
      events.push([Math.min(ta, tb), weight], [Math.max(ta, tb), -weight]);
      pending.splice(i, 1);
    }
    events.sort((p, q) => p[0] - q[0]);
    let cover = 0;
    for (let e = 0; e < events.length - 1; e++) {
      cover += events[e]![1];
      const gap = events[e + 1]![0] - events[e]![0];
      if (cover !== 0 && gap > 1e-6) uncovered += gap * Math.abs(cover);
    }
  }
  return uncovered;
}

/** Smallest signed distance from the axis of a circle path's side-face vertices (v is the path position s): below 0 where the profile crosses the axis. */
export function leastSweptRadius(shape: PrimShape, mesh: PrimMesh): number {
  let least = Infinity;
  for (const face of mesh.faces) {
    if (face.role === "pathBegin" || face.role === "pathEnd") continue;
    for (let v = face.vertexStart; v < face.vertexStart + face.vertexCount; v++) {
      const theta = 2 * Math.PI * shape.revolutions * mesh.uvs[2 * v + 1]!;
      least = Math.min(least, mesh.positions[3 * v + 1]! * Math.sin(theta) + mesh.positions[3 * v + 2]! * Math.cos(theta));
    }
  }
  return least;
}

/** Options of {@link meshProblems}. */
export interface CheckOptions {
  /**
   * Check that the mesh winds outward (positive volume). Not for shapes whose profile crosses a circle
   * path's axis: those turn inside out where they cross.
   */
  outward: boolean;
  /** Require every edge to be shared by exactly two triangles, beyond the geometric closure. */
  manifold: boolean;
  /** Require every corner's normal to be within 90 degrees of each of its triangles, not only each face's normals on the whole to agree with its triangles. */
  strictNormals: boolean;
}

/** Everything wrong with a prim mesh, as readable lines; [] for a good one. */
export function meshProblems(shape: PrimShape, mesh: PrimMesh, options: CheckOptions): string[] {
  const problems: string[] = [];
  const { positions, normals, uvs, indices, faces } = mesh;
  const vertexCount = positions.length / 3;
  if (normals.length !== positions.length || uvs.length !== vertexCount * 2) problems.push("array lengths differ");
  if (indices.length % 3 !== 0) problems.push("indices are not whole triangles");
  if ((vertexCount < 65536) !== indices instanceof Uint16Array) problems.push("wrong index type");
  for (const [name, values] of [["position", positions], ["normal", normals], ["uv", uvs]] as const) {
    if (!values.every(Number.isFinite)) problems.push(`${name}s not finite`);
  }
  if (!positions.every((c) => Math.abs(c) <= 2)) problems.push("positions out of bounds");
  for (let v = 0; v < vertexCount; v++) {
    const length = Math.hypot(normals[3 * v]!, normals[3 * v + 1]!, normals[3 * v + 2]!);
    if (Math.abs(length - 1) > 1e-3) {
      problems.push(`normal ${v} has length ${length}`);
      break;
    }
  }
  const roles = faceRoles(shape);
  if (faces.map((face) => face.role).join() !== roles.join()) problems.push(`roles ${faces.map((f) => f.role).join()} != faceRoles ${roles.join()}`);
  let vertexStart = 0;
  let indexStart = 0;
  faces.forEach((face, index) => {
    if (face.index !== index || face.vertexStart !== vertexStart || face.indexStart !== indexStart) problems.push(`face ${index} out of order`);
    if (face.vertexCount <= 0 || face.indexCount <= 0 || face.indexCount % 3 !== 0) problems.push(`face ${index} is empty or ragged`);
    for (let k = face.indexStart; k < face.indexStart + face.indexCount; k++) {
      if (indices[k]! < face.vertexStart || indices[k]! >= face.vertexStart + face.vertexCount) {
        problems.push(`face ${index} uses vertex ${indices[k]} outside its range`);
        break;
      }
    }
    vertexStart += face.vertexCount;
    indexStart += face.indexCount;
  });
  if (vertexStart !== vertexCount || indexStart !== indices.length) problems.push("faces do not cover the mesh");
  if (problems.length > 0) return problems;

  const { manifold, openLength } = closure(positions, indices);
  if (openLength > 1e-4) problems.push(`not closed: ${openLength.toFixed(5)} of edge left open`);
  if (options.manifold && !manifold) problems.push("not manifold: some edge is not shared by exactly two triangles");
  if (options.outward) {
    const volume = meshVolume(positions, indices);
    if (!(volume > 0)) problems.push(`signed volume ${volume}`);
  }
  for (const face of faces) {
    const problem = normalProblem(mesh, face, options.strictNormals);
    if (problem) problems.push(`${face.role} face ${face.index}: ${problem}`);
  }
  return problems;
}

/**
 * What is wrong with how a face's vertex normals agree with its triangles, if anything. A cap is flat:
 * every corner's normal is its triangles' normal. A side face is smoothed; on the whole its normals
 * must agree with its triangles (a face whose triangles or normals were reversed scores near -1), and
 * `strict`ly every corner must. A coarse level of a sharply curved or twisted face can miss the strict
 * test: at level 0 a torus's 4:1 ellipse is a hexagon with 123-degree corners, where an area-weighted
 * normal leans past square to the smaller side.
 */
function normalProblem(mesh: PrimMesh, face: PrimFace, strict: boolean): string | undefined {
  const { positions, normals, indices } = mesh;
  const flat = face.role === "pathBegin" || face.role === "pathEnd";
  let agreement = 0;
  let area = 0;
  for (let k = face.indexStart; k < face.indexStart + face.indexCount; k += 3) {
    const corners = [3 * indices[k]!, 3 * indices[k + 1]!, 3 * indices[k + 2]!] as const;
    const [a, b, c] = corners;
    const u = [0, 1, 2].map((i) => positions[b + i]! - positions[a + i]!);
    const w = [0, 1, 2].map((i) => positions[c + i]! - positions[a + i]!);
    const n = [u[1]! * w[2]! - u[2]! * w[1]!, u[2]! * w[0]! - u[0]! * w[2]!, u[0]! * w[1]! - u[1]! * w[0]!];
    const length = Math.hypot(n[0]!, n[1]!, n[2]!);
    if (length < 1e-7) continue;
    const dots = corners.map((v) => (n[0]! * normals[v]! + n[1]! * normals[v + 1]! + n[2]! * normals[v + 2]!) / length);
    const mean = (dots[0]! + dots[1]! + dots[2]!) / 3;
    if (flat && Math.min(...dots) < 0.999) return `triangle ${k / 3} is not flat with its normals (dot ${Math.min(...dots).toFixed(3)})`;
    if (strict && Math.min(...dots) <= 0) return `triangle ${k / 3} disagrees with its corners' normals (dots ${dots.map((d) => d.toFixed(2)).join(", ")})`;
    agreement += mean * length;
    area += length;
  }
  if (area > 0 && agreement / area <= 0) return `normals disagree with the triangles (area-weighted agreement ${(agreement / area).toFixed(2)})`;
  return undefined;
}
