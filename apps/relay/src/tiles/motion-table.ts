/**
 * The entities of one kind that snapshots carry (avatars, or bodies), one slot each: its key on the
 * wire (net id or prim id), its state quantised exactly as the wire carries it (`width` integers),
 * and its position in metres for distances. Typed arrays, grown by doubling, read directly by the
 * scheduler. A slot taken again gets a new generation, so that what a client was sent of the
 * entity that had it never counts for the new one.
 */
export class MotionTable {
  /** Quantised integers per entity. */
  readonly width: number;
  capacity = 0;
  keys = new Uint32Array(0);
  /** Generation of each slot's entity; 0 is never used. */
  generations = new Uint32Array(0);
  /** `width` integers per slot. */
  words = new Int32Array(0);
  /** x, y, z per slot, metres. */
  positions = new Float64Array(0);
  /** The slots in use, in the first {@link size} places. */
  active = new Int32Array(0);
  size = 0;
  private activeIndex = new Int32Array(0);
  private readonly free: number[] = [];
  private nextGeneration = 1;

  constructor(width: number) {
    this.width = width;
  }

  /** Takes a slot for a new entity; its state is zero until set. */
  add(key: number): number {
    if (this.free.length === 0) this.grow();
    const slot = this.free.pop()!;
    this.keys[slot] = key;
    this.generations[slot] = this.nextGeneration++;
    this.words.fill(0, slot * this.width, (slot + 1) * this.width);
    this.positions.fill(0, slot * 3, slot * 3 + 3);
    this.activeIndex[slot] = this.size;
    this.active[this.size++] = slot;
    return slot;
  }

  /** Frees a slot. */
  remove(slot: number): void {
    const at = this.activeIndex[slot]!;
    if (at < 0) throw new Error(`slot ${slot} is not in use`);
    const last = this.active[--this.size]!;
    this.active[at] = last;
    this.activeIndex[last] = at;
    this.activeIndex[slot] = -1;
    this.generations[slot] = 0;
    this.free.push(slot);
  }

  /** Sets a slot's position, metres. */
  place(slot: number, x: number, y: number, z: number): void {
    const p = slot * 3;
    this.positions[p] = x;
    this.positions[p + 1] = y;
    this.positions[p + 2] = z;
  }

  private grow(): void {
    const old = this.capacity;
    const capacity = Math.max(16, old * 2);
    this.keys = grown(this.keys, new Uint32Array(capacity));
    this.generations = grown(this.generations, new Uint32Array(capacity));
    this.words = grown(this.words, new Int32Array(capacity * this.width));
    this.positions = grown(this.positions, new Float64Array(capacity * 3));
    this.active = grown(this.active, new Int32Array(capacity));
    this.activeIndex = grown(this.activeIndex, new Int32Array(capacity).fill(-1));
    this.capacity = capacity;
    // Lowest slots first.
    for (let slot = capacity - 1; slot >= old; slot--) this.free.push(slot);
  }
}

/** `into`, holding `from` at its start. */
export function grown<T extends Uint32Array | Int32Array | Float64Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
