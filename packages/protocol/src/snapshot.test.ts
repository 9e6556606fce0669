import { describe, expect, it } from "vitest";
import { MotionFlags, POSITION_SCALE, SnapshotDecodeError, decodeSnapshot, encodeSnapshot, snapshotByteLength, type Snapshot } from "./snapshot.ts";
import { wrapAngle } from "./quantize.ts";

/** Deterministic pseudo-random numbers (mulberry32) so that failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sample: Snapshot = {
  tick: 123456,
  ack: 77,
  originX: 96,
  originZ: 160,
  own: { x: 100.123456, y: 0.02, z: 150.5, vy: -3.25, yaw: 2, flags: MotionFlags.Grounded },
  entities: [
    { netId: 1, x: 90.1, y: 0.02, z: 170.3, yaw: 1.0, flags: MotionFlags.Grounded | MotionFlags.Running },
    { netId: 65535, x: 96 - 255.9, y: 200, z: 160 + 255.9, yaw: -3.1, flags: 0 },
  ],
};

describe("snapshot codec", () => {
  it("round-trips within the documented quantisation", () => {
    const bytes = encodeSnapshot(sample);
    expect(bytes.byteLength).toBe(snapshotByteLength(sample));
    const back = decodeSnapshot(bytes);
    expect(back.tick).toBe(sample.tick);
    expect(back.ack).toBe(sample.ack);
    expect(back.own?.x).toBeCloseTo(sample.own!.x, 4);
    expect(back.own?.vy).toBe(-3.25);
    expect(back.own?.yaw).toBeCloseTo(2, 1);
    expect(back.own?.flags).toBe(MotionFlags.Grounded);
    expect(back.entities).toHaveLength(2);
    sample.entities.forEach((e, i) => {
      const d = back.entities[i]!;
      expect(d.netId).toBe(e.netId);
      for (const axis of ["x", "y", "z"] as const) expect(Math.abs(d[axis] - e[axis])).toBeLessThanOrEqual(0.5 / POSITION_SCALE);
      expect(Math.abs(wrapAngle(d.yaw - e.yaw))).toBeLessThanOrEqual(Math.PI / 256 + 1e-9);
      expect(d.flags).toBe(e.flags);
    });
  });

  it("costs 10 bytes per entity", () => {
    const one = encodeSnapshot({ ...sample, entities: sample.entities.slice(0, 1) });
    expect(encodeSnapshot(sample).byteLength - one.byteLength).toBe(10);
  });

  it("round-trips a snapshot without an own avatar", () => {
    const { own: _own, ...rest } = sample;
    const back = decodeSnapshot(encodeSnapshot(rest));
    expect(back.own).toBeUndefined();
    expect(back.entities).toHaveLength(2);
  });

  it("refuses truncated, padded or unknown-format bytes", () => {
    const bytes = encodeSnapshot(sample);
    for (let cut = 0; cut < bytes.byteLength; cut++) {
      expect(() => decodeSnapshot(bytes.subarray(0, cut))).toThrow(SnapshotDecodeError);
    }
    const padded = new Uint8Array(bytes.byteLength + 1);
    padded.set(bytes);
    expect(() => decodeSnapshot(padded)).toThrow(SnapshotDecodeError);
    const wrongFormat = bytes.slice();
    wrongFormat[0] = 99;
    expect(() => decodeSnapshot(wrongFormat)).toThrow(/format/);
  });

  it("never throws anything but SnapshotDecodeError on random bytes", () => {
    const next = random(42);
    for (let i = 0; i < 5000; i++) {
      const bytes = new Uint8Array(Math.floor(next() * 80));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(next() * 256);
      if (next() < 0.5 && bytes.length > 0) bytes[0] = 1;
      try {
        const snapshot = decodeSnapshot(bytes);
        for (const e of snapshot.entities) expect(Number.isFinite(e.x + e.y + e.z + e.yaw)).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(SnapshotDecodeError);
      }
    }
  });
});
