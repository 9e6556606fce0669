import { describe, expect, it } from "vitest";
import { CameraRig } from "./camera-rig.ts";

describe("CameraRig", () => {
  it("sits behind and above the focus, opposite to where it looks", () => {
    const rig = new CameraRig();
    rig.yaw = 0;
    rig.pitch = 0;
    rig.distance = 5;
    const eye = { x: 0, y: 0, z: 0 };
    rig.eye({ x: 10, y: 1, z: 10 }, eye);
    expect(eye.x).toBeCloseTo(10);
    expect(eye.y).toBeCloseTo(1);
    expect(eye.z).toBeCloseTo(5);
    rig.yaw = Math.PI / 2;
    rig.eye({ x: 10, y: 1, z: 10 }, eye);
    expect(eye.x).toBeCloseTo(5);
  });

  it("turns right when dragged right, and keeps pitch and distance in range", () => {
    const rig = new CameraRig();
    rig.orbit(100, 0);
    // Facing +z, right is -x: a heading below zero.
    expect(rig.yaw).toBeLessThan(0);
    rig.orbit(0, 10_000);
    expect(rig.pitch).toBeLessThanOrEqual(1.2);
    rig.zoom(100_000);
    expect(rig.distance).toBe(30);
    rig.zoom(-100_000);
    expect(rig.distance).toBe(2);
  });

  it("looks at what build mode focuses, from far enough to see it whole, until released", () => {
    const rig = new CameraRig();
    rig.focusOn({ x: 5, y: 2, z: 7 }, 4);
    expect(rig.target).toEqual({ x: 5, y: 2, z: 7 });
    expect(rig.distance).toBe(12);
    rig.focusOn({ x: 0, y: 0, z: 0 }, 100);
    expect(rig.distance).toBe(30);
    rig.release();
    expect(rig.target).toBeUndefined();
  });
});
