import { describe, expect, it } from "vitest";
import { linkedPlacement, relativePlacement } from "./placement.ts";

/** Each component as expected, to 9 decimals. */
function near(actual: object, expected: object): void {
  for (const [key, value] of Object.entries(expected)) expect((actual as Record<string, number>)[key], key).toBeCloseTo(value as number, 9);
}

describe("placements of linked prims", () => {
  const root = { position: { x: 10, y: 2, z: -4 }, rotation: { x: 0, y: Math.SQRT1_2, z: 0, w: Math.SQRT1_2 } };

  it("puts a child at its offset turned with the root", () => {
    // A quarter turn about y takes +x to -z.
    const child = linkedPlacement(root, { position: { x: 1, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 1 } });
    near(child.position, { x: 10, y: 2, z: -5 });
    near(child.rotation, { x: 0, y: Math.SQRT1_2, z: 0, w: Math.SQRT1_2 });
  });

  it("finds the offset back from where the child stands in the world", () => {
    const local = { position: { x: 0.5, y: -1, z: 3 }, rotation: { x: 0.5, y: 0.5, z: -0.5, w: 0.5 } };
    const back = relativePlacement(root, linkedPlacement(root, local));
    near(back.position, local.position);
    near(back.rotation, local.rotation);
  });
});
