import { describe, expect, it } from "vitest";
import { makePrim, presetShape, solidFace } from "@tessera/prims";
import { eulerDegrees, faceCount, fromEulerDegrees, hexOf, rgbaOf, withFace } from "./prim-fields.ts";

describe("the build panel's fields", () => {
  it("show a rotation as degrees and take degrees back", () => {
    const q = fromEulerDegrees({ x: 0, y: 90, z: 0 });
    expect(eulerDegrees(q)).toEqual({ x: 0, y: 90, z: 0 });
    expect(eulerDegrees(fromEulerDegrees({ x: 30, y: -45.5, z: 10 }))).toEqual({ x: 30, y: -45.5, z: 10 });
  });

  it("read and write colours as #rrggbb with the alpha apart", () => {
    expect(hexOf({ r: 160, g: 60, b: 40, a: 255 })).toBe("#a03c28");
    expect(rgbaOf("#a03c28", 128)).toEqual({ r: 160, g: 60, b: 40, a: 128 });
  });

  it("change one face and keep how the others look, or set every face at once", () => {
    const prim = makePrim(1, presetShape("cylinder"), { x: 0, y: 0, z: 0 }, { faces: [solidFace(10, 20, 30)] });
    expect(faceCount(prim)).toBe(3);
    const red = (style: ReturnType<typeof solidFace>) => ({ ...style, color: { r: 255, g: 0, b: 0, a: 255 } });
    const one = withFace(prim, 1, red);
    expect(one.map((face) => face.color.r)).toEqual([10, 255, 10]);
    expect(withFace(prim, -1, red)).toHaveLength(1);
  });
});
