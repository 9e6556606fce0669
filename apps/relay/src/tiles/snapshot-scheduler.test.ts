import { describe, expect, it } from "vitest";
import { quantizeRotation, seededRandom } from "@tessera/prims";
import { BodyFlags, SNAPSHOT_RATE, decodeSnapshot, type OwnMotion, type Snapshot } from "@tessera/protocol";
import { REFRESH_TICKS, SnapshotScheduler, TICKS_PER_SNAPSHOT, snapshotByteBudget } from "./snapshot-scheduler.ts";

const ORIGIN = 160;
const own: OwnMotion = { x: ORIGIN, y: 0, z: ORIGIN, vy: 0, yaw: 0, flags: 1 };

interface Walker {
  slot: number;
  netId: number;
  x: number;
  z: number;
  heading: number;
}

/** A scheduler with one client "me" (its own avatar in slot `mySlot`) and `count` walkers around it. */
function crowd(count: number, budgetKbps: number, place: (i: number) => { x: number; z: number }) {
  const scheduler = new SnapshotScheduler({ originX: ORIGIN, originZ: ORIGIN, budgetKbps });
  const mySlot = scheduler.addAvatar(1);
  scheduler.setAvatar(mySlot, own.x, own.y, own.z, 0, 1);
  const walkers: Walker[] = Array.from({ length: count }, (_, i) => {
    const netId = i + 2;
    const { x, z } = place(i);
    const walker = { slot: scheduler.addAvatar(netId), netId, x, z, heading: i };
    scheduler.setAvatar(walker.slot, x, 0, z, walker.heading, 1);
    return walker;
  });
  scheduler.addClient("me", 0);
  return { scheduler, mySlot, walkers };
}

/** Runs `ticks` ticks from tick 1: `each(tick)` updates the tables, then the client's snapshot when due. */
function run(scheduler: SnapshotScheduler, mySlot: number, ticks: number, each: (tick: number) => void): Snapshot[] {
  const snapshots: Snapshot[] = [];
  for (let tick = 1; tick <= ticks; tick++) {
    each(tick);
    if (!scheduler.isDue("me", tick)) continue;
    const bytes = scheduler.compose("me", tick, tick, own, mySlot);
    expect(bytes.byteLength).toBeLessThanOrEqual(scheduler.byteBudget);
    snapshots.push(decodeSnapshot(bytes));
  }
  return snapshots;
}

/** Walks each walker 4 m/s along its heading (one tick). */
function walk(scheduler: SnapshotScheduler, walkers: Walker[]): void {
  for (const w of walkers) {
    w.x += Math.sin(w.heading) * (4 / 30);
    w.z += Math.cos(w.heading) * (4 / 30);
    scheduler.setAvatar(w.slot, w.x, 0, w.z, w.heading, 1);
  }
}

/** For each net id, the indices of the snapshots that carried it. */
function carried(snapshots: Snapshot[]): Map<number, number[]> {
  const seen = new Map<number, number[]>();
  snapshots.forEach((snapshot, i) => {
    for (const e of snapshot.entities) seen.set(e.netId, [...(seen.get(e.netId) ?? []), i]);
  });
  return seen;
}

const ring = (count: number, from: number, to: number) => (i: number) => {
  const angle = (i / count) * Math.PI * 2;
  const r = from + ((to - from) * i) / count;
  return { x: ORIGIN + Math.sin(angle) * r, z: ORIGIN + Math.cos(angle) * r };
};

