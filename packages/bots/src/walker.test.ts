import { describe, expect, it } from "vitest";
import { Keys, TICK_DT, type Rect } from "@tessera/protocol";
import { desiredVelocity } from "@tessera/sim";
import type { Point } from "./area.ts";
import { ARRIVE_DISTANCE, Hold, headingTo, type Intent } from "./steering.ts";
import { WALKER, Walker } from "./walker.ts";

const AREA: Rect = { minX: 132, minZ: 132, maxX: 188, maxZ: 188 };

/** Walks a walker on flat, empty ground for `ticks` ticks; returns its inputs and the waypoints it chose. */
function walk(seed: number, ticks: number): { intents: Intent[]; waypoints: Point[] } {
  const walker = new Walker(AREA, seed);
  const at = { x: 160, z: 160 };
  const intents: Intent[] = [];
  const waypoints: Point[] = [];
  for (let i = 0; i < ticks; i++) {
    const intent = walker.next(at);
    intents.push(intent);
    const waypoint = walker.waypoint!;
    if (waypoints.at(-1) !== waypoint) waypoints.push(waypoint);
    const velocity = desiredVelocity(intent.keys, intent.yaw);
    at.x += velocity.x * TICK_DT;
    at.z += velocity.z * TICK_DT;
  }
  return { intents, waypoints };
}

describe("Walker", () => {
  it("picks its waypoints inside its area, the same ones for the same seed", () => {
    const first = walk(7, 3000);
    expect(first.waypoints.length).toBeGreaterThan(10);
    for (const point of first.waypoints) {
      expect(point.x).toBeGreaterThanOrEqual(AREA.minX);
      expect(point.x).toBeLessThanOrEqual(AREA.maxX);
      expect(point.z).toBeGreaterThanOrEqual(AREA.minZ);
      expect(point.z).toBeLessThanOrEqual(AREA.maxZ);
    }
    expect(walk(7, 3000)).toEqual(first);
    expect(walk(8, 3000).waypoints).not.toEqual(first.waypoints);
  });

  it("walks, sometimes runs, jumps now and then and pauses at some waypoints", () => {
    const { intents } = walk(3, 30 * 120);
    const share = (test: (intent: Intent) => boolean) => intents.filter(test).length / intents.length;
    expect(share((i) => (i.keys & Keys.Forward) !== 0)).toBeGreaterThan(0.5);
    expect(share((i) => (i.keys & Keys.Run) !== 0)).toBeGreaterThan(0);
    expect(share((i) => (i.keys & Keys.Jump) !== 0)).toBeGreaterThan(0);
    expect(share((i) => i.keys === 0)).toBeGreaterThan(0);
  });

  it("turns towards its waypoint: yaw = atan2(dx, dz)", () => {
    expect(headingTo({ x: 0, z: 0 }, { x: 0, z: 5 })).toBeCloseTo(0);
    expect(headingTo({ x: 0, z: 0 }, { x: 5, z: 0 })).toBeCloseTo(Math.PI / 2);
    expect(Math.abs(headingTo({ x: 0, z: 0 }, { x: 0, z: -5 }))).toBeCloseTo(Math.PI);
    for (const seed of [1, 2, 3]) {
      const walker = new Walker(AREA, seed);
      const at = { x: 140 + seed * 10, z: 175 - seed * 7 };
      const { keys, yaw } = walker.next(at);
      const target = walker.waypoint!;
      expect(keys & Keys.Forward).toBe(Keys.Forward);
      // "Forward" along yaw is (sin yaw, cos yaw): it points straight at the waypoint.
      const length = Math.hypot(target.x - at.x, target.z - at.z);
      expect(Math.sin(yaw)).toBeCloseTo((target.x - at.x) / length, 9);
      expect(Math.cos(yaw)).toBeCloseTo((target.z - at.z) / length, 9);
    }
  });

  it("gives up a waypoint it makes no progress towards for a second", () => {
    const walker = new Walker(AREA, 11);
    const wall = { x: 150, z: 150 };
    walker.next(wall);
    const first = walker.waypoint;
    for (let tick = 1; tick < WALKER.stuckTicks; tick++) walker.next(wall);
    expect(walker.waypoint).toBe(first);
    walker.next(wall);
    expect(walker.waypoint).not.toBe(first);
    expect(walker.stuck).toBe(1);
  });

  it("picks a new waypoint on arrival", () => {
    const walker = new Walker(AREA, 5);
    walker.next({ x: 160, z: 160 });
    const first = walker.waypoint!;
    walker.next({ x: first.x + ARRIVE_DISTANCE / 2, z: first.z });
    expect(walker.waypoint).not.toBe(first);
    expect(walker.stuck).toBe(0);
  });

  it("sends nothing until the relay has placed the avatar", () => {
    expect(new Walker(AREA, 1).next(undefined).keys).toBe(0);
  });
});

describe("Hold", () => {
  it("walks to its spot and stands there", () => {
    const hold = new Hold({ x: 160, z: 160 });
    const towards = hold.next({ x: 150, z: 160 });
    expect(towards.keys).toBe(Keys.Forward);
    expect(towards.yaw).toBeCloseTo(Math.PI / 2);
    expect(hold.next({ x: 160.2, z: 159.9 }).keys).toBe(0);
  });
});
