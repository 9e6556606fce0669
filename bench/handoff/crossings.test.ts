import { describe, expect, it } from "vitest";
import { handoffDelays } from "./crossings.ts";

/** East at 0.2 m a tick from x = 128 (tick 100): past 129 at tick 105; back west past 127 at tick 125. Updates arrive 50 ms after their tick. */
const samples = Array.from({ length: 31 }, (_, i) => ({ tick: 100 + i, x: i <= 10 ? 128 + 0.2 * i : 130 - 0.2 * (i - 10), at: 10_050 + (i * 1000) / 30 }));
const sample = (tick: number) => samples.find((s) => s.tick === tick)!;

describe("handoff delays", () => {
  it("measure from the moment the crosser went past the handoff line to the new authority's first update", () => {
    const changes = [
      { at: sample(107).at, tick: 107, from: "tile_1_2", to: "tile_2_2" },
      { at: sample(127).at, tick: 127, from: "tile_2_2", to: "tile_1_2" },
    ];
    const [east, west] = handoffDelays(samples, changes, 128);
    expect(east).toBeCloseTo(2000 / 30, 6);
    expect(west).toBeCloseTo(2000 / 30, 6);
  });

  it("count a crossing that the new authority's first update itself shows", () => {
    // The update of tick 106 is the first past the line and the first from the new tile, however its
    // arrival time compares with when the change was noticed.
    const [east] = handoffDelays(samples, [{ at: sample(106).at - 0.2, tick: 106, from: "tile_1_2", to: "tile_2_2" }], 128);
    expect(east).toBeCloseTo(1000 / 30 - 0.2, 6);
  });

  it("skips a change it has no crossing for", () => {
    expect(handoffDelays([{ tick: 1, x: 120, at: 0 }], [{ at: 100, tick: 4, from: "tile_1_2", to: "tile_2_2" }], 128)).toEqual([]);
  });
});
