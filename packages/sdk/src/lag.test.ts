import { describe, expect, it, vi } from "vitest";
import { seededRandom } from "@tessera/prims";
import { LagSimulator, lagOptionsSchema } from "./lag.ts";

describe("LagSimulator", () => {
  it("delays messages by lag +- jitter, drops some, and keeps their order", async () => {
    vi.useFakeTimers();
    try {
      const lag = new LagSimulator({ lagMs: 100, jitterMs: 40, loss: 0.2 }, seededRandom(3));
      const delivered: [number, number][] = [];
      const sent = performance.now();
      for (let i = 0; i < 1000; i++) lag.pass(() => delivered.push([i, performance.now() - sent]));
      await vi.advanceTimersByTimeAsync(1000);
      expect(delivered.length).toBeGreaterThan(700);
      expect(delivered.length).toBeLessThan(900);
      expect(delivered.map(([i]) => i)).toEqual([...delivered.map(([i]) => i)].sort((a, b) => a - b));
      for (const [, after] of delivered) {
        expect(after).toBeGreaterThanOrEqual(60);
        expect(after).toBeLessThanOrEqual(141);
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads its options from URL parameters or flags, refusing bad ones by name", () => {
    expect(lagOptionsSchema.parse({ lag: "150", jitter: "30", loss: "0.05" })).toEqual({ lagMs: 150, jitterMs: 30, loss: 0.05 });
    expect(lagOptionsSchema.parse({ lag: "200" })).toEqual({ lagMs: 200, jitterMs: 0, loss: 0 });
    for (const bad of [{ lag: "-1" }, { lag: "lots" }, { loss: "1" }, { jitter: "9999" }, { delay: "5" }]) {
      expect(lagOptionsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
