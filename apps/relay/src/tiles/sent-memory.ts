import { grown, type MotionTable } from "./motion-table.ts";

/** {@link SentMemory.compare}: the entity was never sent to this client (or its slot changed hands). */
export const NEVER_SENT = -1;
/** {@link SentMemory.compare}: the client last got exactly the entity's current quantised state. */
export const UNCHANGED = 0;
/** {@link SentMemory.compare}: the client last got another state of the entity. */
export const CHANGED = 1;

/**
 * What one client was last sent of each entity of one {@link MotionTable}: the quantised integers,
 * the slot's generation and the tick, in typed arrays parallel to the table's slots.
 */
export class SentMemory {
  private generations = new Uint32Array(0);
  private ticks = new Float64Array(0);
  private words = new Int32Array(0);
  /** Entities never sent count as waiting since this tick. */
  private since = 0;

  /** Forgets everything: each entity counts as never sent, waiting since `tick`. */
  reset(tick: number): void {
    this.generations.fill(0);
    this.since = tick;
  }

  /** Grows to the table's capacity; call before using a table's slots. */
  fit(table: MotionTable): void {
    if (this.generations.length >= table.capacity) return;
    this.generations = grown(this.generations, new Uint32Array(table.capacity));
    this.ticks = grown(this.ticks, new Float64Array(table.capacity));
    this.words = grown(this.words, new Int32Array(table.capacity * table.width));
  }

  /** How the entity in `slot` stands against what this client last got of it. */
  compare(table: MotionTable, slot: number): typeof NEVER_SENT | typeof UNCHANGED | typeof CHANGED {
    if (this.generations[slot] !== table.generations[slot]) return NEVER_SENT;
    const width = table.width;
    const words = table.words;
    for (let w = slot * width, end = w + width; w < end; w++) if (this.words[w] !== words[w]) return CHANGED;
    return UNCHANGED;
  }

  /** The tick the entity was last sent at, or since when it has waited if never. */
  sentAt(table: MotionTable, slot: number): number {
    return this.generations[slot] === table.generations[slot] ? this.ticks[slot]! : this.since;
  }

  /** Remembers that the entity's current state went to this client at `tick`. */
  record(table: MotionTable, slot: number, tick: number): void {
    const width = table.width;
    const words = table.words;
    this.generations[slot] = table.generations[slot]!;
    this.ticks[slot] = tick;
    for (let w = slot * width, end = w + width; w < end; w++) this.words[w] = words[w]!;
  }
}
