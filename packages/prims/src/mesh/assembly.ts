import type { PrimShape } from "../shape.ts";
import { planFaces, type FacePlan, type FaceRole } from "./faces.ts";
import type { Lod } from "./lod.ts";
import { addQuadNormal, fillNormal, finishNormals, shareNormal } from "./normals.ts";
import { FRAME_SIZE, pathFrames, type PathFrames } from "./path.ts";
import { sampleIndex, sampleProfile, type ProfileSamples } from "./profile.ts";

/** One face of a prim's mesh: contiguous ranges of its vertices and of its indices. */
export interface PrimFace {
  /** Second Life's face number: the position in the mesh's list of faces. */
  index: number;
  role: FaceRole;
  vertexStart: number;
  vertexCount: number;
  indexStart: number;
  indexCount: number;
}

/** A prim's triangle mesh in prim-local space (the unit box, y up): counter-clockwise from outside. */
export interface PrimMesh {
  /** x, y, z per vertex. */
  positions: Float32Array;
  /** Unit x, y, z per vertex. */
  normals: Float32Array;
  /** u, v per vertex. */
  uvs: Float32Array;
  /** Three vertex indices per triangle; 16 bits when there are fewer than 65536 vertices. */
  indices: Uint16Array | Uint32Array;
  /** In face-index order. */
  faces: PrimFace[];
}

/**
 * A side face's cross-section: a run of profile points, in the outline's counter-clockwise order,
 * that the path sweeps into a grid of quads.
 */
interface SideRun {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Texture u of each point. */
  readonly u: Float64Array;
  /** 1 between two points that are copies of one corner: no quad joins them, so the corner stays sharp. */
  readonly crease: Uint8Array;
  /** The run goes all the way round: its first and last points are one smooth seam. */
  readonly wraps: boolean;
}

/** A face's size, and how to write it once its place in the mesh is known. */
interface FaceWriter {
  readonly vertexCount: number;
  readonly indexCount: number;
  write(mesh: PrimMesh, vertexStart: number, indexStart: number): void;
}

/**
 * The mesh of a prim shape at a level of detail. Pure: the same shape and level give identical
 * arrays. Each face has its own vertices (normals are smooth within a face, never across faces),
 * in contiguous ranges, faces in face-index order.
 */
export function generatePrimMesh(shape: PrimShape, lod: Lod): PrimMesh {
  const profile = sampleProfile(shape, lod);
  const path = pathFrames(shape, lod);
  const plans = planFaces(shape);
  const writers = plans.map((plan) => faceWriter(plan, profile, path));
  let vertexCount = 0;
  let indexCount = 0;
  for (const writer of writers) {
    vertexCount += writer.vertexCount;
    indexCount += writer.indexCount;
  }
  const mesh: PrimMesh = {
    positions: new Float32Array(vertexCount * 3),
    normals: new Float32Array(vertexCount * 3),
    uvs: new Float32Array(vertexCount * 2),
    indices: vertexCount < 65536 ? new Uint16Array(indexCount) : new Uint32Array(indexCount),
    faces: [],
  };
  let vertexStart = 0;
  let indexStart = 0;
  writers.forEach((writer, index) => {
    writer.write(mesh, vertexStart, indexStart);
    mesh.faces.push({ index, role: plans[index]!.role, vertexStart, vertexCount: writer.vertexCount, indexStart, indexCount: writer.indexCount });
    vertexStart += writer.vertexCount;
    indexStart += writer.indexCount;
  });
  return mesh;
}

/** How to write one planned face. */
function faceWriter(plan: FacePlan, profile: ProfileSamples, path: PathFrames): FaceWriter {
  switch (plan.role) {
    case "pathEnd":
      return capWriter(profile, path, true);
    case "pathBegin":
      return capWriter(profile, path, false);
    case "outer":
      return sideWriter(outerRun(profile, plan.from, plan.to), path);
    case "hollow":
      return sideWriter(hollowRun(profile), path);
    case "profileCutBegin":
      return sideWriter(cutRun(profile, false), path);
    case "profileCutEnd":
      return sideWriter(cutRun(profile, true), path);
  }
}

/** The outer outline over one edge's span [from, to] of profile parameter, clipped to the cut; u runs 0 to 1 over the whole edge. */
function outerRun(profile: ProfileSamples, from: number, to: number): SideRun {
  const { t, outer, count } = profile;
  const first = sampleIndex(profile, Math.max(from, t[0]!));
  const last = sampleIndex(profile, Math.min(to, t[count - 1]!));
  const columns = last - first + 1;
  const run = emptyRun(columns, profile.closed && first === 0 && last === count - 1);
  for (let c = 0; c < columns; c++) {
    run.x[c] = outer[2 * (first + c)]!;
    run.y[c] = outer[2 * (first + c) + 1]!;
    run.u[c] = (t[first + c]! - from) / (to - from);
  }
  return run;
}

