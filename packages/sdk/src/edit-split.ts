import { EDIT_LIMITS, type EditOp } from "@tessera/protocol";

/**
 * Operations on prims of several tiles, or more than one edit holds, as the edits the relay takes:
 * grouped by the tile `tileOf` names (in first-seen order, each keeping its operations' order) and
 * cut into batches of at most {@link EDIT_LIMITS.opsPerBatch}.
 */
export function splitOps(ops: readonly EditOp[], tileOf: (op: EditOp) => string): EditOp[][] {
  const byTile = new Map<string, EditOp[]>();
  for (const op of ops) {
    const tile = tileOf(op);
    let group = byTile.get(tile);
    if (!group) byTile.set(tile, (group = []));
    group.push(op);
  }
  const edits: EditOp[][] = [];
  for (const group of byTile.values()) {
    for (let i = 0; i < group.length; i += EDIT_LIMITS.opsPerBatch) edits.push(group.slice(i, i + EDIT_LIMITS.opsPerBatch));
  }
  return edits;
}
