import type { Prim } from "@tessera/prims";
import { pastLargestId } from "./records.ts";
import type { EditRecord } from "./world-store.ts";

/** A prim as a group of edits leaves it. */
export interface FoldedPut {
  tile: string;
  prim: Prim;
  /** The log seq of the edit that deleted it after its last put, or null while it is live. */
  deletedSeq: number | null;
}

/**
 * What a group of edits, applied one after the other, leaves behind, so that an engine can write it
 * with one statement per table rather than a few per edit.
 */
export interface FoldedEdits {
  /** Every prim some edit put, as the last put left it. */
  put: FoldedPut[];
  /** Prims deleted but never put in the group, each with the seq of its first deletion (a live prim becomes a tombstone then). */
  deleted: { id: number; seq: number }[];
  /** The id counter must be at least this. */
  nextId: number;
}

/** Folds `edits` (puts before deletes within each, as `commit` applies them); `seqs[i]` is edit i's log seq. */
export function foldEdits(edits: readonly EditRecord[], seqs: readonly number[]): FoldedEdits {
  const put = new Map<number, FoldedPut>();
  const deleted = new Map<number, number>();
  let nextId = 0;
  edits.forEach((edit, index) => {
    for (const { tile, prim } of edit.put) {
      put.set(prim.id, { tile, prim, deletedSeq: null });
      deleted.delete(prim.id);
    }
    for (const id of edit.deleted) {
      const written = put.get(id);
      // A tombstone keeps the seq of its first deletion, as a second delete changes nothing.
      if (written) written.deletedSeq ??= seqs[index]!;
      else if (!deleted.has(id)) deleted.set(id, seqs[index]!);
    }
    nextId = Math.max(nextId, pastLargestId(edit.put));
  });
  return { put: [...put.values()], deleted: [...deleted].map(([id, seq]) => ({ id, seq })), nextId };
}