/**
 * The hole's outline, run backwards (the hollow faces inward, so its counter-clockwise order as a
 * boundary of the solid is the hole's clockwise one). u runs the same way, so textures inside are
 * not mirrored. Corners of the hole are doubled to keep them sharp.
 */
function hollowRun(profile: ProfileSamples): SideRun {
  const { t, count, innerCorner } = profile;
  const inner = profile.inner!;
  let columns = count;
  for (let i = 1; i < count - 1; i++) columns += innerCorner[i]!;
  const run = emptyRun(columns, profile.closed && innerCorner[0] === 0);
  let c = 0;
  for (let i = count - 1; i >= 0; i--) {
    const copies = i > 0 && i < count - 1 && innerCorner[i] === 1 ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      run.x[c] = inner[2 * i]!;
      run.y[c] = inner[2 * i + 1]!;
      run.u[c] = 1 - t[i]!;
      if (copy === 1) run.crease[c - 1] = 1;
      c++;
    }
  }
  return run;
}

/**
 * A profile cut face: from the hole's cut end (or the centre) to the outline's at the cut's begin,
 * from the outline's to the hole's (or the centre) at its end. u is 0 at the outline, 1 inside.
 */
function cutRun(profile: ProfileSamples, atEnd: boolean): SideRun {
  const sample = atEnd ? profile.count - 1 : 0;
  const ox = profile.outer[2 * sample]!;
  const oy = profile.outer[2 * sample + 1]!;
  const ix = profile.inner ? profile.inner[2 * sample]! : 0;
  const iy = profile.inner ? profile.inner[2 * sample + 1]! : 0;
  const run = emptyRun(2, false);
  run.x.set(atEnd ? [ox, ix] : [ix, ox]);
  run.y.set(atEnd ? [oy, iy] : [iy, oy]);
  run.u.set(atEnd ? [0, 1] : [1, 0]);
  return run;
}

function emptyRun(columns: number, wraps: boolean): SideRun {
  return { x: new Float64Array(columns), y: new Float64Array(columns), u: new Float64Array(columns), crease: new Uint8Array(columns - 1), wraps };
}

/** A side face: the run swept along the path, a quad (two triangles) per segment and run step. */
function sideWriter(run: SideRun, path: PathFrames): FaceWriter {
  const columns = run.x.length;
  const rings = path.count;
  let steps = 0;
  for (let c = 0; c < columns - 1; c++) steps += 1 - run.crease[c]!;
  return {
    vertexCount: rings * columns,
    indexCount: 6 * (rings - 1) * steps,
    write(mesh, first, indexStart) {
      const { positions, uvs, indices, normals } = mesh;
      const { frames, s } = path;
      for (let j = 0; j < rings; j++) {
        const f = j * FRAME_SIZE;
        const v0 = first + j * columns;
        for (let c = 0; c < columns; c++) {
          const x = run.x[c]!;
          const y = run.y[c]!;
          const p = 3 * (v0 + c);
          positions[p] = frames[f]! + x * frames[f + 3]! + y * frames[f + 6]!;
          positions[p + 1] = frames[f + 1]! + x * frames[f + 4]! + y * frames[f + 7]!;
          positions[p + 2] = frames[f + 2]! + x * frames[f + 5]! + y * frames[f + 8]!;
          uvs[2 * (v0 + c)] = run.u[c]!;
          uvs[2 * (v0 + c) + 1] = s[j]!;
        }
      }
      let k = indexStart;
      for (let j = 0; j < rings - 1; j++) {
        for (let c = 0; c < columns - 1; c++) {
          if (run.crease[c] === 1) continue;
          const a0 = first + j * columns + c;
          const b0 = a0 + columns;
          // Around the quad a0, a1, b1, b0 the profile's counter-clockwise order faces out on a line
          // path; a circle path mirrors it.
          const p = a0;
          const q = path.mirrored ? b0 : a0 + 1;
          const r = b0 + 1;
          const t = path.mirrored ? a0 + 1 : b0;
          // Split a bent quad along the diagonal that makes it bulge out (a ridge, not a valley):
          // coarse twisted walls then never cave in through each other.
          const ridge = bulgesOut(positions, p, q, r, t);
          indices[k] = p;
          indices[k + 1] = q;
          indices[k + 2] = ridge ? r : t;
          indices[k + 3] = ridge ? p : q;
          indices[k + 4] = r;
          indices[k + 5] = t;
          k += 6;
          addQuadNormal(positions, normals, p, q, r, t);
        }
      }
      if (run.wraps) for (let j = 0; j < rings; j++) shareNormal(normals, first + j * columns, first + j * columns + columns - 1);
      if (path.closed) for (let c = 0; c < columns; c++) shareNormal(normals, first + c, first + (rings - 1) * columns + c);
      finishNormals(normals, first, rings * columns);
    },
  };
}

