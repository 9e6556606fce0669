import { Matrix4, Quaternion, Vector3 } from "three";
import { describe, expect, it } from "vitest";
import { makePrim, presetShape, type Prim } from "@tessera/prims";
import { SelectionDrag } from "./drag.ts";

const unit = new Vector3(1, 1, 1);
const pose = (x: number, y: number, z: number, yawDeg = 0) => new Matrix4().compose(new Vector3(x, y, z), new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), (yawDeg * Math.PI) / 180), unit);
const drawn = (prim: Prim) => new Matrix4().compose(new Vector3(prim.position.x, prim.position.y, prim.position.z), new Quaternion(prim.rotation.x, prim.rotation.y, prim.rotation.z, prim.rotation.w), new Vector3(prim.scale.x, prim.scale.y, prim.scale.z));

describe("a drag of the selection", () => {
  const a = makePrim(1, presetShape("box"), { x: 10, y: 1, z: 10 }, { scale: { x: 2, y: 1, z: 1 } });
  const b = makePrim(2, presetShape("box"), { x: 12, y: 1, z: 10 });
  const start = () => new SelectionDrag([a, b], drawn, () => new Matrix4(), pose(10, 1, 10), 0.25, "drag-1");

  it("carries every prim with the pivot, and changes only what moved", () => {
    const drag = start();
    drag.update(pose(11.5, 1, 10));
    expect(drag.ops()).toEqual([
      { op: "change", id: 1, to: { position: { x: 11.5, y: 1, z: 10 } } },
      { op: "change", id: 2, to: { position: { x: 13.5, y: 1, z: 10 } } },
    ]);
  });

  it("turns the selection about the pivot", () => {
    const drag = start();
    const poses = drag.update(pose(10, 1, 10, 90));
    // b stood 2 m along +x of the pivot; a quarter turn about +y takes it 2 m along -z.
    expect(poses.get(2)!.position.toArray()).toEqual([10, 1, 8]);
    expect(poses.get(2)!.rotation.angleTo(new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), Math.PI / 2))).toBeLessThan(1e-6);
    const ops = drag.ops();
    expect(ops.map((op) => op.op === "change" && Object.keys(op.to).sort())).toEqual([["rotation"], ["position", "rotation"]]);
  });

  it("stretches sizes on the grid and distances from the pivot", () => {
    const drag = start();
    const poses = drag.update(pose(10, 1, 10), new Vector3(1.3, 1, 1));
    // 2 m * 1.3 = 2.6, on the quarter-metre grid 2.5; b's 2 m from the pivot becomes 2.6 m.
    expect(poses.get(1)!.scale.toArray()).toEqual([2.5, 1, 1]);
    expect(poses.get(2)!.position.x).toBeCloseTo(12.6, 6);
  });

  it("keeps a linked child's pose relative to its root", () => {
    const root = makePrim(5, presetShape("box"), { x: 20, y: 1, z: 20 });
    const child = makePrim(6, presetShape("box"), { x: 1, y: 0, z: 0 }, { root: 5 });
    const world = (prim: Prim) => (prim.id === 6 ? pose(21, 1, 20) : drawn(prim));
    const drag = new SelectionDrag([child], world, () => drawn(root), pose(21, 1, 20), undefined, "drag-2");
    drag.update(pose(21, 1, 22));
    expect(drag.ops()).toEqual([{ op: "change", id: 6, to: { position: { x: 1, y: 0, z: 2 } } }]);
  });

  it("sends nothing when nothing moved", () => {
    const drag = start();
    drag.update(pose(10, 1, 10));
    expect(drag.ops()).toEqual([]);
  });
});
