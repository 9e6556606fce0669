type Listener = () => void;

/**
 * What a builder has selected: prim ids in the order they were picked, the last one first in
 * line to be the root when they are linked (as in Second Life). Framework-free; the page binds it
 * to React through {@link subscribe} and {@link version}.
 */
export class Selection {
  private picked: number[] = [];
  private readonly listeners = new Set<Listener>();
  private versionValue = 0;

  /** The selected ids, in the order they were picked. */
  get ids(): readonly number[] {
    return this.picked;
  }

  /** Counts up with every change. */
  get version(): number {
    return this.versionValue;
  }

  /** The last picked: the root of a link. */
  get root(): number | undefined {
    return this.picked.at(-1);
  }

  get size(): number {
    return this.picked.length;
  }

  has(id: number): boolean {
    return this.picked.includes(id);
  }

  /** A click: only this prim. */
  select(id: number): void {
    this.replace([id]);
  }

  /** A Shift+click: adds the prim (as the last picked) or, if it is selected, takes it out. */
  toggle(id: number): void {
    this.replace(this.has(id) ? this.picked.filter((picked) => picked !== id) : [...this.picked, id]);
  }

  /** A box drawn around prims: these, or with `add` these as well. */
  pick(ids: readonly number[], add = false): void {
    const kept = add ? this.picked.filter((id) => !ids.includes(id)) : [];
    this.replace([...kept, ...new Set(ids)]);
  }

  /** Escape. */
  clear(): void {
    this.replace([]);
  }

  /** Lets go of prims that are gone (deleted, or out of every joined tile). */
  retain(exists: (id: number) => boolean): void {
    const kept = this.picked.filter(exists);
    if (kept.length !== this.picked.length) this.replace(kept);
  }

  /** Calls `listener` after every change; returns the way to stop. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private replace(ids: number[]): void {
    if (ids.length === this.picked.length && ids.every((id, i) => id === this.picked[i])) return;
    this.picked = ids;
    this.versionValue++;
    for (const listener of this.listeners) listener();
  }
}
