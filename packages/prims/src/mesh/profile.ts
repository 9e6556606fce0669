import type { PrimShape, ProfileCurve } from "../shape.ts";
import { cleanTrig, DEGREES } from "./angles.ts";
import { CIRCLE_SIDES, type Lod } from "./lod.ts";

/**
 * A closed outline around (0, 0) in profile coordinates, run counter-clockwise by a parameter T in
 * [0, 1] from the lower left, where the corners of the square and the circle line up.
 */
type Outline = "square" | "triangle" | "circle";

interface Polygon {
  readonly t: readonly number[];
  readonly x: readonly number[];
  readonly y: readonly number[];
}

const POLYGONS: Readonly<Record<"square" | "triangle", Polygon>> = {
  square: { t: [0, 0.25, 0.5, 0.75, 1], x: [-0.5, 0.5, 0.5, -0.5, -0.5], y: [-0.5, -0.5, 0.5, 0.5, -0.5] },
  triangle: { t: [0, 1 / 3, 2 / 3, 1], x: [-0.5, 0.5, 0, -0.5], y: [-0.5, -0.5, 0.5, -0.5] },
};

/**
 * How large a hole of each outline may be in each profile, as a fraction of the profile, and still lie
 * inside it: `hollow` scales within this. A hole of the profile's own outline fits whole.
 */
const HOLE_FIT: Readonly<Record<ProfileCurve, Readonly<Record<Outline, number>>>> = {
  square: { square: 1, circle: 1, triangle: 1 },
  // The circle touches the triangle's slanted sides at 1/sqrt(5); the square's upper corners, at 1/3.
  triangle: { triangle: 1, circle: Math.sqrt(0.2), square: 1 / 3 },
  // The square's corners and the triangle's lower ones reach the circle at 1/sqrt(2).
  circle: { circle: 1, square: Math.SQRT1_2, triangle: Math.SQRT1_2 },
  "half-circle": { circle: 1, square: Math.SQRT1_2, triangle: 1 },
};

/** Two parameters closer than this are the same sample. */
export const PARAM_EPSILON = 1e-9;

const outlineOf = (curve: ProfileCurve): Outline => (curve === "half-circle" ? "circle" : curve);
const holeOutlineOf = (shape: Readonly<PrimShape>): Outline => (shape.hole === "same" ? outlineOf(shape.profile) : shape.hole);

/** Writes the point of the profile's outline at profile parameter t to out[at], out[at + 1]. A half-circle's arc is the circle's upper half. */
function outerPoint(curve: ProfileCurve, t: number, out: Float64Array, at: number): void {
  const outline = outlineOf(curve);
  if (outline === "circle") {
    const angle = (curve === "half-circle" ? 180 * t : 360 * t - 135) * DEGREES;
    out[at] = 0.5 * cleanTrig(Math.cos(angle));
    out[at + 1] = 0.5 * cleanTrig(Math.sin(angle));
    return;
  }
  const { t: ts, x, y } = POLYGONS[outline];
  let k = 0;
  while (k < ts.length - 2 && t >= ts[k + 1]!) k++;
  const u = (t - ts[k]!) / (ts[k + 1]! - ts[k]!);
  out[at] = x[k]! + (x[k + 1]! - x[k]!) * u;
  out[at + 1] = y[k]! + (y[k + 1]! - y[k]!) * u;
}

/**
 * Where the ray from the centre through (dx, dy) meets an outline (unscaled): the parameter T there
 * and the multiple of (dx, dy) it lies at. Every outline is star-shaped around the centre, so there
 * is one such point.
 */
function rayHit(outline: Outline, dx: number, dy: number): { param: number; reach: number } {
  if (outline === "circle") {
    const turn = (Math.atan2(dy, dx) / DEGREES + 135) / 360;
    return { param: turn < 0 ? turn + 1 : turn, reach: 0.5 / Math.hypot(dx, dy) };
  }
  const { t, x, y } = POLYGONS[outline];
  let best = { param: 0, reach: Infinity };
  for (let k = 0; k + 1 < t.length; k++) {
    const [ax, ay, ex, ey] = [x[k]!, y[k]!, x[k + 1]! - x[k]!, y[k + 1]! - y[k]!];
    const across = dx * ey - dy * ex;
    if (across <= 0) continue;
    const reach = (ax * ey - ay * ex) / across;
    const u = (ax * dy - ay * dx) / across;
    if (u >= -PARAM_EPSILON && u <= 1 + PARAM_EPSILON && reach < best.reach) best = { param: t[k]! + (t[k + 1]! - t[k]!) * u, reach };
  }
  return best;
}

/** Profile parameter of the outline's point in direction (dx, dy) from the centre; outside [0, 1] where a half-circle has none. */
function paramToward(curve: ProfileCurve, dx: number, dy: number): number {
  if (curve === "half-circle") return Math.atan2(dy, dx) / DEGREES / 180;
  return rayHit(outlineOf(curve), dx, dy).param;
}

/** Size of the hole as a fraction of the profile: `hollow` within what fits ({@link HOLE_FIT}); 0 for none. */
export function holeScale(shape: Readonly<PrimShape>): number {
  return shape.hollow * HOLE_FIT[shape.profile][holeOutlineOf(shape)];
}

/** Whether the profile is cut open: its outline is closed by faces to the centre or to the hole. */
export function profileCut(shape: Readonly<PrimShape>): boolean {
  return shape.profileBegin > 0 || shape.profileEnd < 1 || shape.profile === "half-circle";
}

