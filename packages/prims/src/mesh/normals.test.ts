import { describe, expect, it } from "vitest";
import { addQuadNormal, finishNormals, shareNormal } from "./normals.ts";

describe("normals", () => {
  it("weights quads by area, whichever diagonal splits them, and shares seams", () => {
    // Two unit quads in the z = 0 plane side by side and one tilted up: vertices 0-2 along y = 0, 3-5 along y = 1.
    const positions = Float32Array.of(0, 0, 0, 1, 0, 0, 2, 0, 1, 0, 1, 0, 1, 1, 0, 2, 1, 1);
    const normals = new Float32Array(positions.length);
    addQuadNormal(positions, normals, 0, 1, 4, 3);
    addQuadNormal(positions, normals, 1, 2, 5, 4);
    finishNormals(normals, 0, 6);
    expect([...normals.slice(0, 3)]).toEqual([0, 0, 1]);
    // The middle column sums the flat quad's vector area (0, 0, 1) and the tilted one's (-1, 0, 1).
    const middle = [...normals.slice(3, 6)];
    [-1, 0, 2].forEach((c, axis) => expect(middle[axis]).toBeCloseTo(c / Math.sqrt(5), 6));
    const seam = Float32Array.of(1, 0, 0, 0, 1, 0);
    shareNormal(seam, 0, 1);
    expect([...seam]).toEqual([1, 1, 0, 1, 1, 0]);
  });

  it("never leaves a NaN: a vertex without area takes the face's mean, or +y", () => {
    const normals = Float32Array.of(0, 0, 2, 0, 0, 0);
    finishNormals(normals, 0, 2);
    expect([...normals]).toEqual([0, 0, 1, 0, 0, 1]);
    const none = new Float32Array(6);
    finishNormals(none, 0, 2);
    expect([...none]).toEqual([0, 1, 0, 0, 1, 0]);
  });
});
