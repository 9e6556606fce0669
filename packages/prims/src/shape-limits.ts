import { LINE_TWIST_LIMIT, MAX_HOLE_SIZE_Y, MIN_CUT_GAP, SHAPE_PARAMS, normalizeShape, type PrimShape, type ShapeNumber } from "./shape.ts";

/** What a shape parameter may be set to now, given the others: what a builder's slider offers. */
export interface ParamRange {
  min: number;
  max: number;
  /** The parameter's grid. */
  step: number;
  /** The parameter means nothing on this shape (a circle path's parameter on a line path). */
  disabled: boolean;
}

/**
 * The range a parameter may take with the rest of `shape` as it is: its absolute range narrowed by
 * the limits that depend on the others (a cut's begin stays {@link MIN_CUT_GAP} below its end, a
 * line path twists at most {@link LINE_TWIST_LIMIT}, a tube is at most {@link MAX_HOLE_SIZE_Y}
 * thick unless its profile is a half-circle). Skew on a path of several revolutions also keeps
 * clear of zero; {@link setShapeParam} moves it out of that gap.
 */
export function paramRange(shape: Readonly<PrimShape>, name: ShapeNumber): ParamRange {
  const param = SHAPE_PARAMS[name];
  let { min, max } = param;
  const step = 1 / param.per;
  if (param.circleOnly && shape.path === "line") return { min: param.neutral, max: param.neutral, step, disabled: true };
  switch (name) {
    case "profileBegin":
      max = shape.profileEnd - MIN_CUT_GAP;
      break;
    case "profileEnd":
      min = shape.profileBegin + MIN_CUT_GAP;
      break;
    case "pathBegin":
      max = shape.pathEnd - MIN_CUT_GAP;
      break;
    case "pathEnd":
      min = shape.pathBegin + MIN_CUT_GAP;
      break;
    case "twistBegin":
    case "twistEnd":
      if (shape.path === "line") [min, max] = [-LINE_TWIST_LIMIT, LINE_TWIST_LIMIT];
      break;
    case "holeSizeY":
      if (shape.profile !== "half-circle") max = MAX_HOLE_SIZE_Y;
      break;
    default:
      break;
  }
  const onGrid = (value: number) => Math.round(value * param.per) / param.per + 0;
  return { min: onGrid(min), max: onGrid(max), step, disabled: false };
}

/**
 * `shape` with one parameter set as a builder types it: held within {@link paramRange}, then put
 * on the grid with every limit applied ({@link normalizeShape}). What comes back is what the relay
 * will store.
 */
export function setShapeParam(shape: Readonly<PrimShape>, name: ShapeNumber, value: number): PrimShape {
  const range = paramRange(shape, name);
  if (range.disabled || !Number.isFinite(value)) return normalizeShape(shape);
  return normalizeShape({ ...shape, [name]: Math.min(range.max, Math.max(range.min, value)) });
}