/** Spans of profile parameter of the outline's edges, one outer face each, in order. */
export function outerEdges(curve: ProfileCurve): [number, number][] {
  const outline = outlineOf(curve);
  if (outline === "circle") return [[0, 1]];
  const { t } = POLYGONS[outline];
  return t.slice(1).map((end, k) => [t[k]!, end]);
}

/** Profile parameters of the hole's corners: where the outline is in the direction of each corner. */
function holeCorners(shape: Readonly<PrimShape>): number[] {
  const hole = holeOutlineOf(shape);
  if (hole === "circle") return [];
  const { x, y } = POLYGONS[hole];
  return x.map((cx, k) => paramToward(shape.profile, cx, y[k]!));
}

/**
 * Points of the outline (or the hole's) at the given profile parameters, x and y interleaved. The
 * hole's point is the one in the same direction from the centre as the outline's, so that the two
 * correspond along rays: the strip between them and the cut's faces never cross the hole.
 */
export function outlinePoints(shape: Readonly<PrimShape>, params: ArrayLike<number>, hole: boolean): Float64Array {
  const out = new Float64Array(params.length * 2);
  const holeOutline = holeOutlineOf(shape);
  const scale = hole ? holeScale(shape) : 1;
  const sameOutline = holeOutline === outlineOf(shape.profile);
  for (let i = 0; i < params.length; i++) {
    outerPoint(shape.profile, params[i]!, out, 2 * i);
    if (!hole) continue;
    const x = out[2 * i]!;
    const y = out[2 * i + 1]!;
    const reach = sameOutline ? scale : scale * rayHit(holeOutline, x, y).reach;
    out[2 * i] = reach * x;
    out[2 * i + 1] = reach * y;
  }
  return out;
}

/**
 * Parameters that pin down the outline (or the hole's) between profile parameters `from` and `to`:
 * both ends, the corners between and evenly spaced points, enough to tell whether it lies on a line.
 */
export function keyParams(shape: Readonly<PrimShape>, from: number, to: number, hole: boolean): number[] {
  const corners = hole ? holeCorners(shape) : outerEdges(shape.profile).map(([t]) => t);
  const params = corners.filter((t) => t > from && t < to);
  for (let k = 0; k <= 8; k++) params.push(from + ((to - from) * k) / 8);
  return params;
}

/** An outline sampled for one level of detail within the profile cut. */
export interface ProfileSamples {
  /** Number of samples. */
  readonly count: number;
  /** Profile parameter of each sample, ascending from the cut's begin to its end. */
  readonly t: Float64Array;
  /** Outline points, x and y interleaved. */
  readonly outer: Float64Array;
  /** Hole points in the same directions, or null when there is no hollow. */
  readonly inner: Float64Array | null;
  /** 1 where the hole's outline has a corner: the hollow face is creased there. */
  readonly innerCorner: Uint8Array;
  /** The whole outline, uncut: the last sample repeats the first. */
  readonly closed: boolean;
}

/**
 * Samples a shape's profile for a level of detail within its cut: the cut's ends, the outline's
 * corners and circle sides, and the directions of the hole's corners and circle sides, the outline
 * and the hole sampled in the same directions so that their samples correspond.
 */
export function sampleProfile(shape: Readonly<PrimShape>, lod: Lod): ProfileSamples {
  const { profile, profileBegin: begin, profileEnd: end } = shape;
  const hollow = holeScale(shape) > 0;
  const outline = outlineOf(profile);
  const corners = hollow ? holeCorners(shape) : [];
  const wanted = [...outerEdges(profile).map(([t]) => t), ...corners];
  const sides = profile === "half-circle" ? Math.ceil(CIRCLE_SIDES[lod] / 2) : CIRCLE_SIDES[lod];
  if (outline === "circle") {
    for (let k = 1; k < sides; k++) wanted.push(k / sides);
  } else if (hollow && holeOutlineOf(shape) === "circle") {
    // A round hole in a polygon: sample the outline in the directions of the circle's sides.
    for (let k = 0; k < sides; k++) {
      const angle = ((360 * k) / sides - 135) * DEGREES;
      wanted.push(paramToward(profile, Math.cos(angle), Math.sin(angle)));
    }
  }
  wanted.sort((a, b) => a - b);
  const params = [begin];
  for (const t of wanted) {
    if (t > params[params.length - 1]! + PARAM_EPSILON && t < end - PARAM_EPSILON) params.push(t);
  }
  params.push(end);

  const t = Float64Array.from(params);
  const closed = !profileCut(shape);
  const outer = outlinePoints(shape, t, false);
  const inner = hollow ? outlinePoints(shape, t, true) : null;
  const last = 2 * (t.length - 1);
  if (closed) {
    outer.copyWithin(last, 0, 2);
    inner?.copyWithin(last, 0, 2);
  }
  const innerCorner = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) innerCorner[i] = corners.some((c) => Math.abs(c - t[i]!) <= PARAM_EPSILON || Math.abs(c + 1 - t[i]!) <= PARAM_EPSILON) ? 1 : 0;
  return { count: t.length, t, outer, inner, innerCorner, closed };
}

/** Index of the sample at profile parameter `t` (which must be one of the samples). */
export function sampleIndex(samples: ProfileSamples, t: number): number {
  const index = samples.t.findIndex((sample) => Math.abs(sample - t) <= PARAM_EPSILON);
  if (index < 0) throw new Error(`no profile sample at ${t}`);
  return index;
}
