import { primSchema, type FaceStyle, type Prim } from "../prim.ts";
import { seededRandom } from "../random.ts";
import { type Quat } from "../rotation.ts";
import { HOLE_SHAPES, PATH_CURVES, PRESETS, PRESET_NAMES, PROFILE_CURVES, SHAPE_NUMBERS, SHAPE_PARAMS, type PrimShape } from "../shape.ts";

/** Deterministic random numbers for tests, with helpers. */
export class Random {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  /** A number in [min, max] that is often exactly an end of the range, or zero. */
  edgy(min: number, max: number): number {
    const roll = this.next();
    if (roll < 0.1) return min;
    if (roll < 0.2) return max;
    if (roll < 0.25 && min <= 0 && max >= 0) return 0;
    return this.float(min, max);
  }

  bytes(length: number): Uint8Array {
    return Uint8Array.from({ length }, () => this.int(0, 255));
  }
}

const OWNERS = ["", "alice", "Bob_42", "x".repeat(32)];
export const TEXTURES = ["brick", "t-0123456789abcdef", "Z".repeat(64)];

export function randomQuat(random: Random): Quat {
  const roll = random.next();
  if (roll < 0.1) return { x: 0, y: 0, z: 0, w: 1 };
  if (roll < 0.2) {
    // A quarter or half turn about an axis, either sign of w: components tie at 1/sqrt2 or sit at 0.
    const half = random.pick([Math.SQRT1_2, 1, -Math.SQRT1_2, 0]);
    const q = { x: 0, y: 0, z: 0, w: Math.sqrt(1 - half * half) * random.pick([1, -1]) };
    q[random.pick(["x", "y", "z"] as const)] = half;
    return q;
  }
  if (roll < 0.3) {
    // Two largest components nearly tied.
    const a = random.float(0.5, 0.7);
    const q = { x: random.float(-0.3, 0.3), y: random.float(-0.3, 0.3), z: a, w: (a + random.float(-1e-5, 1e-5)) * random.pick([1, -1]) };
    return q;
  }
  for (;;) {
    const q = { x: random.float(-1, 1), y: random.float(-1, 1), z: random.float(-1, 1), w: random.float(-1, 1) };
    if (Math.hypot(q.x, q.y, q.z, q.w) > 0.5) return q;
  }
}

function randomShape(random: Random): PrimShape {
  const preset = { ...PRESETS[random.pick(PRESET_NAMES)] };
  const roll = random.next();
  if (roll < 0.2) return preset;
  if (roll < 0.4) {
    const name = random.pick(SHAPE_NUMBERS);
    return { ...preset, [name]: random.edgy(SHAPE_PARAMS[name].min, SHAPE_PARAMS[name].max) };
  }
  const shape: PrimShape = { ...preset, profile: random.pick(PROFILE_CURVES), hole: random.pick(HOLE_SHAPES), path: random.pick(PATH_CURVES) };
  for (const name of SHAPE_NUMBERS) if (random.chance(0.7)) shape[name] = random.edgy(SHAPE_PARAMS[name].min, SHAPE_PARAMS[name].max);
  return shape;
}

function randomFace(random: Random): FaceStyle {
  const channel = () => (random.chance(0.3) ? random.pick([0, 255]) : random.int(0, 255));
  return {
    color: { r: channel(), g: channel(), b: channel(), a: random.chance(0.7) ? 255 : channel() },
    texture: random.chance(0.5) ? "" : random.pick(TEXTURES),
    repeats: random.chance(0.5) ? { u: 1, v: 1 } : { u: random.edgy(-100, 100), v: random.edgy(-100, 100) },
    offset: random.chance(0.5) ? { u: 0, v: 0 } : { u: random.edgy(-1, 1), v: random.edgy(-1, 1) },
    rotation: random.chance(0.5) ? 0 : random.edgy(-360, 360),
    fullBright: random.chance(0.2),
  };
}

/**
 * A random prim built from raw numbers and put through primSchema, as one from outside would be.
 * Positions mostly lie near `origin`.
 */
export function randomPrim(random: Random, origin: { x: number; z: number }): Prim {
  const id = random.chance(0.1) ? random.pick([1, 2 ** 32 - 1, 2 ** 32 - 2]) : random.int(1, 2 ** 32 - 1);
  const near = random.chance(0.8);
  const coordinate = (centre: number) => (near ? centre + random.float(-40, 40) : random.edgy(-1e6, 1e6));
  let root = 0;
  if (random.chance(0.4)) {
    root = random.chance(0.5) ? random.int(1, 2 ** 32 - 1) : Math.max(1, id - random.int(1, 300));
    if (root === id) root = id === 1 ? 2 : id - 1;
  }
  const faceCount = random.chance(0.6) ? 1 : random.int(1, 9);
  return primSchema.parse({
    id,
    owner: random.pick(OWNERS),
    position: { x: coordinate(origin.x), y: near ? random.float(-20, 300) : random.edgy(-1e6, 1e6), z: coordinate(origin.z) },
    rotation: randomQuat(random),
    scale: { x: random.edgy(0.01, 64), y: random.edgy(0.01, 64), z: random.edgy(0.01, 64) },
    shape: randomShape(random),
    faces: Array.from({ length: faceCount }, () => randomFace(random)),
    physical: random.chance(0.3),
    root,
  });
}

/** A batch origin: whole metres, mostly near the world's middle. */
export function randomOrigin(random: Random): { x: number; z: number } {
  return random.chance(0.8) ? { x: random.int(-5000, 5000), z: random.int(-5000, 5000) } : { x: random.int(-1e6, 1e6), z: random.int(-1e6, 1e6) };
}
