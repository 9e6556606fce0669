import { describe, expect, it } from "vitest";
import { noiseField } from "./noise.ts";

describe("library noise", () => {
  it("wraps round: the last column runs into the first as smoothly as any column into the next", () => {
    const size = 64;
    const field = noiseField(size, 1, { cellsX: 2, cellsY: 4, octaves: 3 });
    const step = (a: number, b: number, across: boolean) => {
      let sum = 0;
      for (let k = 0; k < size; k++) sum += Math.abs(across ? field[k * size + a]! - field[k * size + b]! : field[a * size + k]! - field[b * size + k]!);
      return sum / size;
    };
    let inside = 0;
    for (let k = 0; k + 1 < size; k++) inside = Math.max(inside, step(k, k + 1, true), step(k, k + 1, false));
    expect(step(size - 1, 0, true)).toBeLessThanOrEqual(inside);
    expect(step(size - 1, 0, false)).toBeLessThanOrEqual(inside);
    expect(Math.max(...field.map(Math.abs))).toBeLessThan(1);
  });

  it("leaves out octaves finer than a pixel, and refuses cells that are not powers of two", () => {
    expect(noiseField(32, 1, { cellsX: 16, cellsY: 16, octaves: 5 })).toEqual(noiseField(32, 1, { cellsX: 16, cellsY: 16, octaves: 2 }));
    expect(() => noiseField(64, 1, { cellsX: 3, cellsY: 4, octaves: 1 })).toThrow(RangeError);
  });
});
