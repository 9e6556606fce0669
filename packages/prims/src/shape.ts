import { z } from "zod";

/**
 * A prim's shape: a 2D profile swept along a path, in the tradition of Second Life's prims.
 *
 * Prim-local space is the unit box [-0.5, 0.5]^3, y up; the prim's scale stretches it. A line path
 * sweeps the profile (lying in the xz plane) from y = -0.5 to y = +0.5; a circle path revolves it
 * around the x axis, starting at +z and turning up through +y. Every number lives on a grid (see
 * {@link SHAPE_PARAMS}): {@link normalizeShape} puts it there, so a shape round-trips exactly
 * through the wire codec and hashes to a stable cache key.
 */
export interface PrimShape {
  profile: ProfileCurve;
  /** Shape of the hollow; "same" follows the profile. */
  hole: HoleShape;
  path: PathCurve;
  /** Profile cut, fractions of the way around the profile; end - begin >= {@link MIN_CUT_GAP}. */
  profileBegin: number;
  profileEnd: number;
  /** Size of the hollow as a fraction of the profile, 0 to 0.95. */
  hollow: number;
  /** Path cut: slices a line path along its height, cuts a circle path's sweep. */
  pathBegin: number;
  pathEnd: number;
  /** Rotation of the profile at the path's begin and end, degrees: +-180 on line paths, +-360 on circle paths. */
  twistBegin: number;
  twistEnd: number;
  /**
   * Taper, -1 to 1: positive shrinks the path's end (a line path's top size is 1 - taper), negative
   * shrinks its begin.
   */
  taperX: number;
  taperY: number;
  /** Offset of the path's end against its begin, -0.5 to 0.5 of the prim's size. */
  shearX: number;
  shearY: number;
  /** Circle paths: the profile's size across the revolution axis (x) and radially (y, the tube's thickness). */
  holeSizeX: number;
  holeSizeY: number;
  /** Circle paths: how far the sweep's radius drifts from begin to end, -1 to 1 of the room inside. */
  radiusOffset: number;
  /** Circle paths: turns of the sweep, 1 to 4. */
  revolutions: number;
  /** Circle paths: travel of the profile along the axis over the sweep, -0.95 to 0.95. */
  skew: number;
}

export const PROFILE_CURVES = ["circle", "square", "triangle", "half-circle"] as const;
export type ProfileCurve = (typeof PROFILE_CURVES)[number];
export const HOLE_SHAPES = ["same", "circle", "square", "triangle"] as const;
export type HoleShape = (typeof HOLE_SHAPES)[number];
export const PATH_CURVES = ["line", "circle"] as const;
export type PathCurve = (typeof PATH_CURVES)[number];

/** A number parameter: its absolute range, its grid (`per` steps per unit) and its neutral value. */
export interface ShapeParam {
  readonly min: number;
  readonly max: number;
  readonly per: number;
  readonly neutral: number;
  /** Only meaningful on circle paths; line paths hold the neutral value. */
  readonly circleOnly?: true;
}

export type ShapeNumber = Exclude<keyof PrimShape, "profile" | "hole" | "path">;

/** Every number parameter, in wire order. Ranges are absolute; {@link normalizeShape} applies the limits that depend on each other. */
export const SHAPE_PARAMS: Readonly<Record<ShapeNumber, ShapeParam>> = {
  profileBegin: { min: 0, max: 1, per: 1000, neutral: 0 },
  profileEnd: { min: 0, max: 1, per: 1000, neutral: 1 },
  hollow: { min: 0, max: 0.95, per: 1000, neutral: 0 },
  pathBegin: { min: 0, max: 1, per: 1000, neutral: 0 },
  pathEnd: { min: 0, max: 1, per: 1000, neutral: 1 },
  twistBegin: { min: -360, max: 360, per: 1, neutral: 0 },
  twistEnd: { min: -360, max: 360, per: 1, neutral: 0 },
  taperX: { min: -1, max: 1, per: 1000, neutral: 0 },
  taperY: { min: -1, max: 1, per: 1000, neutral: 0 },
  shearX: { min: -0.5, max: 0.5, per: 1000, neutral: 0 },
  shearY: { min: -0.5, max: 0.5, per: 1000, neutral: 0 },
  holeSizeX: { min: 0.01, max: 1, per: 1000, neutral: 1, circleOnly: true },
  holeSizeY: { min: 0.01, max: 1, per: 1000, neutral: 0.25, circleOnly: true },
  radiusOffset: { min: -1, max: 1, per: 1000, neutral: 0, circleOnly: true },
  revolutions: { min: 1, max: 4, per: 100, neutral: 1, circleOnly: true },
  skew: { min: -0.95, max: 0.95, per: 1000, neutral: 0, circleOnly: true },
};
export const SHAPE_NUMBERS = Object.keys(SHAPE_PARAMS) as readonly ShapeNumber[];

