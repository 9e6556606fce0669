import { describe, expect, it } from "vitest";
import { EDIT_LIMITS, type EditOp } from "@tessera/protocol";
import { splitOps } from "./edit-split.ts";

const move = (id: number): EditOp => ({ op: "change", id, to: { position: { x: id, y: 0, z: 0 } } });
/** The prim a test's move changes. */
const idOf = (op: EditOp) => (op.op === "change" ? op.id : 0);

describe("splitOps", () => {
  it("keeps one tile's few operations as one edit, in order", () => {
    const ops = [move(3), move(1), move(2)];
    expect(splitOps(ops, () => "0,0")).toEqual([ops]);
  });

  it("groups operations by tile and cuts each group to the batch limit", () => {
    const ops = Array.from({ length: 150 }, (_, i) => move(i + 1));
    const edits = splitOps(ops, (op) => (idOf(op) % 2 === 0 ? "even" : "odd"));
    expect(edits.map((edit) => edit.length)).toEqual([EDIT_LIMITS.opsPerBatch, 11, EDIT_LIMITS.opsPerBatch, 11]);
    expect(edits[0]!.every((op) => idOf(op) % 2 === 1)).toBe(true);
    expect(edits.flat().sort((a, b) => idOf(a) - idOf(b))).toEqual(ops);
  });
});
