import { describe, expect, it } from "vitest";
import { handoffDelays } from "./crossings.ts";

describe("handoff delays", () => {
  it("measure from the moment the crosser went past the handoff line to the new authority's first update", () => {
    // East at 0.2 m a tick from x = 128 (tick 100, received at 10,000 ms): past 129 at tick 105; back
    // west past 127 at tick 125. Updates arrive 50 ms after their tick.
    const samples = Array.from({ length: 31 }, (_, i) => ({ tick: 100 + i, x: i <= 10 ? 128 + 0.2 * i : 130 - 0.2 * (i - 10), at: 10_050 + (i * 1000) / 30 }));
    const changes = [
      { at: 10_050 + (5 * 1000) / 30 + 40, from: "tile_1_2", to: "tile_2_2" },
      { at: 10_050 + (25 * 1000) / 30 + 70, from: "tile_2_2", to: "tile_1_2" },
    ];
    const [east, west] = handoffDelays(samples, changes, 128);
    expect(east).toBeCloseTo(40, 6);
    expect(west).toBeCloseTo(70, 6);
  });

  it("skips a change it has no crossing for", () => {
    expect(handoffDelays([{ tick: 1, x: 120, at: 0 }], [{ at: 100, from: "tile_1_2", to: "tile_2_2" }], 128)).toEqual([]);
  });
});
