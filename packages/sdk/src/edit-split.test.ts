import { describe, expect, it } from "vitest";
import { EDIT_LIMITS, type EditOp } from "@tessera/protocol";
import { routingId, splitOps } from "./edit-split.ts";

const move = (id: number): EditOp => ({ op: "change", id, to: { position: { x: id, y: 0, z: 0 } } });

describe("splitOps", () => {
  it("keeps one tile's few operations as one edit, in order", () => {
    const ops = [move(3), move(1), move(2)];
    expect(splitOps(ops, () => "0,0")).toEqual([ops]);
  });

  it("groups operations by tile and cuts each group to the batch limit", () => {
    const ops = Array.from({ length: 150 }, (_, i) => move(i + 1));
    const edits = splitOps(ops, (op) => (routingId(op)! % 2 === 0 ? "even" : "odd"));
    expect(edits.map((edit) => edit.length)).toEqual([EDIT_LIMITS.opsPerBatch, 11, EDIT_LIMITS.opsPerBatch, 11]);
    expect(edits[0]!.every((op) => routingId(op)! % 2 === 1)).toBe(true);
    expect(edits.flat().sort((a, b) => routingId(a)! - routingId(b)!)).toEqual(ops);
  });

  it("routes each kind of operation by the prim it names", () => {
    expect(routingId({ op: "delete", ids: [7, 8] })).toBe(7);
    expect(routingId({ op: "link", root: 5, children: [6] })).toBe(5);
    expect(routingId({ op: "create", prim: { position: { x: 0, y: 0, z: 0 }, shape: {} as never, root: 9 } })).toBe(9);
    expect(routingId({ op: "create", prim: { position: { x: 0, y: 0, z: 0 }, shape: {} as never } })).toBeUndefined();
  });
});
