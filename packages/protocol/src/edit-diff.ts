import { PRIM_FIELDS, sameValue, type Prim, type PrimDiff } from "@tessera/prims";
import type { EditOp, PrimFields } from "./edit.ts";

/**
 * The operations that make `diff` happen to the prims it starts from (an undo sends a step's
 * reversed diff, a redo the step itself): prims it adds are brought back under their ids, prims
 * it changes are changed in the fields that differ, on the condition that those fields still hold
 * the values the diff starts from (else the relay refuses it as a conflict), and prims it removes
 * are deleted.
 */
export function opsForDiff(diff: Readonly<PrimDiff>): EditOp[] {
  const ops: EditOp[] = [];
  for (const { id, owner: _, ...prim } of diff.added) ops.push({ op: "create", id, prim });
  for (const [from, to] of diff.updated) {
    const changed: PrimFields = {};
    const expected: PrimFields = {};
    for (const field of PRIM_FIELDS) {
      if (sameValue(from[field], to[field])) continue;
      Object.assign(changed, { [field]: to[field] });
      Object.assign(expected, { [field]: from[field] });
    }
    if (Object.keys(changed).length > 0) ops.push({ op: "change", id: to.id, to: changed, from: expected });
  }
  const removed = diff.removed.map((prim: Prim) => prim.id);
  if (removed.length > 0) ops.push({ op: "delete", ids: removed });
  return ops;
}
