import { describe, expect, it } from "vitest";
import { ResolutionGovernor } from "./resolution-governor.ts";

function run(governor: ResolutionGovernor, frameMs: number, seconds: number): number[] {
  const changes: number[] = [];
  for (let t = 0; t < seconds * 1000; t += frameMs) {
    const next = governor.frame(frameMs);
    if (next !== undefined) changes.push(next);
  }
  return changes;
}

describe("ResolutionGovernor", () => {
  it("keeps full resolution while frames are fast enough", () => {
    const governor = new ResolutionGovernor({ min: 0.5, max: 2 });
    expect(run(governor, 16, 10)).toEqual([]);
    expect(governor.ratio).toBe(2);
  });

  it("lowers resolution step by step down to its floor when frames are slow", () => {
    const governor = new ResolutionGovernor({ min: 0.5, max: 1 });
    const changes = run(governor, 300, 10);
    expect(changes[0]).toBeCloseTo(0.75);
    expect(changes.at(-1)).toBe(0.5);
    expect(governor.ratio).toBe(0.5);
  });

  it("raises it again with headroom, without exceeding the display's ratio", () => {
    const governor = new ResolutionGovernor({ min: 0.5, max: 1 });
    run(governor, 300, 10);
    run(governor, 10, 10);
    expect(governor.ratio).toBe(1);
  });

  it("holds steady in between", () => {
    const governor = new ResolutionGovernor({ min: 0.5, max: 1 });
    run(governor, 300, 3);
    // Let the window that still holds slow frames close.
    run(governor, 30, 2);
    const settled = governor.ratio;
    expect(run(governor, 30, 10)).toEqual([]);
    expect(governor.ratio).toBe(settled);
  });
});
