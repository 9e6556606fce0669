import { describe, expect, it } from "vitest";
import { makePrim, presetShape, type Prim, type PrimDiff } from "@tessera/prims";
import { PrimSet } from "./prim-set.ts";

const prim = (id: number, x = 0): Prim => makePrim(id, presetShape("box"), { x, y: 1, z: 0 });

function recorded(set: PrimSet): PrimDiff[] {
  const diffs: PrimDiff[] = [];
  set.listen((diff) => diffs.push(diff));
  return diffs;
}

describe("a prim set with pending edits over the relay's word", () => {
  it("shows a pending edit at once, and the relay's version once it is settled", () => {
    const set = new PrimSet();
    set.put([prim(1), prim(2)]);
    const diffs = recorded(set);
    set.showPending(7, { added: [prim(9)], updated: [[prim(1), prim(1, 5)]], removed: [prim(2)] });
    expect([...set.values()].map((p) => [p.id, p.position.x]).sort()).toEqual([[1, 5], [9, 0]]);
    expect(set.size).toBe(2);
    expect(diffs).toHaveLength(1);
    // The relay's word on prim 1 waits behind the pending edit...
    set.put([prim(1, 6)]);
    expect(set.get(1)!.position.x).toBe(5);
    expect(set.confirmedPrim(1)!.position.x).toBe(6);
    expect(diffs).toHaveLength(1);
    // ...and shows once the edit is answered; what the edit made or deleted comes back as the relay has it.
    set.settle(7);
    expect(set.get(1)!.position.x).toBe(6);
    expect(set.get(2)).toEqual(prim(2));
    expect(set.get(9)).toBeUndefined();
    expect(diffs.at(-1)).toEqual({ added: [prim(2)], updated: [[prim(1, 5), prim(1, 6)]], removed: [prim(9)] });
  });

  it("shows the newest of several pending edits of a prim, and the older one's settling changes nothing shown", () => {
    const set = new PrimSet();
    set.put([prim(1)]);
    set.showPending(1, { added: [], updated: [[prim(1), prim(1, 2)]], removed: [] });
    set.showPending(2, { added: [], updated: [[prim(1, 2), prim(1, 3)]], removed: [] });
    const diffs = recorded(set);
    set.settle(1);
    expect(set.get(1)!.position.x).toBe(3);
    expect(diffs).toEqual([]);
    set.settle(2);
    expect(set.get(1)!.position.x).toBe(0);
  });

  it("finds a root's linked children as shown, pending links included", () => {
    const set = new PrimSet();
    set.put([prim(1), { ...prim(2), root: 1 }, prim(3)]);
    expect(set.childrenOf(1).map((child) => child.id)).toEqual([2]);
    set.showPending(7, { added: [], updated: [[prim(3), { ...prim(3), root: 1 }]], removed: [] });
    expect(set.childrenOf(1).map((child) => child.id).sort()).toEqual([2, 3]);
    set.settle(7);
    expect(set.childrenOf(1).map((child) => child.id)).toEqual([2]);
    expect(set.childrenOf(2)).toEqual([]);
  });
});
