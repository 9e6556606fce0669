import { describe, expect, it } from "vitest";
import { MIN_CUT_GAP, PRESETS, PRESET_NAMES, normalizeShape, presetOf, presetShape, sameShape, shapeKey, shapeKind, shapeSchema, type PrimShape } from "./shape.ts";

describe("presets", () => {
  it("are normalised, distinct, and named by kind", () => {
    for (const name of PRESET_NAMES) {
      expect(normalizeShape(PRESETS[name]), name).toEqual(PRESETS[name]);
      expect(presetOf(presetShape(name))).toBe(name);
    }
    expect(new Set(PRESET_NAMES.map((name) => shapeKey(PRESETS[name]))).size).toBe(PRESET_NAMES.length);
    expect(shapeKind(PRESETS.cone)).toBe("cylinder");
    expect(shapeKind(PRESETS.hemisphere)).toBe("sphere");
    expect(shapeKind(PRESETS.ring)).toBe("ring");
  });
});

describe("normalizeShape", () => {
  it("puts numbers on their grids", () => {
    const shape = normalizeShape({ ...presetShape("box"), hollow: 0.12345, twistEnd: 44.6, profileBegin: 0.0004 });
    expect(shape).toMatchObject({ hollow: 0.123, twistEnd: 45, profileBegin: 0 });
  });

  it("keeps a cut at least the minimum gap open, moving the end first", () => {
    expect(normalizeShape({ ...presetShape("box"), profileBegin: 0.5, profileEnd: 0.4 })).toMatchObject({ profileBegin: 0.5, profileEnd: 0.5 + MIN_CUT_GAP });
    expect(normalizeShape({ ...presetShape("torus"), pathBegin: 0.995, pathEnd: 0.999 })).toMatchObject({ pathBegin: 1 - MIN_CUT_GAP, pathEnd: 1 });
  });

  it("limits twist on line paths and holds circle-only numbers neutral there", () => {
    const box = normalizeShape({ ...presetShape("box"), twistBegin: -300, twistEnd: 270, revolutions: 3, skew: 0.5, holeSizeY: 0.9 });
    expect(box).toMatchObject({ twistBegin: -180, twistEnd: 180, revolutions: 1, skew: 0, holeSizeY: 0.25 });
    expect(normalizeShape({ ...presetShape("torus"), twistEnd: 300 }).twistEnd).toBe(300);
  });

  it("keeps a tube's profile off the axis unless it is a half-circle", () => {
    expect(normalizeShape({ ...presetShape("torus"), holeSizeY: 0.8 }).holeSizeY).toBe(0.5);
    expect(normalizeShape({ ...presetShape("sphere"), holeSizeY: 0.8 }).holeSizeY).toBe(0.8);
  });

  it("skews coils of several revolutions enough that their turns do not overlap", () => {
    const coil = normalizeShape({ ...presetShape("torus"), revolutions: 3, holeSizeX: 0.2, skew: 0 });
    // Just over 3 * 0.2 / (3 * 0.2 + 1) = 0.375.
    expect(coil.skew).toBe(0.376);
    expect(normalizeShape({ ...coil, skew: -0.1 }).skew).toBe(-0.376);
    expect(normalizeShape({ ...coil, skew: 0.6 }).skew).toBe(0.6);
    expect(normalizeShape({ ...presetShape("torus"), revolutions: 1, skew: 0.1 }).skew).toBe(0.1);
  });

  it("is idempotent on random shapes", () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const raw: PrimShape = {
        profile: (["circle", "square", "triangle", "half-circle"] as const)[i % 4]!,
        hole: (["same", "circle", "square", "triangle"] as const)[(i >> 2) % 4]!,
        path: i % 3 ? "circle" : "line",
        profileBegin: next(), profileEnd: next(), hollow: next() * 0.95, pathBegin: next(), pathEnd: next(),
        twistBegin: next() * 720 - 360, twistEnd: next() * 720 - 360, taperX: next() * 2 - 1, taperY: next() * 2 - 1,
        shearX: next() - 0.5, shearY: next() - 0.5, holeSizeX: 0.01 + next() * 0.99, holeSizeY: 0.01 + next() * 0.99,
        radiusOffset: next() * 2 - 1, revolutions: 1 + next() * 3, skew: next() * 1.9 - 0.95,
      };
      const once = normalizeShape(raw);
      expect(normalizeShape(once)).toEqual(once);
      expect(sameShape(once, normalizeShape(once))).toBe(true);
      expect(once.profileEnd - once.profileBegin).toBeGreaterThanOrEqual(MIN_CUT_GAP - 1e-9);
      expect(once.pathEnd - once.pathBegin).toBeGreaterThanOrEqual(MIN_CUT_GAP - 1e-9);
    }
  });
});

describe("shapeSchema", () => {
  it("parses and normalises a whole shape", () => {
    expect(shapeSchema.parse({ ...presetShape("cylinder"), hollow: 0.5004 })).toEqual({ ...presetShape("cylinder"), hollow: 0.5 });
  });

  it.each([
    ["a missing field", (s: Record<string, unknown>) => delete s.hollow, /hollow/],
    ["an unknown profile", (s: Record<string, unknown>) => (s.profile = "star"), /profile/],
    ["NaN", (s: Record<string, unknown>) => (s.twistEnd = Number.NaN), /twistEnd/],
    ["Infinity", (s: Record<string, unknown>) => (s.taperX = Number.POSITIVE_INFINITY), /taperX/],
    ["a hollow over 0.95", (s: Record<string, unknown>) => (s.hollow = 0.99), /hollow must be at most 0.95/],
    ["four and a half revolutions", (s: Record<string, unknown>) => (s.revolutions = 4.5), /revolutions must be at most 4/],
    ["a string number", (s: Record<string, unknown>) => (s.skew = "0.1"), /skew/],
    ["an unknown field", (s: Record<string, unknown>) => (s.sparkle = true), /sparkle/],
  ])("refuses %s with an error naming it", (_, spoil, message) => {
    const shape: Record<string, unknown> = { ...presetShape("torus") };
    spoil(shape);
    const result = shapeSchema.safeParse(shape);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(message);
  });
});
