import type { Prim, Vec3 } from "@tessera/prims";
import type { WorldClient } from "@tessera/sdk";
import { summarize, type Summary } from "./summary.ts";

/** A prim at a position, on the 1 mm grid both ends share. */
const key = (id: number, { x, y, z }: Vec3) => `${id}@${Math.round(x * 1000)},${Math.round(y * 1000)},${Math.round(z * 1000)}`;

/**
 * Times edits from the moment `edit()` is called to the moment another client (the observer)
 * shows the change: its PrimSet reports the prim, by id, at the position the edit gave it.
 */
export class VisibilityProbe {
  /** When each awaited change was sent, by prim and position. */
  private readonly awaited = new Map<string, number>();
  private readonly delays: number[] = [];
  private readonly unlisten: () => void;

  constructor(observer: WorldClient) {
    this.unlisten = observer.prims.listen((diff) => {
      const now = performance.now();
      for (const [, prim] of diff.updated) this.seen(prim, now);
      for (const prim of diff.added) this.seen(prim, now);
    });
  }

  /** An edit sent at `sentAt` moves prim `id` to `position`. */
  expect(id: number, position: Vec3, sentAt: number): void {
    this.awaited.set(key(id, position), sentAt);
  }

  /** That edit was refused: nothing will show. */
  forget(id: number, position: Vec3): void {
    this.awaited.delete(key(id, position));
  }

  /** Changes sent and not shown yet. */
  get waiting(): number {
    return this.awaited.size;
  }

  /** The delays so far, and how many changes never showed; stops listening. */
  finish(): { visibleMs: Summary; unseen: number } {
    this.unlisten();
    return { visibleMs: summarize(this.delays), unseen: this.awaited.size };
  }

  private seen(prim: Prim, now: number): void {
    const k = key(prim.id, prim.position);
    const sentAt = this.awaited.get(k);
    if (sentAt === undefined) return;
    this.awaited.delete(k);
    this.delays.push(now - sentAt);
  }
}
