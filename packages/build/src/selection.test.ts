import { describe, expect, it } from "vitest";
import { Selection } from "./selection.ts";

describe("the selection", () => {
  it("selects one prim on a click, adds or takes out on Shift+click, the last picked being the root", () => {
    const selection = new Selection();
    selection.select(4);
    selection.toggle(7);
    selection.toggle(2);
    expect(selection.ids).toEqual([4, 7, 2]);
    expect(selection.root).toBe(2);
    selection.toggle(7);
    expect(selection.ids).toEqual([4, 2]);
    selection.select(9);
    expect(selection.ids).toEqual([9]);
  });

  it("takes a box's prims instead or as well, each once", () => {
    const selection = new Selection();
    selection.select(1);
    selection.pick([3, 4, 3]);
    expect(selection.ids).toEqual([3, 4]);
    selection.pick([1, 4], true);
    expect(selection.ids).toEqual([3, 1, 4]);
  });

  it("clears on Escape, lets go of prims that are gone, and says when it changed", () => {
    const selection = new Selection();
    let changes = 0;
    selection.subscribe(() => changes++);
    selection.pick([1, 2, 3]);
    selection.retain((id) => id !== 2);
    expect(selection.ids).toEqual([1, 3]);
    selection.retain(() => true);
    selection.select(3);
    selection.select(3);
    expect(changes).toBe(3);
    selection.clear();
    expect(selection.size).toBe(0);
    expect(selection.root).toBeUndefined();
    expect(selection.version).toBe(4);
  });
});
