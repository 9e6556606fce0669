import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { paramRange, setShapeParam } from "./shape-limits.ts";
import { PRESET_NAMES, SHAPE_NUMBERS, normalizeShape, presetShape, type PrimShape } from "./shape.ts";

describe("the shape panel's limits", () => {
  it("keeps a cut's begin below its end by the least gap, both ways", () => {
    const cut = setShapeParam(presetShape("cylinder"), "profileEnd", 0.4);
    expect(paramRange(cut, "profileBegin")).toMatchObject({ min: 0, max: 0.38 });
    expect(setShapeParam(cut, "profileBegin", 0.9)).toMatchObject({ profileBegin: 0.38, profileEnd: 0.4 });
    expect(paramRange(cut, "profileEnd")).toMatchObject({ min: 0.02, max: 1 });
    expect(setShapeParam(cut, "pathBegin", 1)).toMatchObject({ pathBegin: 0.98, pathEnd: 1 });
  });

  it("twists a line path at most half a turn either way, a circle path a whole turn", () => {
    expect(paramRange(presetShape("box"), "twistEnd")).toMatchObject({ min: -180, max: 180 });
    expect(setShapeParam(presetShape("box"), "twistEnd", 300).twistEnd).toBe(180);
    expect(paramRange(presetShape("torus"), "twistEnd")).toMatchObject({ min: -360, max: 360 });
  });

  it("offers a circle path's parameters on circle paths only", () => {
    expect(paramRange(presetShape("box"), "revolutions")).toMatchObject({ disabled: true, min: 1, max: 1 });
    expect(setShapeParam(presetShape("box"), "revolutions", 3).revolutions).toBe(1);
    expect(paramRange(presetShape("torus"), "revolutions")).toMatchObject({ disabled: false, min: 1, max: 4, step: 0.01 });
  });

  it("keeps a tube thin enough not to cross its axis, unless it is a half-circle", () => {
    expect(paramRange(presetShape("torus"), "holeSizeY").max).toBe(0.5);
    expect(setShapeParam(presetShape("torus"), "holeSizeY", 0.9).holeSizeY).toBe(0.5);
    expect(paramRange(presetShape("sphere"), "holeSizeY").max).toBe(1);
  });

  it("skews a path of several turns enough that its turns never overlap", () => {
    const coil = setShapeParam(presetShape("torus"), "revolutions", 3);
    expect(Math.abs(setShapeParam(coil, "skew", 0).skew)).toBeGreaterThan(0.7);
  });

  it("puts what is typed on the grid, and ignores what is not a number", () => {
    expect(setShapeParam(presetShape("box"), "hollow", 0.12345).hollow).toBe(0.123);
    expect(setShapeParam(presetShape("box"), "hollow", Number.NaN)).toEqual(presetShape("box"));
  });

  it("gives a shape that normalising leaves alone, whatever is typed into whichever field of whichever preset", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PRESET_NAMES), fc.constantFrom(...SHAPE_NUMBERS), fc.double({ min: -1000, max: 1000, noNaN: true }), (preset, name, value) => {
        const shape: PrimShape = setShapeParam(presetShape(preset), name, value);
        expect(normalizeShape(shape)).toEqual(shape);
        const range = paramRange(shape, name);
        if (!range.disabled && name !== "skew") {
          expect(shape[name]).toBeGreaterThanOrEqual(range.min);
          expect(shape[name]).toBeLessThanOrEqual(range.max);
        }
      }),
    );
  });
});
