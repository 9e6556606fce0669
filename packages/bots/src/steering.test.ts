import { describe, expect, it } from "vitest";
import { Keys } from "@tessera/protocol";
import { Shuttle } from "./steering.ts";

describe("Shuttle", () => {
  it("runs to one end, then turns for the other, and so on", () => {
    const shuttle = new Shuttle({ x: 124, z: 160 }, { x: 132, z: 160 });
    expect(shuttle.next(undefined).keys).toBe(0);
    const out = shuttle.next({ x: 128, z: 160 });
    expect(out.keys).toBe(Keys.Forward | Keys.Run);
    expect(out.yaw).toBeCloseTo(-Math.PI / 2);
    expect(shuttle.next({ x: 124.5, z: 160 }).yaw).toBeCloseTo(Math.PI / 2);
    expect(shuttle.next({ x: 128, z: 160 }).yaw).toBeCloseTo(Math.PI / 2);
    expect(shuttle.next({ x: 131.5, z: 160 }).yaw).toBeCloseTo(-Math.PI / 2);
  });
});
