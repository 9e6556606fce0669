import type { PrimShape } from "../shape.ts";
import { cleanTrig, DEGREES } from "./angles.ts";
import { CIRCLE_SIDES, DEGREES_PER_SEGMENT, type Lod } from "./lod.ts";

/** Numbers per frame: origin P, then the images U and V of the profile's x and y axes. */
export const FRAME_SIZE = 9;

/** Path positions, as fractions of the path, at which a face is tested for lying on the axis. */
const AXIS_PROBES = [0, 0.1234, 0.3457, 0.5, 0.6789, 0.8901, 1];

/** Size of the profile at path position s under a taper: a positive taper shrinks the end, a negative one the begin. */
function taperFactor(taper: number, s: number): number {
  return taper >= 0 ? 1 - taper * s : 1 + taper * (1 - s);
}

/** How far a circle path's sweep radius drifts from its mean at the path's ends (zero when there is no room inside). */
function radiusDrift(shape: Readonly<PrimShape>): number {
  const mean = 0.5 * (1 - shape.holeSizeY);
  return shape.radiusOffset * Math.max(0, mean - 0.5 * shape.holeSizeY);
}

/** Radius of a circle path's sweep at path position s: where the profile's y = 0 goes. */
function sweepRadius(shape: Readonly<PrimShape>, s: number): number {
  return 0.5 * (1 - shape.holeSizeY) + radiusDrift(shape) * 2 * (s - 0.5);
}

/**
 * Whether a circle path's sweep ends exactly where it began, leaving no ends to cap. A radius offset
 * that cannot move the radius (no room inside) does not open it.
 */
export function pathClosed(shape: Readonly<PrimShape>): boolean {
  return (
    shape.path === "circle" &&
    shape.pathBegin === 0 &&
    shape.pathEnd === 1 &&
    shape.revolutions === 1 &&
    shape.skew === 0 &&
    radiusDrift(shape) === 0 &&
    shape.taperX === 0 &&
    shape.taperY === 0 &&
    shape.shearX === 0 &&
    shape.shearY === 0 &&
    (shape.twistEnd - shape.twistBegin) % 360 === 0
  );
}

/** Whether the profile at path position s has no area: a taper of 1 shrinks it to a line or a point there. */
export function profileVanishes(shape: Readonly<PrimShape>, s: number): boolean {
  return taperFactor(shape.taperX, s) === 0 || taperFactor(shape.taperY, s) === 0;
}

/** A 2D affine map [a, b, c, d, e, f]: (px, py) -> (a px + b py + e, c px + d py + f). */
type Affine2 = readonly [number, number, number, number, number, number];

/**
 * The profile's 2D transform at path position s: scale (taper; on a circle path also the hole size
 * and the skew's narrowing), twist about the centre, then shear.
 */
function profileTransform(shape: Readonly<PrimShape>, s: number): Affine2 {
  const circle = shape.path === "circle";
  const sx = taperFactor(shape.taperX, s) * (circle ? shape.holeSizeX * (1 - Math.abs(shape.skew)) : 1);
  const sy = taperFactor(shape.taperY, s) * (circle ? shape.holeSizeY : 1);
  const angle = (shape.twistBegin + (shape.twistEnd - shape.twistBegin) * s) * DEGREES;
  const cos = cleanTrig(Math.cos(angle));
  const sin = cleanTrig(Math.sin(angle));
  return [cos * sx, -sin * sy, sin * sx, cos * sy, shape.shearX * (s - 0.5), shape.shearY * (s - 0.5)];
}

/**
 * Writes the frame at path position s to out[at..at + 9): the mesh point of profile point (px, py) is
 * P + px U + py V. A line path lays the profile in the xz plane (z = -py) at height s - 0.5; a circle
 * path revolves it around the x axis at radius sweepRadius(s) + py, from +z up through +y.
 */
function frameAt(shape: Readonly<PrimShape>, s: number, out: Float64Array, at: number): void {
  const [a, b, c, d, e, f] = profileTransform(shape, s);
  if (shape.path === "line") {
    out.set([e, s - 0.5, -f, a, 0, -c, b, 0, -d], at);
    return;
  }
  const theta = 2 * Math.PI * shape.revolutions * s;
  const sin = cleanTrig(Math.sin(theta));
  const cos = cleanTrig(Math.cos(theta));
  const r = sweepRadius(shape, s) + f;
  out.set([e + shape.skew * (s - 0.5), r * sin, r * cos, a, c * sin, c * cos, b, d * sin, d * cos], at);
}

/** Segments a path is cut into at a level of detail: enough for its curve and for its twist. */
function pathSegments(shape: Readonly<PrimShape>, lod: Lod): number {
  const span = shape.pathEnd - shape.pathBegin;
  // The small allowance keeps a product that should be whole (60 degrees at 60 per segment) from rounding up.
  const twist = Math.ceil((Math.abs(shape.twistEnd - shape.twistBegin) * span) / DEGREES_PER_SEGMENT[lod] - 1e-9);
  if (shape.path === "line") return Math.max(1, twist);
  return Math.max(1, twist, Math.ceil(CIRCLE_SIDES[lod] * shape.revolutions * span - 1e-9));
}

/** A path cut into segments: a frame at each of its ring positions. */
export interface PathFrames {
  /** Number of rings (segments + 1). */
  readonly count: number;
  /** Path position s of each ring, from pathBegin to pathEnd. */
  readonly s: Float64Array;
  /** {@link FRAME_SIZE} numbers per ring (see frameAt). */
  readonly frames: Float64Array;
  /** The last ring is the first: the sweep closes on itself. */
  readonly closed: boolean;
  /** A circle path turns the profile's counter-clockwise outline clockwise as seen from outside. */
  readonly mirrored: boolean;
}

/** The frames of a shape's path at a level of detail, evenly spaced in s. */
export function pathFrames(shape: Readonly<PrimShape>, lod: Lod): PathFrames {
  const segments = pathSegments(shape, lod);
  const count = segments + 1;
  const s = new Float64Array(count);
  const frames = new Float64Array(count * FRAME_SIZE);
  const closed = pathClosed(shape);
  for (let j = 0; j < count; j++) {
    s[j] = j === segments ? shape.pathEnd : shape.pathBegin + ((shape.pathEnd - shape.pathBegin) * j) / segments;
    frameAt(shape, s[j]!, frames, j * FRAME_SIZE);
  }
  // The closing ring repeats the first exactly, so that the seam's vertices coincide bit for bit.
  if (closed) frames.copyWithin(segments * FRAME_SIZE, 0, FRAME_SIZE);
  return { count, s, frames, closed, mirrored: shape.path === "circle" };
}

/**
 * Whether the profile points `points` (x, y interleaved) stay on the axis all along a circle path, so
 * that what they sweep has no area. Decided on a fixed set of path positions, whatever the level of
 * detail. The shape's path must be a circle.
 */
export function sweptOnAxis(shape: Readonly<PrimShape>, points: Float64Array): boolean {
  for (const probe of AXIS_PROBES) {
    const s = shape.pathBegin + (shape.pathEnd - shape.pathBegin) * probe;
    const [, , c, d, , f] = profileTransform(shape, s);
    const radius = sweepRadius(shape, s) + f;
    for (let i = 0; i < points.length; i += 2) {
      if (Math.abs(radius + c * points[i]! + d * points[i + 1]!) > 1e-9) return false;
    }
  }
  return true;
}
