import { describe, expect, it } from "vitest";
import { lodFor } from "./index.ts";

describe("lodFor", () => {
  it("follows Second Life's thresholds on radius over distance", () => {
    expect(lodFor(0.24, 1)).toBe(3);
    expect(lodFor(0.2399, 1)).toBe(2);
    expect(lodFor(0.06, 1)).toBe(2);
    expect(lodFor(0.0599, 1)).toBe(1);
    expect(lodFor(0.03, 1)).toBe(1);
    expect(lodFor(0.0299, 1)).toBe(0);
    expect(lodFor(1, 100)).toBe(0);
    expect(lodFor(12, 50)).toBe(3);
  });

  it("keeps finer levels further away at higher quality", () => {
    expect(lodFor(0.12, 1, 2)).toBe(3);
    expect(lodFor(0.12, 1)).toBe(2);
    expect(lodFor(0.06, 1, 0.5)).toBe(1);
  });

  it("gives the finest level at no distance", () => {
    expect(lodFor(1, 0)).toBe(3);
  });
});
