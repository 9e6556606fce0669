import type { WorldStore } from "@tessera/store";

/** Ids taken from the store at a time. */
const BLOCK = 1024;
/** A new block is asked for when fewer than this many are left. */
const LOW_WATER = 256;

/**
 * Fresh prim ids for this process's tiles, at hand without a wait: blocks of them are taken from the
 * store (unique across every relay sharing it) ahead of need. Ids of a block the process never used
 * are never used (gaps are fine; ids are not reused).
 */
export class PrimIdPool {
  private next = 0;
  private end = 0;
  /** Blocks taken and not yet drawn from. */
  private readonly spare: number[] = [];
  private refilling: Promise<void> | undefined;
  private readonly store: WorldStore;
  private readonly onError: (error: Error) => void;

  constructor(store: WorldStore, onError: (error: Error) => void) {
    this.store = store;
    this.onError = onError;
  }

  /** Fills the pool before the first tile opens. */
  async start(): Promise<void> {
    await this.refill();
  }

  /** A fresh id, or undefined when the pool ran dry (the store is slow or away): refused, try again. */
  take(): number | undefined {
    if (this.next === this.end) {
      const first = this.spare.shift();
      if (first !== undefined) {
        this.next = first;
        this.end = first + BLOCK;
      }
    }
    if (this.end - this.next + this.spare.length * BLOCK < LOW_WATER) void this.refill().catch(this.onError);
    return this.next < this.end ? this.next++ : undefined;
  }

  private refill(): Promise<void> {
    this.refilling ??= this.store
      .allocatePrimIds(BLOCK)
      .then((first: number) => {
        this.spare.push(first);
      })
      .finally(() => {
        this.refilling = undefined;
      });
    return this.refilling;
  }
}
