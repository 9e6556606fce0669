import type { PrimShape } from "../shape.ts";
import { pathClosed, profileVanishes, sweptOnAxis } from "./path.ts";
import { holeScale, keyParams, outerEdges, outlinePoints, PARAM_EPSILON, profileCut } from "./profile.ts";

/** What part of a prim a face is, in Second Life's terms. */
export type FaceRole = "pathEnd" | "outer" | "hollow" | "pathBegin" | "profileCutBegin" | "profileCutEnd";

/** A face a shape has: its role and, for an outer face, the span of profile parameter its edge covers (uncut). */
export type FacePlan = { readonly role: Exclude<FaceRole, "outer"> } | { readonly role: "outer"; readonly from: number; readonly to: number };

/** The points (x, y interleaved) a profile cut face runs between: the outline's cut end and the hole's, or the centre. */
function cutFacePoints(shape: Readonly<PrimShape>, t: number): Float64Array {
  const outer = outlinePoints(shape, [t], false);
  const inner = holeScale(shape) > 0 ? outlinePoints(shape, [t], true) : new Float64Array(2);
  return Float64Array.of(outer[0]!, outer[1]!, inner[0]!, inner[1]!);
}

/**
 * The faces a shape has, in Second Life's order, decided from the shape alone (whatever the level of
 * detail): caps where the path is open, one outer face per edge the cut keeps, the hollow, the cut's
 * faces. A face that would have no area anywhere (it lies on a circle path's axis, or it is a cap
 * that a taper of 1 shrinks away) does not exist and takes no number.
 */
export function planFaces(shape: Readonly<PrimShape>): FacePlan[] {
  const { profileBegin: begin, profileEnd: end } = shape;
  const open = !pathClosed(shape);
  // Only a circle path has an axis for a face to lie on.
  const onAxis = (points: () => Float64Array) => shape.path === "circle" && sweptOnAxis(shape, points());
  const faces: FacePlan[] = [];
  if (open && !profileVanishes(shape, shape.pathEnd)) faces.push({ role: "pathEnd" });
  for (const [from, to] of outerEdges(shape.profile)) {
    const low = Math.max(from, begin);
    const high = Math.min(to, end);
    if (high - low > PARAM_EPSILON && !onAxis(() => outlinePoints(shape, keyParams(shape, low, high, false), false))) {
      faces.push({ role: "outer", from, to });
    }
  }
  if (holeScale(shape) > 0 && !onAxis(() => outlinePoints(shape, keyParams(shape, begin, end, true), true))) faces.push({ role: "hollow" });
  if (open && !profileVanishes(shape, shape.pathBegin)) faces.push({ role: "pathBegin" });
  if (profileCut(shape)) {
    if (!onAxis(() => cutFacePoints(shape, begin))) faces.push({ role: "profileCutBegin" });
    if (!onAxis(() => cutFacePoints(shape, end))) faces.push({ role: "profileCutEnd" });
  }
  return faces;
}

/** The faces a shape has, in Second Life's order: the roles of generatePrimMesh's faces at every level of detail. */
export function faceRoles(shape: PrimShape): FaceRole[] {
  return planFaces(shape).map((face) => face.role);
}