/** Smallest part of a profile or path that a cut may leave. */
export const MIN_CUT_GAP = 0.02;
/** Twist limit on line paths, degrees (circle paths allow the full +-360). */
export const LINE_TWIST_LIMIT = 180;
/** Thickest tube a circle path may have: thicker and the profile would cross the axis. Half-circle profiles lie on one side of it and may reach 1. */
export const MAX_HOLE_SIZE_Y = 0.5;

/** The shapes a creator starts from. */
export const PRESET_NAMES = ["box", "cylinder", "prism", "sphere", "torus", "tube", "ring", "cone", "pyramid", "hemisphere"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const NEUTRAL = Object.fromEntries(SHAPE_NUMBERS.map((name) => [name, SHAPE_PARAMS[name].neutral])) as Record<ShapeNumber, number>;
const lineShape = (profile: ProfileCurve, extra: Partial<PrimShape> = {}): PrimShape => ({ profile, hole: "same", path: "line", ...NEUTRAL, ...extra });
const circleShape = (profile: ProfileCurve, extra: Partial<PrimShape> = {}): PrimShape => ({ profile, hole: "same", path: "circle", ...NEUTRAL, ...extra });

/** Preset shapes, already normalised. */
export const PRESETS: Readonly<Record<PresetName, Readonly<PrimShape>>> = Object.freeze({
  box: lineShape("square"),
  cylinder: lineShape("circle"),
  prism: lineShape("triangle"),
  sphere: circleShape("half-circle", { holeSizeY: 1 }),
  torus: circleShape("circle"),
  tube: circleShape("square"),
  ring: circleShape("triangle"),
  cone: lineShape("circle", { taperX: 1, taperY: 1 }),
  pyramid: lineShape("square", { taperX: 1, taperY: 1 }),
  hemisphere: circleShape("half-circle", { holeSizeY: 1, pathEnd: 0.5 }),
});

/** A fresh copy of a preset's shape. */
export function presetShape(name: PresetName): PrimShape {
  return { ...PRESETS[name] };
}

/** A number on its parameter's grid, as the integer count of steps. */
export function shapeStep(name: ShapeNumber, value: number): number {
  return Math.round(value * SHAPE_PARAMS[name].per);
}

/** `+ 0` turns -0 into 0: the wire has only one zero. */
const fromSteps = (name: ShapeNumber, steps: number) => steps / SHAPE_PARAMS[name].per + 0;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Puts a shape whose numbers lie within their absolute ranges onto the grid and applies the limits
 * that depend on each other, as Second Life's editor does:
 * - a cut leaves at least {@link MIN_CUT_GAP} (the end moves, or the begin when the end is at 1);
 * - line paths twist at most +-180 degrees and hold neutral circle-only parameters;
 * - a tube is at most {@link MAX_HOLE_SIZE_Y} thick unless its profile is a half-circle;
 * - a circle path of more than one revolution is skewed enough that its turns never overlap:
 *   |skew| > r * hx / (r * hx + 1) for r revolutions of a profile hole size x wide.
 * Idempotent: a normalised shape comes back unchanged.
 */
export function normalizeShape(shape: Readonly<PrimShape>): PrimShape {
  const steps = {} as Record<ShapeNumber, number>;
  for (const name of SHAPE_NUMBERS) {
    const param = SHAPE_PARAMS[name];
    const useNeutral = param.circleOnly && shape.path === "line";
    steps[name] = clamp(shapeStep(name, useNeutral ? param.neutral : shape[name]), param.min * param.per, param.max * param.per);
  }
  const gap = shapeStep("profileBegin", MIN_CUT_GAP);
  for (const [begin, end] of [["profileBegin", "profileEnd"], ["pathBegin", "pathEnd"]] as const) {
    const full = SHAPE_PARAMS[end].max * SHAPE_PARAMS[end].per;
    if (steps[end] - steps[begin] < gap) {
      steps[end] = Math.min(full, steps[begin] + gap);
      steps[begin] = steps[end] - gap;
    }
  }
  if (shape.path === "line") {
    for (const twist of ["twistBegin", "twistEnd"] as const) steps[twist] = clamp(steps[twist], -LINE_TWIST_LIMIT, LINE_TWIST_LIMIT);
  } else {
    if (shape.profile !== "half-circle") steps.holeSizeY = Math.min(steps.holeSizeY, shapeStep("holeSizeY", MAX_HOLE_SIZE_Y));
    const revolutions = fromSteps("revolutions", steps.revolutions);
    if (revolutions > 1) {
      const width = revolutions * fromSteps("holeSizeX", steps.holeSizeX);
      // Strictly more than the limit: at the limit itself consecutive turns touch.
      const least = Math.floor((width / (width + 1)) * SHAPE_PARAMS.skew.per + 1e-9) + 1;
      if (Math.abs(steps.skew) < least) steps.skew = steps.skew < 0 ? -least : least;
    }
  }
  const normal = { profile: shape.profile, hole: shape.hole, path: shape.path } as PrimShape;
  for (const name of SHAPE_NUMBERS) normal[name] = fromSteps(name, steps[name]);
  return normal;
}

/** Whether two normalised shapes are the same. */
export function sameShape(a: Readonly<PrimShape>, b: Readonly<PrimShape>): boolean {
  return a.profile === b.profile && a.hole === b.hole && a.path === b.path && SHAPE_NUMBERS.every((name) => a[name] === b[name]);
}

/**
 * A stable string naming a normalised shape, for caches of generated geometry: equal shapes give
 * equal keys, different shapes different ones.
 */
export function shapeKey(shape: Readonly<PrimShape>): string {
  return `${shape.profile}/${shape.hole}/${shape.path}/${SHAPE_NUMBERS.map((name) => shapeStep(name, shape[name])).join(",")}`;
}

/** Kinds of prim, named by profile and path. */
export type ShapeKind = "box" | "cylinder" | "prism" | "half-cylinder" | "sphere" | "torus" | "tube" | "ring";
const KINDS: Record<PathCurve, Record<ProfileCurve, ShapeKind>> = {
  line: { square: "box", circle: "cylinder", triangle: "prism", "half-circle": "half-cylinder" },
  circle: { "half-circle": "sphere", circle: "torus", square: "tube", triangle: "ring" },
};

/** What a shape is at heart, whatever its cuts and twists: "box", "torus", ... */
export function shapeKind(shape: Readonly<PrimShape>): ShapeKind {
  return KINDS[shape.path][shape.profile];
}

/** The preset a shape is exactly, if any. */
export function presetOf(shape: Readonly<PrimShape>): PresetName | undefined {
  return PRESET_NAMES.find((name) => sameShape(PRESETS[name], shape));
}

const numberSchema = (name: ShapeNumber) => {
  const { min, max } = SHAPE_PARAMS[name];
  return z.number().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`);
};

/**
 * A shape from outside (a message, a file): every field present, every number finite and within its
 * absolute range, or a clear error. Parsing normalises it ({@link normalizeShape}).
 */
export const shapeSchema = z
  .object({
    profile: z.enum(PROFILE_CURVES),
    hole: z.enum(HOLE_SHAPES),
    path: z.enum(PATH_CURVES),
    ...(Object.fromEntries(SHAPE_NUMBERS.map((name) => [name, numberSchema(name)])) as Record<ShapeNumber, z.ZodNumber>),
  })
  .strict()
  .transform((shape) => normalizeShape(shape));
