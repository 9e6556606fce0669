import { describe, expect, it } from "vitest";
import { Keys } from "@tessera/protocol";
import { AVATAR } from "./constants.ts";
import { desiredVelocity } from "./movement.ts";

describe("desiredVelocity", () => {
  it("is zero without movement keys, and when opposite keys cancel", () => {
    expect(desiredVelocity(0, 1)).toEqual({ x: 0, z: 0 });
    expect(desiredVelocity(Keys.Jump | Keys.Run, 1)).toEqual({ x: 0, z: 0 });
    expect(desiredVelocity(Keys.Forward | Keys.Back, 1)).toEqual({ x: 0, z: 0 });
  });

  it("points forward along the heading", () => {
    const v = desiredVelocity(Keys.Forward, Math.PI / 2);
    expect(v.x).toBeCloseTo(AVATAR.walkSpeed);
    expect(v.z).toBeCloseTo(0);
  });

  it("does not make diagonals faster", () => {
    const v = desiredVelocity(Keys.Forward | Keys.Left | Keys.Run, 0.3);
    expect(Math.hypot(v.x, v.z)).toBeCloseTo(AVATAR.runSpeed);
  });
});
