import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FixedTicker } from "./ticker.ts";

describe("FixedTicker", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("ticks at its rate without drifting", () => {
    let ticks = 0;
    const ticker = new FixedTicker(30, () => ticks++, () => Date.now());
    ticker.start();
    vi.advanceTimersByTime(10_000);
    ticker.stop();
    expect(ticks).toBeGreaterThanOrEqual(300);
    expect(ticks).toBeLessThanOrEqual(301);
    expect(ticker.skipped).toBe(0);
  });

  it("catches up a little after a stall and counts what it skips", () => {
    let ticks = 0;
    const ticker = new FixedTicker(30, () => ticks++, () => Date.now());
    ticker.start();
    const before = ticks;
    // The process was busy for a second: no timer ran.
    vi.setSystemTime(Date.now() + 1000);
    vi.advanceTimersByTime(33);
    ticker.stop();
    expect(ticks - before).toBe(5);
    expect(ticker.skipped).toBeGreaterThan(20);
  });
});
