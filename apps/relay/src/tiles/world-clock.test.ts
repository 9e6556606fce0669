import { describe, expect, it } from "vitest";
import { TICK_RATE, WORLD_EPOCH_MS } from "@tessera/protocol";
import { MAX_CATCH_UP, msToNextTick, ticksToRun } from "./world-clock.ts";

const TICK_MS = 1000 / TICK_RATE;

describe("the world clock", () => {
  it("wakes in the middle of a tick", () => {
    const start = WORLD_EPOCH_MS + 1000 * TICK_MS;
    expect(msToNextTick(start + 0.1 * TICK_MS)).toBeCloseTo(0.4 * TICK_MS, 2);
    expect(msToNextTick(start + 0.6 * TICK_MS)).toBeCloseTo(0.9 * TICK_MS, 2);
    expect(msToNextTick(start + 0.99 * TICK_MS)).toBeCloseTo(0.51 * TICK_MS, 2);
  });

  it("runs each due tick once, catches up on a few, drops a long stall's backlog", () => {
    expect(ticksToRun(100, 100)).toEqual({ from: 101, count: 0 });
    expect(ticksToRun(100, 101)).toEqual({ from: 101, count: 1 });
    expect(ticksToRun(100, 103)).toEqual({ from: 101, count: 3 });
    expect(ticksToRun(100, 100 + 50)).toEqual({ from: 150 - MAX_CATCH_UP + 1, count: MAX_CATCH_UP });
    // A clock set back: nothing runs until the world catches up.
    expect(ticksToRun(100, 97)).toEqual({ from: 101, count: 0 });
  });
});
