import { describe, expect, it } from "vitest";
import { TICK_RATE } from "@tessera/protocol";
import { SNAPSHOT_INTERVAL_MS, ServerClock } from "./clock.ts";
import { seededRandom } from "@tessera/prims";

const TICK_MS = 1000 / TICK_RATE;

/** Feeds a clock snapshots every interval with a one-way delay of `delay` +- `jitter`, rendering at 60 Hz; returns render ticks. */
function run(clock: ServerClock, seconds: number, delay: number, jitter: number, startMs = 0): number[] {
  const random = seededRandom(5);
  const rendered: number[] = [];
  let nextSnapshot = 0;
  for (let now = startMs; now < startMs + seconds * 1000; now += 1000 / 60) {
    while (nextSnapshot * SNAPSHOT_INTERVAL_MS + delay + jitter <= now - startMs) {
      const arrival = startMs + nextSnapshot * SNAPSHOT_INTERVAL_MS + delay + (random() * 2 - 1) * jitter;
      clock.observe((nextSnapshot * SNAPSHOT_INTERVAL_MS) / TICK_MS, arrival);
      nextSnapshot++;
    }
    if (clock.started) rendered.push(clock.renderTick(now));
  }
  return rendered;
}

describe("ServerClock", () => {
  it("shows others about two snapshot intervals behind on a steady link", () => {
    const clock = new ServerClock();
    run(clock, 10, 50, 0);
    expect(clock.delayMs).toBeGreaterThanOrEqual(1.5 * SNAPSHOT_INTERVAL_MS);
    expect(clock.delayMs).toBeLessThanOrEqual(2.2 * SNAPSHOT_INTERVAL_MS);
  });

  it("waits longer when snapshots arrive unevenly, within bounds", () => {
    const clock = new ServerClock();
    run(clock, 20, 100, 40);
    expect(clock.jitter).toBeGreaterThan(5);
    expect(clock.delayMs).toBeGreaterThan(2.2 * SNAPSHOT_INTERVAL_MS);
    expect(clock.delayMs).toBeLessThanOrEqual(6 * SNAPSHOT_INTERVAL_MS);
  });

  it("never runs the shown time backwards, and moves it at nearly real speed", () => {
    const clock = new ServerClock();
    const ticks = run(clock, 20, 80, 30);
    for (let i = 1; i < ticks.length; i++) {
      const step = ticks[i]! - ticks[i - 1]!;
      expect(step).toBeGreaterThan(0);
      // 60 fps is half a tick a frame; the delay adapts at most 10% of real time.
      expect(step).toBeLessThan(0.5 * 1.11 + 1e-9);
    }
  });

  it("starts over on a relay whose clock restarted", () => {
    const clock = new ServerClock();
    run(clock, 5, 50, 0);
    clock.observe(3, 5100);
    expect(clock.serverTick(5100)).toBeCloseTo(3, 0);
  });
});
