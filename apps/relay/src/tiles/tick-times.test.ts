import { describe, expect, it } from "vitest";
import { TickTimes } from "./tick-times.ts";

describe("TickTimes", () => {
  it("summarises the last ticks of its window only", () => {
    const times = new TickTimes(100);
    expect(times.summary()).toEqual({ p50: 0, p99: 0, max: 0 });
    times.record(1000);
    for (let i = 1; i <= 100; i++) times.record(i);
    // The 1000 ms tick has left the window.
    expect(times.summary()).toEqual({ p50: 50, p99: 99, max: 100 });
  });
});
