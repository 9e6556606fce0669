import { describe, expect, it } from "vitest";
import { TICK_RATE } from "@tessera/protocol";
import { AvatarTrack, BodyTrack, EXTRAPOLATION_CAP_MS, MAX_HOLD_MS, slerp } from "./tracks.ts";

const CAP_TICKS = (EXTRAPOLATION_CAP_MS / 1000) * TICK_RATE;
const at = (track: AvatarTrack, tick: number, now = 0) => {
  const out = { x: 0, y: 0, z: 0 };
  track.show(tick, now, out);
  return out;
};
/** A walker along +x at 0.1 m per tick, sampled every other tick. */
const walker = (ticks: number[]) => {
  const track = new AvatarTrack();
  for (const tick of ticks) track.push({ tick, x: tick * 0.1, y: 0, z: 0, yaw: 0, flags: 1 }, 0);
  return track;
};

describe("AvatarTrack", () => {
  it("interpolates between the samples around the render tick", () => {
    const track = walker([10, 12, 14]);
    expect(at(track, 11).x).toBeCloseTo(1.1, 9);
    expect(at(track, 13.5).x).toBeCloseTo(1.35, 9);
    expect(at(track, 5).x).toBeCloseTo(1.0, 9);
  });

  it("puts samples that arrive out of order in their place, and ignores repeats", () => {
    const track = walker([14, 10, 12]);
    expect(at(track, 11).x).toBeCloseTo(1.1, 9);
    expect(track.push({ tick: 12, x: 99, y: 0, z: 0, yaw: 0, flags: 0 }, 0)).toBe(false);
    expect(at(track, 12).x).toBeCloseTo(1.2, 9);
  });

  it("extrapolates past the newest sample, but never further than the cap", () => {
    const track = walker([10, 12]);
    expect(at(track, 13).x).toBeCloseTo(1.3, 9);
    for (const beyond of [CAP_TICKS, CAP_TICKS + 1, 100, 10_000]) {
      expect(at(track, 12 + beyond).x).toBeCloseTo(1.2 + 0.1 * CAP_TICKS, 9);
    }
  });

  it("does not run on from samples too far apart to say how fast it moves", () => {
    const track = walker([10, 10 + 2 * TICK_RATE]);
    expect(at(track, 10 + 2 * TICK_RATE + 5).x).toBeCloseTo(1 + 0.2 * TICK_RATE, 9);
  });

  it("holds where a wrong extrapolation ran to for a while, then glides back instead of jumping", () => {
    const track = walker([10, 12]);
    // Shown 4 ticks past the newest sample: extrapolated to x = 1.6.
    expect(at(track, 16, 0).x).toBeCloseTo(1.6, 9);
    // Then the walker turns out to have stopped at 1.3.
    track.push({ tick: 14, x: 1.3, y: 0, z: 0, yaw: 0, flags: 1 }, 0);
    track.push({ tick: 16, x: 1.3, y: 0, z: 0, yaw: 0, flags: 1 }, 0);
    const frames = Array.from({ length: 100 }, (_, i) => ({ now: i * 16, x: at(track, 16, i * 16).x }));
    for (const { now, x } of frames) if (now < MAX_HOLD_MS) expect(x).toBeCloseTo(1.6, 6);
    const after = frames.filter(({ now }) => now >= MAX_HOLD_MS);
    for (let i = 1; i < after.length; i++) {
      expect(after[i]!.x).toBeLessThanOrEqual(after[i - 1]!.x);
      expect(after[i - 1]!.x - after[i]!.x).toBeLessThan(0.15);
    }
    expect(after.at(-1)!.x).toBeCloseTo(1.3, 3);
  });

  it.each([
    ["catching up after the stop", 0.15],
    ["going on at its pace", 0.1],
  ])("holds instead of stepping back when samples fill a gap it ran on through, then moves on with its course (%s)", (_, pace) => {
    // A walker along +x at 0.1 m a tick, stopped for eight ticks from tick 12 (its relays handing it
    // over, or its sender stalled), then on again. No sample comes during the stop; later samples
    // arrive four ticks ahead of the render tick, 60 frames a second.
    const position = (tick: number) => 0.1 * Math.min(tick, 12) + pace * Math.max(0, tick - 20);
    const track = new AvatarTrack();
    const pending = [10, 12, ...Array.from({ length: 30 }, (_, i) => 20 + 2 * i)];
    const shown: number[] = [];
    for (let frame = 0; frame < 150; frame++) {
      const renderTick = 8 + frame / 2;
      const now = (frame * 1000) / 60;
      while (pending.length > 0 && pending[0]! <= renderTick + 4) {
        const tick = pending.shift()!;
        track.push({ tick, x: position(tick), y: 0, z: 0, yaw: 0, flags: 1 }, now);
      }
      shown.push(at(track, renderTick, now).x);
    }
    // It ran on past x = 1.2 through the gap, as far as the cap lets it, and then never back.
    expect(Math.max(...shown.slice(0, 40))).toBeGreaterThan(1.4);
    for (let i = 1; i < shown.length; i++) expect(shown[i]!).toBeGreaterThanOrEqual(shown[i - 1]! - 1e-9);
    // Once its course has caught up, it is shown on it again.
    expect(shown.at(-1)!).toBeCloseTo(position(8 + 149 / 2), 3);
  });

  it("shows a walker that turns back going back", () => {
    const track = walker([10, 12, 14]);
    const there = at(track, 14, 0).x;
    track.push({ tick: 16, x: 1.2, y: 0, z: 0, yaw: 0, flags: 1 }, 0);
    expect(at(track, 15, 16).x).toBeLessThan(there);
  });

  it("turns the short way round", () => {
    const track = new AvatarTrack();
    track.push({ tick: 0, x: 0, y: 0, z: 0, yaw: 3, flags: 0 }, 0);
    track.push({ tick: 2, x: 0, y: 0, z: 0, yaw: -3, flags: 0 }, 0);
    at(track, 1);
    expect(Math.abs(track.yawAt(1))).toBeCloseTo(Math.PI, 6);
  });
});

describe("BodyTrack", () => {
  it("holds a body that came to rest instead of running it on", () => {
    const track = new BodyTrack();
    const still = { x: 0, y: 0, z: 0, w: 1 };
    track.push({ tick: 0, x: 0, y: 1, z: 0, rotation: still, resting: false }, 0);
    track.push({ tick: 2, x: 0.5, y: 1, z: 0, rotation: still, resting: true }, 0);
    const out = { x: 0, y: 0, z: 0 };
    track.show(6, 0, out);
    expect(out.x).toBeCloseTo(0.5, 9);
  });

  it("blends rotations along the short arc", () => {
    const half = Math.SQRT1_2;
    const quarterTurn = { x: 0, y: half, z: 0, w: half };
    const mid = slerp({ x: 0, y: 0, z: 0, w: 1 }, { x: -0, y: -half, z: -0, w: -half }, 0.5, { x: 0, y: 0, z: 0, w: 0 });
    expect(mid.y).toBeCloseTo(Math.sin(Math.PI / 8), 6);
    expect(mid.w).toBeCloseTo(Math.cos(Math.PI / 8), 6);
    expect(slerp(quarterTurn, quarterTurn, 0.3, { x: 0, y: 0, z: 0, w: 0 }).y).toBeCloseTo(half, 9);
  });
});
