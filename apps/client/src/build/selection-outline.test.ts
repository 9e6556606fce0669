import { Matrix4, type BufferAttribute } from "three";
import { describe, expect, it } from "vitest";
import { SelectionOutline } from "./selection-outline.ts";

describe("a selection outline", () => {
  it("draws 12 edges a prim in one line mesh, and rewrites them only when a prim moved", () => {
    const outline = new SelectionOutline("#ffd54a");
    const a = new Matrix4().makeTranslation(1, 0, 0);
    const b = new Matrix4().makeScale(2, 1, 1);
    outline.update([a, b]);
    const positions = () => outline.object.geometry.getAttribute("position") as BufferAttribute;
    expect(outline.object.geometry.drawRange.count).toBe(2 * 12 * 2);
    // The first corner of the first box: (-0.5, -0.5, -0.5) a little outside, moved 1 m along x.
    expect(positions().getX(0)).toBeCloseTo(1 - 0.51, 5);
    const version = positions().version;
    outline.update([a.clone(), b.clone()]);
    expect(positions().version).toBe(version);
    outline.update([a, new Matrix4().makeScale(3, 1, 1)]);
    expect(positions().version).toBeGreaterThan(version);
    outline.update([]);
    expect(outline.object.visible).toBe(false);
    outline.dispose();
  });
});
