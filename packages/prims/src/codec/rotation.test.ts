import { describe, expect, it } from "vitest";
import { ROTATION_BYTES, packRotation, quantizeRotation, unpackRotation, type Quat } from "../rotation.ts";
import { Random, randomQuat } from "./test-support.ts";

const unit = (q: Quat): Quat => {
  const length = Math.hypot(q.x, q.y, q.z, q.w);
  return { x: q.x / length, y: q.y / length, z: q.z / length, w: q.w / length };
};

/** Angle of the rotation taking a to b, radians: q and -q are the same rotation. */
function angleBetween(a: Quat, b: Quat): number {
  const chord = (sign: number) => Math.hypot(a.x - sign * b.x, a.y - sign * b.y, a.z - sign * b.z, a.w - sign * b.w);
  return 4 * Math.asin(Math.min(1, Math.min(chord(1), chord(-1)) / 2));
}

const axisTurns: Quat[] = [0.5, 1, 1.5, 2].flatMap((turn) =>
  (["x", "y", "z"] as const).flatMap((axis) =>
    [1, -1].map((sign) => ({ x: 0, y: 0, z: 0, w: sign * Math.cos((turn * Math.PI) / 2), [axis]: Math.sin((turn * Math.PI) / 2) })),
  ),
);

describe("packRotation and unpackRotation", () => {
  it("come back within 2e-4 rad", () => {
    const random = new Random(6);
    const bytes = new Uint8Array(ROTATION_BYTES);
    let worst = 0;
    for (let i = 0; i < 10_000; i++) {
      const q = unit(randomQuat(random));
      packRotation(q, bytes, 0);
      worst = Math.max(worst, angleBetween(q, unpackRotation(bytes, 0)));
    }
    expect(worst).toBeLessThan(2e-4);
  });

  it("unpack any bytes to a unit quaternion", () => {
    const random = new Random(7);
    const samples = [new Uint8Array(6), new Uint8Array(6).fill(255), ...Array.from({ length: 10_000 }, () => random.bytes(6))];
    for (const bytes of samples) {
      const q = unpackRotation(bytes, 0);
      expect(Math.abs(Math.hypot(q.x, q.y, q.z, q.w) - 1)).toBeLessThan(1e-12);
    }
  });
});

describe("quantizeRotation", () => {
  it("is idempotent, near ties, negative w and axis-aligned turns included", () => {
    const random = new Random(8);
    const samples = [...axisTurns, ...Array.from({ length: 10_000 }, () => randomQuat(random))];
    for (const q of samples) {
      const once = quantizeRotation(q);
      expect(quantizeRotation(once)).toEqual(once);
    }
  });

  // Near a tie of the two largest components, rounding could swap which one is left out.
  it("gives rotations that packRotation gives back", () => {
    const random = new Random(9);
    const bytes = new Uint8Array(ROTATION_BYTES);
    for (let i = 0; i < 10_000; i++) {
      const q = quantizeRotation(randomQuat(random));
      packRotation(q, bytes, 0);
      expect(unpackRotation(bytes, 0)).toEqual(q);
    }
  });
});