/** Whether quad p, q, r, t (counter-clockwise from outside) is convex split along p-r: t lies behind triangle p, q, r. */
function bulgesOut(positions: Float32Array, p: number, q: number, r: number, t: number): boolean {
  const px = positions[3 * p]!;
  const py = positions[3 * p + 1]!;
  const pz = positions[3 * p + 2]!;
  const ux = positions[3 * q]! - px;
  const uy = positions[3 * q + 1]! - py;
  const uz = positions[3 * q + 2]! - pz;
  const vx = positions[3 * r]! - px;
  const vy = positions[3 * r + 1]! - py;
  const vz = positions[3 * r + 2]! - pz;
  const wx = positions[3 * t]! - px;
  const wy = positions[3 * t + 1]! - py;
  const wz = positions[3 * t + 2]! - pz;
  return (uy * vz - uz * vy) * wx + (uz * vx - ux * vz) * wy + (ux * vy - uy * vx) * wz <= 0;
}

/**
 * A cap: the profile, flat, at the path's end or begin. Without hollow a fan from the centre over
 * the outline (every profile is star-shaped from its centre, cut ones too: the cut closes there);
 * with hollow a strip between the outline and the hole. u, v come from the profile's own coordinates.
 */
function capWriter(profile: ProfileSamples, path: PathFrames, atEnd: boolean): FaceWriter {
  const { outer, inner, closed } = profile;
  // A closed outline's last sample repeats its first: the cap wraps round instead.
  const points = closed ? profile.count - 1 : profile.count;
  const spans = closed ? points : points - 1;
  const vertexCount = inner ? 2 * points : points + 1;
  return {
    vertexCount,
    indexCount: 3 * (inner ? 2 * spans : spans),
    write(mesh, first, indexStart) {
      const { positions, uvs, indices, normals } = mesh;
      const f = (atEnd ? path.count - 1 : 0) * FRAME_SIZE;
      const { frames } = path;
      const put = (v: number, x: number, y: number) => {
        positions[3 * v] = frames[f]! + x * frames[f + 3]! + y * frames[f + 6]!;
        positions[3 * v + 1] = frames[f + 1]! + x * frames[f + 4]! + y * frames[f + 7]!;
        positions[3 * v + 2] = frames[f + 2]! + x * frames[f + 5]! + y * frames[f + 8]!;
        uvs[2 * v] = x + 0.5;
        uvs[2 * v + 1] = y + 0.5;
      };
      // Counter-clockwise in the profile faces along the frame's U x V; the end cap must face forward
      // along the path, the begin cap back, and a circle path mirrors both.
      const forward = atEnd !== path.mirrored;
      let k = indexStart;
      const triangle = (a: number, b: number, c: number) => {
        indices[k] = a;
        indices[k + 1] = forward ? b : c;
        indices[k + 2] = forward ? c : b;
        k += 3;
      };
      if (inner) {
        for (let i = 0; i < points; i++) {
          put(first + i, outer[2 * i]!, outer[2 * i + 1]!);
          put(first + points + i, inner[2 * i]!, inner[2 * i + 1]!);
        }
        // Hole point i lies between the centre and outline point i, so both halves of every quad
        // turn counter-clockwise.
        for (let i = 0; i < spans; i++) {
          const o0 = first + i;
          const o1 = first + ((i + 1) % points);
          triangle(o0, o1, o0 + points);
          triangle(o0 + points, o1, o1 + points);
        }
      } else {
        put(first, 0, 0);
        for (let i = 0; i < points; i++) put(first + 1 + i, outer[2 * i]!, outer[2 * i + 1]!);
        for (let i = 0; i < spans; i++) triangle(first, first + 1 + i, first + 1 + ((i + 1) % points));
      }
      const U = [frames[f + 3]!, frames[f + 4]!, frames[f + 5]!];
      const V = [frames[f + 6]!, frames[f + 7]!, frames[f + 8]!];
      const sign = forward ? 1 : -1;
      fillNormal(
        normals,
        first,
        vertexCount,
        sign * (U[1]! * V[2]! - U[2]! * V[1]!),
        sign * (U[2]! * V[0]! - U[0]! * V[2]!),
        sign * (U[0]! * V[1]! - U[1]! * V[0]!),
      );
    },
  };
}