describe("SnapshotScheduler", () => {
  it("keeps every snapshot within the budget with 200 movers, near ones every time, far ones less often but never starved", () => {
    const random = seededRandom(7);
    const { scheduler, mySlot, walkers } = crowd(200, 100, () => ({ x: ORIGIN + (random() - 0.5) * 120, z: ORIGIN + (random() - 0.5) * 120 }));
    expect(snapshotByteBudget(100)).toBeLessThanOrEqual((100 * 1000) / 8 / SNAPSHOT_RATE);
    const snapshots = run(scheduler, mySlot, 300, () => walk(scheduler, walkers));
    expect(snapshots).toHaveLength(300 / TICKS_PER_SNAPSHOT);
    // The budget is used: at 100 kbps about 70 avatars of 10 bytes fit in a snapshot.
    for (const snapshot of snapshots.slice(1)) expect(snapshot.entities.length).toBeGreaterThan(60);

    const seen = carried(snapshots);
    // Walkers start at most 85 m away and move 20 m in 10 s; distance is measured again each tick.
    const distance = (w: Walker) => Math.hypot(w.x - ORIGIN, w.z - ORIGIN);
    const settled = snapshots.length - 20;
    for (const w of walkers) {
      const times = seen.get(w.netId) ?? [];
      // Every walker is sent within the first second and then at least every 2 s.
      expect(times[0]).toBeLessThan(SNAPSHOT_RATE);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.max(...gaps, snapshots.length - 1 - times.at(-1)!)).toBeLessThanOrEqual(SNAPSHOT_RATE * 2);
      // Within 8 m (at the end of the run too), every snapshot of the last 20 carries it.
      if (distance(w) < 8) expect(times.filter((t) => t >= settled)).toHaveLength(20);
    }
    const rate = (near: boolean) => {
      const group = walkers.filter((w) => (distance(w) < 15) === near);
      return group.reduce((sum, w) => sum + (seen.get(w.netId)?.length ?? 0), 0) / group.length;
    };
    expect(rate(true)).toBeGreaterThan(rate(false) * 2);
  });

  it("never sends the client its own avatar, and always its own block and ack", () => {
    const { scheduler, mySlot } = crowd(3, 100, ring(3, 2, 4));
    const snapshots = run(scheduler, mySlot, 10, () => undefined);
    for (const snapshot of snapshots) {
      expect(snapshot.own).toBeDefined();
      expect(snapshot.ack).toBe(snapshot.tick);
      expect(snapshot.entities.some((e) => e.netId === 1)).toBe(false);
    }
  });

  it("resends nothing unchanged but a refresh every 2 s, and a change at once", () => {
    const { scheduler, mySlot, walkers } = crowd(20, 100, ring(20, 3, 30));
    const moved = walkers[5]!;
    const snapshots = run(scheduler, mySlot, REFRESH_TICKS * 3, (tick) => {
      if (tick === 21) scheduler.setAvatar(moved.slot, moved.x + 1, 0, moved.z, moved.heading, 1);
    });
    const counts = snapshots.map((s) => s.entities.length);
    // Everyone at first, then silence, but for the one that moved.
    expect(counts[0]).toBe(20);
    const quiet = snapshots.slice(1, REFRESH_TICKS / TICKS_PER_SNAPSHOT - 1);
    expect(quiet.flatMap((s) => s.entities.map((e) => e.netId))).toEqual([moved.netId]);
    expect(snapshots.find((s) => s.entities.length === 1)!.tick).toBe(22);
    // Each is refreshed about every 2 s: twice more in the 4 s that follow, not every snapshot.
    const seen = carried(snapshots);
    for (const w of walkers) expect(seen.get(w.netId)!.length).toBeGreaterThanOrEqual(w === moved ? 3 : 2);
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20 * 3 + 3);
  });

  it("gives a new client everything over its first snapshots, nearest first", () => {
    const { scheduler, mySlot, walkers } = crowd(200, 100, ring(200, 2, 60));
    const snapshots = run(scheduler, mySlot, 12, () => undefined);
    const seen = carried(snapshots);
    expect(walkers.every((w) => seen.has(w.netId))).toBe(true);
    // The first snapshot holds the nearest ones.
    const first = new Set(snapshots[0]!.entities.map((e) => e.netId));
    expect(walkers.slice(0, 40).every((w) => first.has(w.netId))).toBe(true);
  });

  it("sends an avatar that takes a freed slot as new, even where the old one stood", () => {
    const { scheduler, mySlot, walkers } = crowd(2, 100, ring(2, 3, 4));
    const gone = walkers[0]!;
    const snapshots = run(scheduler, mySlot, 12, (tick) => {
      if (tick !== 7) return;
      scheduler.removeAvatar(gone.slot);
      const slot = scheduler.addAvatar(99);
      expect(slot).toBe(gone.slot);
      scheduler.setAvatar(slot, gone.x, 0, gone.z, gone.heading, 1);
    });
    expect(snapshots.flatMap((s) => s.entities.map((e) => [s.tick, e.netId]))).toEqual([
      [2, gone.netId],
      [2, walkers[1]!.netId],
      [8, 99],
    ]);
  });

  it("sends bodies once the client has loaded the prims, and a body that comes to rest once with the resting flag", () => {
    const scheduler = new SnapshotScheduler({ originX: ORIGIN, originZ: ORIGIN, budgetKbps: 100 });
    const rotation = quantizeRotation({ x: 0, y: 0, z: 0, w: 1 });
    const crate = { id: 42, x: ORIGIN + 1.234, y: 0.4, z: ORIGIN - 2.5, rotation, flags: 0 };
    const slot = scheduler.addBody(crate);
    scheduler.addBody({ ...crate, id: 43, x: ORIGIN - 5, flags: BodyFlags.Resting });
    scheduler.addClient("me", 0);
    const bodies: [number, number, number][] = [];
    for (let tick = 1; tick <= 40; tick++) {
      if (tick === 6) scheduler.startBodies("me", tick);
      if (tick <= 20) scheduler.setBody(slot, { ...crate, z: crate.z + tick * 0.01, rotation: quantizeRotation({ x: 0, y: tick / 100, z: 0, w: 1 }) });
      if (tick === 21) scheduler.setBody(slot, { ...crate, z: crate.z + 0.2, flags: BodyFlags.Resting });
      if (!scheduler.isDue("me", tick)) continue;
      for (const b of decodeSnapshot(scheduler.compose("me", tick, 0, own, -1)).bodies) bodies.push([tick, b.id, b.flags]);
    }
    // Nothing before the prims are loaded; then both; the crate while it moves; once at rest, flagged.
    expect(bodies.filter(([tick]) => tick < 6)).toEqual([]);
    expect(bodies.filter(([tick]) => tick === 6).map(([, id]) => id).sort()).toEqual([42, 43]);
    expect(bodies.filter(([tick]) => tick > 6)).toEqual([...[8, 10, 12, 14, 16, 18, 20].map((tick) => [tick, 42, 0]), [22, 42, BodyFlags.Resting]]);
  });

  it("spreads clients over alternate ticks", () => {
    const scheduler = new SnapshotScheduler({ originX: ORIGIN, originZ: ORIGIN, budgetKbps: 100 });
    for (const id of ["a", "b", "c", "d"]) scheduler.addClient(id, 0);
    const due = (tick: number) => ["a", "b", "c", "d"].filter((id) => scheduler.isDue(id, tick));
    expect(due(10)).toHaveLength(2);
    expect(due(11)).toHaveLength(2);
    expect(new Set([...due(10), ...due(11)]).size).toBe(4);
    scheduler.removeClient("a");
    scheduler.removeClient("c");
    scheduler.addClient("e", 0);
    expect(due(10).length + due(11).length).toBe(2);
    expect(Math.abs(["b", "d", "e"].filter((id) => scheduler.isDue(id, 10)).length - ["b", "d", "e"].filter((id) => scheduler.isDue(id, 11)).length)).toBe(1);
  });
});
