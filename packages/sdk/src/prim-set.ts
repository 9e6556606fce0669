import { emptyDiff, isEmptyDiff, sameValue, type Prim, type PrimDiff } from "@tessera/prims";
import type { BodyMotion } from "@tessera/protocol";

export type PrimListener = (diff: PrimDiff) => void;

/** A local edit shown ahead of the relay's word: each prim it touches as it leaves it (`null`: deleted). */
type Layer = Map<number, Prim | null>;

/**
 * The prims a client knows (of every tile it has joined), by id, with a listener for every change
 * as a diff, so that a renderer touches only what changed. Two layers: what the relay said, and
 * over it the client's own edits still waiting for the relay's answer, shown at once; a prim an
 * edit touches is shown as the newest such edit leaves it until the answer comes (then as the
 * relay says: the edit's result, or what it was if refused). Framework-free: the browser's scene
 * and headless bots share it.
 */
export class PrimSet {
  private readonly confirmed = new Map<number, Prim>();
  /** Pending edits, oldest first, by key. */
  private readonly layers = new Map<number, Layer>();
  /** How many pending edits touch each prim: the prims shown from a layer rather than as the relay said. */
  private readonly layered = new Map<number, number>();
  private readonly listeners = new Set<PrimListener>();

  get size(): number {
    let size = this.confirmed.size;
    for (const id of this.layered.keys()) size += (this.confirmed.has(id) ? -1 : 0) + (this.get(id) ? 1 : 0);
    return size;
  }

  /** The prim as shown: the newest pending edit's version, or the relay's. */
  get(id: number): Prim | undefined {
    if (!this.layered.has(id)) return this.confirmed.get(id);
    let shown: Prim | null | undefined;
    for (const layer of this.layers.values()) if (layer.has(id)) shown = layer.get(id);
    return shown ?? undefined;
  }

  /** The prim as the relay last said, pending edits aside. */
  confirmedPrim(id: number): Prim | undefined {
    return this.confirmed.get(id);
  }

  *values(): IterableIterator<Prim> {
    for (const prim of this.confirmed.values()) if (!this.layered.has(prim.id)) yield prim;
    for (const id of this.layered.keys()) {
      const prim = this.get(id);
      if (prim) yield prim;
    }
  }

  /** The prims linked to a root, as shown. */
  childrenOf(rootId: number): Prim[] {
    return [...this.values()].filter((prim) => prim.root === rootId);
  }

  /** Calls `listener` with every change from now on; returns the way to stop. */
  listen(listener: PrimListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds prims, or replaces the ones with the same id (the relay's word). */
  put(prims: readonly Prim[]): void {
    const diff = emptyDiff();
    for (const prim of prims) {
      const before = this.confirmed.get(prim.id);
      this.confirmed.set(prim.id, prim);
      if (this.layered.has(prim.id)) continue;
      if (before) diff.updated.push([before, prim]);
      else diff.added.push(prim);
    }
    this.emit(diff);
  }

  /** Moves physical prims to the poses the relay reports; unknown ids are ignored. */
  move(bodies: readonly BodyMotion[]): void {
    const diff = emptyDiff();
    for (const body of bodies) {
      const before = this.confirmed.get(body.id);
      if (!before) continue;
      const after: Prim = { ...before, position: { x: body.x, y: body.y, z: body.z }, rotation: body.rotation };
      this.confirmed.set(body.id, after);
      if (!this.layered.has(body.id)) diff.updated.push([before, after]);
    }
    this.emit(diff);
  }

  /** Forgets these prims (their tile was left, they went to a tile the client does not watch, or were deleted). */
  remove(ids: Iterable<number>): void {
    const diff = emptyDiff();
    for (const id of ids) {
      const prim = this.confirmed.get(id);
      if (!prim) continue;
      this.confirmed.delete(id);
      if (!this.layered.has(id)) diff.removed.push(prim);
    }
    this.emit(diff);
  }

  /** Shows a local edit's diff at once, under `key`, until {@link settle}. */
  showPending(key: number, diff: Readonly<PrimDiff>): void {
    const layer: Layer = new Map();
    for (const prim of diff.removed) layer.set(prim.id, null);
    for (const [, to] of diff.updated) layer.set(to.id, to);
    for (const prim of diff.added) layer.set(prim.id, prim);
    this.relayer(layer.keys(), () => {
      this.layers.set(key, layer);
      for (const id of layer.keys()) this.layered.set(id, (this.layered.get(id) ?? 0) + 1);
    });
  }

  /** The relay answered the edit under `key`: its prims are shown as the relay (or a newer pending edit) says. */
  settle(key: number): void {
    const layer = this.layers.get(key);
    if (!layer) return;
    this.relayer(layer.keys(), () => {
      this.layers.delete(key);
      for (const id of layer.keys()) {
        const count = this.layered.get(id)! - 1;
        if (count > 0) this.layered.set(id, count);
        else this.layered.delete(id);
      }
    });
  }

  /** Applies `change` to the layers and reports how the prims `ids` look after it against before. */
  private relayer(ids: Iterable<number>, change: () => void): void {
    const before = new Map<number, Prim | undefined>();
    for (const id of ids) before.set(id, this.get(id));
    change();
    const diff = emptyDiff();
    for (const [id, was] of before) {
      const now = this.get(id);
      if (was && now) {
        if (!sameValue(was, now)) diff.updated.push([was, now]);
      } else if (now) diff.added.push(now);
      else if (was) diff.removed.push(was);
    }
    this.emit(diff);
  }

  private emit(diff: PrimDiff): void {
    if (isEmptyDiff(diff)) return;
    for (const listener of this.listeners) listener(diff);
  }
}
