import type { Prim } from "./prim.ts";

/**
 * One change to a set of prims: what came, what changed (before and after), what went. Edits, the
 * relay's replication, the store and undo history all speak it (tldraw's RecordsDiff).
 */
export interface PrimDiff {
  added: Prim[];
  updated: [from: Prim, to: Prim][];
  removed: Prim[];
}

export function emptyDiff(): PrimDiff {
  return { added: [], updated: [], removed: [] };
}

export function isEmptyDiff(diff: Readonly<PrimDiff>): boolean {
  return diff.added.length === 0 && diff.updated.length === 0 && diff.removed.length === 0;
}

/** The diff that undoes `diff`. */
export function reverseDiff(diff: Readonly<PrimDiff>): PrimDiff {
  return { added: [...diff.removed], updated: diff.updated.map(([from, to]) => [to, from]), removed: [...diff.added] };
}

/**
 * Diffs applied one after the other, as one: each prim from where it was before the first to where
 * it is after the last (a prim made and deleted again is not in it at all; one changed back as it
 * was counts as unchanged).
 */
export function squashDiffs(diffs: readonly Readonly<PrimDiff>[]): PrimDiff {
  // Per prim id: before the first diff (undefined: it did not exist) and after the last.
  const spans = new Map<number, { before: Prim | undefined; after: Prim | undefined }>();
  const see = (id: number, before: Prim | undefined, after: Prim | undefined) => {
    const span = spans.get(id);
    if (span) span.after = after;
    else spans.set(id, { before, after });
  };
  for (const diff of diffs) {
    for (const prim of diff.added) see(prim.id, undefined, prim);
    for (const [from, to] of diff.updated) see(from.id, from, to);
    for (const prim of diff.removed) see(prim.id, prim, undefined);
  }
  const squashed = emptyDiff();
  for (const { before, after } of spans.values()) {
    if (before && after) {
      if (!sameValue(before, after)) squashed.updated.push([before, after]);
    } else if (after) squashed.added.push(after);
    else if (before) squashed.removed.push(before);
  }
  return squashed;
}

/** Deep equality of plain data (numbers, strings, booleans, arrays, plain objects), as prims and their fields are. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** Applies `diff` to prims by id, in place. */
export function applyDiff(prims: Map<number, Prim>, diff: Readonly<PrimDiff>): void {
  for (const prim of diff.removed) prims.delete(prim.id);
  for (const [, to] of diff.updated) prims.set(to.id, to);
  for (const prim of diff.added) prims.set(prim.id, prim);
}
