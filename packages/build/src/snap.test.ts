import { describe, expect, it } from "vitest";
import { ANGLE_STEPS, GRID_SIZES, angleStep, gridSize, snapAngle, snapLength, snapPoint, snapScale } from "./snap.ts";

describe("snapping", () => {
  it("puts lengths on the builder's grid, and always on the prims' millimetres", () => {
    expect(snapLength(1.37, 0.25)).toBe(1.25);
    expect(snapLength(1.38, 0.25)).toBe(1.5);
    expect(snapLength(-0.1, 0.25)).toBe(0);
    expect(Object.is(snapLength(-0.1, 0.25), -0)).toBe(false);
    expect(snapLength(1.23456)).toBe(1.235);
    expect(snapLength(0.3, 0.1)).toBe(0.3);
    expect(snapPoint({ x: 10.12, y: 0.49, z: -3.3 }, 0.5)).toEqual({ x: 10, y: 0.5, z: -3.5 });
  });

  it("never snaps a size below the smallest a prim may be", () => {
    expect(snapScale({ x: 0.1, y: 2.2, z: 0.6 }, 0.5)).toEqual({ x: 0.01, y: 2, z: 0.5 });
  });

  it("turns in steps of the angle set, or freely without one", () => {
    const degrees = (radians: number) => (radians * 180) / Math.PI;
    expect(degrees(snapAngle((22 * Math.PI) / 180, 15))).toBeCloseTo(15, 9);
    expect(degrees(snapAngle((23 * Math.PI) / 180, 15))).toBeCloseTo(30, 9);
    expect(degrees(snapAngle((-50 * Math.PI) / 180, 45))).toBeCloseTo(-45, 9);
    expect(snapAngle(0.1234)).toBe(0.1234);
  });

  it("holds the grid and angle settings to their ranges", () => {
    expect(gridSize(0.001)).toBe(GRID_SIZES.min);
    expect(gridSize(10)).toBe(GRID_SIZES.max);
    expect(gridSize(0.1234)).toBe(0.123);
    expect(gridSize(Number.NaN)).toBe(GRID_SIZES.default);
    expect(angleStep(0)).toBe(ANGLE_STEPS.min);
    expect(angleStep(7.6)).toBe(8);
    expect(angleStep(400)).toBe(ANGLE_STEPS.max);
  });
});
