import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyDiff, emptyDiff, isEmptyDiff, reverseDiff, sameValue, squashDiffs, type PrimDiff } from "./diff.ts";
import { makePrim, type Prim } from "./prim.ts";
import { presetShape } from "./shape.ts";

const prim = (id: number, x = 0): Prim => makePrim(id, presetShape("box"), { x, y: 1, z: 0 });
const moved = (p: Prim, x: number): Prim => ({ ...p, position: { ...p.position, x } });
const state = (...prims: Prim[]) => new Map(prims.map((p) => [p.id, p]));

describe("prim diffs", () => {
  it("reverse undoes a diff", () => {
    const a = prim(1);
    const b = prim(2);
    const before = state(a, b);
    const diff: PrimDiff = { added: [prim(3)], updated: [[a, moved(a, 5)]], removed: [b] };
    const after = new Map(before);
    applyDiff(after, diff);
    expect([...after.keys()].sort()).toEqual([1, 3]);
    expect(after.get(1)!.position.x).toBe(5);
    applyDiff(after, reverseDiff(diff));
    expect(after).toEqual(before);
  });

  it("squashes a drag of many moves into one change from the first place to the last", () => {
    const a = prim(1);
    const steps = [1, 2, 3, 4].map((x, i) => ({ ...emptyDiff(), updated: [[moved(a, i), moved(a, x)]] as [Prim, Prim][] }));
    const squashed = squashDiffs(steps);
    expect(squashed.updated).toEqual([[a, moved(a, 4)]]);
    expect(squashed.added).toEqual([]);
    expect(squashed.removed).toEqual([]);
  });

  it("leaves out a prim made and deleted again, and one changed back as it was", () => {
    const a = prim(1);
    const made = prim(7);
    const squashed = squashDiffs([
      { added: [made], updated: [[a, moved(a, 3)]], removed: [] },
      { added: [], updated: [[moved(a, 3), a]], removed: [made] },
    ]);
    expect(isEmptyDiff(squashed)).toBe(true);
  });

  it("turns a delete and a restore into a change, and a make and a change into one make", () => {
    const a = prim(1);
    const made = prim(7);
    const squashed = squashDiffs([
      { added: [made], updated: [], removed: [a] },
      { added: [moved(a, 2)], updated: [[made, moved(made, 9)]], removed: [] },
    ]);
    expect(squashed.added).toEqual([moved(made, 9)]);
    expect(squashed.updated).toEqual([[a, moved(a, 2)]]);
    expect(squashed.removed).toEqual([]);
  });

  it("applying the squash is applying the diffs one by one, and its reverse brings the start back", () => {
    // Random walks over 5 prim ids: each step adds, moves or removes one.
    const step = fc.record({ id: fc.integer({ min: 1, max: 5 }), x: fc.integer({ min: -3, max: 3 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 20 }), (steps) => {
        const start = state(prim(1), prim(2));
        const current = new Map(start);
        const diffs: PrimDiff[] = [];
        for (const { id, x } of steps) {
          const before = current.get(id);
          const diff = emptyDiff();
          if (!before) diff.added.push(prim(id, x));
          else if (x === 0) diff.removed.push(before);
          else diff.updated.push([before, moved(before, x)]);
          applyDiff(current, diff);
          diffs.push(diff);
        }
        const squashed = squashDiffs(diffs);
        const replayed = new Map(start);
        applyDiff(replayed, squashed);
        expect(replayed).toEqual(current);
        applyDiff(replayed, reverseDiff(squashed));
        expect(replayed).toEqual(start);
      }),
    );
  });

  it("compares plain data deeply", () => {
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(0, -0)).toBe(true);
  });
});
