import { describe, expect, it } from "vitest";
import { quantizeRotation, seededRandom } from "@tessera/prims";
import { packRotation } from "@tessera/prims";
import {
  BodyFlags,
  MotionFlags,
  POSITION_SCALE,
  SnapshotDecodeError,
  SnapshotWriter,
  decodeSnapshot,
  encodeSnapshot,
  quantizeBodyCoord,
  quantizeEntityCoord,
  snapshotByteLength,
  type Snapshot,
} from "./snapshot.ts";
import { quantizeAngle, wrapAngle } from "./quantize.ts";

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
  bodies: [
    { id: 4_000_000_000, x: 101.234, y: 0.35, z: 158.001, rotation: quantizeRotation({ x: 0.3, y: -0.2, z: 0.1, w: 0.9 }), flags: 0 },
    { id: 7, x: 96 - 8000.5, y: -12.5, z: 160 + 8000.25, rotation: quantizeRotation({ x: 0, y: 0, z: 0, w: 1 }), flags: BodyFlags.Resting },
  ],
};

describe("snapshot codec", () => {
  it("round-trips within the documented quantisation", () => {
    const bytes = encodeSnapshot(sample);
    expect(bytes.byteLength).toBe(snapshotByteLength(sample));
    const back = decodeSnapshot(bytes);
    expect(back.tick).toBe(sample.tick);
    expect(back.ack).toBe(sample.ack);
    // The own avatar's numbers are the relay's, bit for bit.
    expect(back.own?.x).toBe(sample.own!.x);
    expect(back.own?.y).toBe(sample.own!.y);
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
    // Bodies are on the prims' own grids: exact.
    expect(back.bodies).toEqual(sample.bodies);
  });

  it("writes, from quantised values and in any order, the bytes encodeSnapshot writes", () => {
    const writer = new SnapshotWriter();
    const { originX, originZ } = sample;
    for (let round = 0; round < 2; round++) {
      writer.begin(sample.tick, sample.ack, originX, originZ, sample.own, sample.entities.length, sample.bodies.length);
      sample.bodies.forEach((b, i) => {
        const rotation = new Uint8Array(6);
        packRotation(b.rotation, rotation, 0);
        const view = new DataView(rotation.buffer);
        writer.body(b.id, quantizeBodyCoord(b.x, originX), quantizeBodyCoord(b.y, 0), quantizeBodyCoord(b.z, originZ), view.getUint32(0, true), view.getUint16(4, true), b.flags);
        const e = sample.entities[i]!;
        writer.entity(e.netId, quantizeEntityCoord(e.x, originX), quantizeEntityCoord(e.y, 0), quantizeEntityCoord(e.z, originZ), quantizeAngle(e.yaw, 8), e.flags);
      });
      expect(writer.bytes()).toEqual(encodeSnapshot(sample));
    }
    writer.begin(1, 0, 0, 0, undefined, 1, 0);
    expect(() => writer.bytes()).toThrow(/fewer/);
    expect(() => writer.body(1, 0, 0, 0, 0, 0, 0)).toThrow(/more bodies/);
  });

  it("refuses a body too far from the origin to encode", () => {
    expect(() => encodeSnapshot({ ...sample, bodies: [{ ...sample.bodies[0]!, x: 96 + 9000 }] })).toThrow(RangeError);
  });

  it("costs 10 bytes per entity and 20 per body", () => {
    const one = encodeSnapshot({ ...sample, entities: sample.entities.slice(0, 1) });
    expect(encodeSnapshot(sample).byteLength - one.byteLength).toBe(10);
    const oneBody = encodeSnapshot({ ...sample, bodies: sample.bodies.slice(0, 1) });
    expect(encodeSnapshot(sample).byteLength - oneBody.byteLength).toBe(20);
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
    const next = seededRandom(42);
    for (let i = 0; i < 5000; i++) {
      const bytes = new Uint8Array(Math.floor(next() * 80));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(next() * 256);
      if (next() < 0.5 && bytes.length > 0) bytes[0] = 3;
      try {
        const snapshot = decodeSnapshot(bytes);
        for (const e of snapshot.entities) expect(Number.isFinite(e.x + e.y + e.z + e.yaw)).toBe(true);
        for (const b of snapshot.bodies) expect(Math.hypot(b.rotation.x, b.rotation.y, b.rotation.z, b.rotation.w)).toBeCloseTo(1, 6);
      } catch (error) {
        expect(error).toBeInstanceOf(SnapshotDecodeError);
      }
    }
  });
});
