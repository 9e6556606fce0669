import { describe, expect, it } from "vitest";
import { makePrim, presetShape, type Prim, type PrimDiff } from "@tessera/prims";
import { EditRefusalCode, type EditOp } from "@tessera/protocol";
import { EditError } from "./edits.ts";
import { EditHistory } from "./history.ts";

const prim = (x: number): Prim => makePrim(1, presetShape("box"), { x, y: 1, z: 0 });
const move = (from: number, to: number): PrimDiff => ({ added: [], updated: [[prim(from), prim(to)]], removed: [] });

describe("undo history", () => {
  it("makes one step of a drag and undoes it as one, from where it ended to where it began", async () => {
    const history = new EditHistory();
    history.record(move(0, 1), "drag");
    history.record(move(1, 2), "drag");
    history.record(move(2, 3), "drag");
    history.record(move(3, 9));
    expect(history.undoDepth).toBe(2);
    const sent: EditOp[][] = [];
    const apply = (ops: EditOp[]) => Promise.resolve(sent.push(ops));
    await history.undo(apply);
    await history.undo(apply);
    expect(sent).toEqual([
      [{ op: "change", id: 1, to: { position: { x: 3, y: 1, z: 0 } }, from: { position: { x: 9, y: 1, z: 0 } } }],
      [{ op: "change", id: 1, to: { position: { x: 0, y: 1, z: 0 } }, from: { position: { x: 3, y: 1, z: 0 } } }],
    ]);
    expect(await history.undo(apply)).toBe(false);
    expect(history.redoDepth).toBe(2);
    await history.redo(apply);
    expect(sent.at(-1)).toEqual([{ op: "change", id: 1, to: { position: { x: 3, y: 1, z: 0 } }, from: { position: { x: 0, y: 1, z: 0 } } }]);
    // A new edit ends the redo stack.
    history.record(move(3, 4));
    expect(history.redoDepth).toBe(0);
  });

  it("drops a step someone else's change overtook, and keeps one that failed for want of a connection", async () => {
    const history = new EditHistory();
    history.record(move(0, 1));
    history.record(move(1, 2));
    await expect(history.undo(() => Promise.reject(new EditError(EditRefusalCode.Unavailable, "offline")))).rejects.toThrow(/offline/);
    expect(history.undoDepth).toBe(2);
    await expect(history.undo(() => Promise.reject(new EditError(EditRefusalCode.Conflict, "changed")))).rejects.toThrow(/changed/);
    expect(history.undoDepth).toBe(1);
    expect(history.redoDepth).toBe(0);
  });
});
