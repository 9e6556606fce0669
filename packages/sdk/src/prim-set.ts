import type { Prim } from "@tessera/prims";
import type { BodyMotion } from "@tessera/protocol";

/** One change to a {@link PrimSet}: what came, what changed (before and after), what went. */
export interface PrimDiff {
  added: Prim[];
  updated: [from: Prim, to: Prim][];
  removed: Prim[];
}

export type PrimListener = (diff: PrimDiff) => void;

const isEmpty = (diff: PrimDiff) => diff.added.length === 0 && diff.updated.length === 0 && diff.removed.length === 0;

/**
 * The prims a client knows (of every tile it has joined), by id, with a listener for every change as a diff, so that a renderer
 * touches only what changed. Framework-free: the browser's scene and headless bots share it.
 */
export class PrimSet {
  private readonly byId = new Map<number, Prim>();
  private readonly listeners = new Set<PrimListener>();
  get size(): number {
    return this.byId.size;
  }

  get(id: number): Prim | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<Prim> {
    return this.byId.values();
  }

  /** Calls `listener` with every change from now on; returns the way to stop. */
  listen(listener: PrimListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds prims, or replaces the ones with the same id. */
  put(prims: readonly Prim[]): void {
    const diff: PrimDiff = { added: [], updated: [], removed: [] };
    for (const prim of prims) {
      const before = this.byId.get(prim.id);
      this.byId.set(prim.id, prim);
      if (before) diff.updated.push([before, prim]);
      else diff.added.push(prim);
    }
    this.emit(diff);
  }

  /** Moves physical prims to the poses the relay reports; unknown ids are ignored. */
  move(bodies: readonly BodyMotion[]): void {
    const diff: PrimDiff = { added: [], updated: [], removed: [] };
    for (const body of bodies) {
      const before = this.byId.get(body.id);
      if (!before) continue;
      const after: Prim = { ...before, position: { x: body.x, y: body.y, z: body.z }, rotation: body.rotation };
      this.byId.set(body.id, after);
      diff.updated.push([before, after]);
    }
    this.emit(diff);
  }

  /** Forgets these prims (their tile was left, or they went to a tile the client does not watch). */
  remove(ids: Iterable<number>): void {
    const diff: PrimDiff = { added: [], updated: [], removed: [] };
    for (const id of ids) {
      const prim = this.byId.get(id);
      if (!prim) continue;
      this.byId.delete(id);
      diff.removed.push(prim);
    }
    this.emit(diff);
  }

  private emit(diff: PrimDiff): void {
    if (isEmpty(diff)) return;
    for (const listener of this.listeners) listener(diff);
  }
}
