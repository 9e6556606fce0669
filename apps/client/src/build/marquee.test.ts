import { PerspectiveCamera, Vector3 } from "three";
import { describe, expect, it } from "vitest";
import { boxSelect } from "./marquee.ts";

describe("a box selection", () => {
  it("takes the prims whose centres lie inside the box on screen, in front of the camera", () => {
    const camera = new PerspectiveCamera(60, 800 / 600, 0.1, 1000);
    camera.position.set(0, 0, 10);
    camera.lookAt(0, 0, 0);
    camera.updateMatrixWorld();
    const canvas = { left: 0, top: 0, right: 800, bottom: 600, width: 800, height: 600 };
    const centres: [number, Vector3][] = [
      [1, new Vector3(0, 0, 0)], // the middle of the screen
      [2, new Vector3(3, 0, 0)], // to the right
      [3, new Vector3(0, 0, 20)], // behind the camera
    ];
    expect(boxSelect(centres, camera, canvas, { left: 350, top: 250, right: 450, bottom: 350 })).toEqual([1]);
    expect(boxSelect(centres, camera, canvas, { left: 350, top: 250, right: 800, bottom: 350 })).toEqual([1, 2]);
    expect(boxSelect(centres, camera, canvas, { left: 0, top: 0, right: 100, bottom: 100 })).toEqual([]);
  });
});
