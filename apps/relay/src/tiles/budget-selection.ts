/**
 * Candidates (an integer key, a priority and a size in bytes each) from which to pick the
 * highest-priority ones that fit in a byte budget, in expected O(n): a quickselect that weighs each
 * side of the pivot by its bytes instead of sorting. Its typed arrays are reused from one selection
 * to the next and only grow.
 */
export class BudgetSelection {
  private keys = new Int32Array(64);
  private priorities = new Float64Array(64);
  private sizes = new Int32Array(64);
  private total = 0;
  /** xorshift32 state for pivots: no input order makes the selection quadratic. */
  private seed = 0x9e3779b9;
  /** Candidates pushed since the last {@link clear}. */
  count = 0;

  clear(): void {
    this.count = 0;
    this.total = 0;
  }

  push(key: number, priority: number, bytes: number): void {
    if (this.count === this.keys.length) this.grow();
    const i = this.count++;
    this.keys[i] = key;
    this.priorities[i] = priority;
    this.sizes[i] = bytes;
    this.total += bytes;
  }

  /** The key at position `i`; after {@link select}, positions below its result are the chosen ones. */
  key(i: number): number {
    return this.keys[i]!;
  }

  /**
   * Reorders the candidates so that the first k of them are the highest-priority ones whose sizes
   * add up to at most `budget` (taken in priority order, stopping at the first that does not fit),
   * and returns k.
   */
  select(budget: number): number {
    const { priorities, sizes } = this;
    let lo = 0;
    let hi = this.count;
    let room = budget;
    // Bytes of the candidates in [lo, hi): everything left of lo is taken, right of hi is not.
    let left = this.total;
    while (lo < hi) {
      if (left <= room) return hi;
      const pivot = priorities[lo + (this.random() % (hi - lo))]!;
      // Three-way partition, highest first: [lo, above) > pivot, [above, below) = pivot, [below, hi) < pivot.
      let above = lo;
      let i = lo;
      let below = hi;
      let aboveBytes = 0;
      let equalBytes = 0;
      while (i < below) {
        const priority = priorities[i]!;
        if (priority > pivot) {
          aboveBytes += sizes[i]!;
          this.swap(i++, above++);
        } else if (priority < pivot) {
          this.swap(i, --below);
        } else {
          equalBytes += sizes[i++]!;
        }
      }
      if (aboveBytes > room) {
        // The cut lies among the higher ones (fewer than before: the pivot is not among them).
        hi = above;
        left = aboveBytes;
        continue;
      }
      room -= aboveBytes;
      for (lo = above; lo < below; lo++) {
        if (sizes[lo]! > room) return lo;
        room -= sizes[lo]!;
      }
      left -= aboveBytes + equalBytes;
    }
    return lo;
  }

  private swap(a: number, b: number): void {
    const { keys, priorities, sizes } = this;
    const key = keys[a]!;
    keys[a] = keys[b]!;
    keys[b] = key;
    const priority = priorities[a]!;
    priorities[a] = priorities[b]!;
    priorities[b] = priority;
    const size = sizes[a]!;
    sizes[a] = sizes[b]!;
    sizes[b] = size;
  }

  private random(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  private grow(): void {
    const capacity = this.keys.length * 2;
    const keys = new Int32Array(capacity);
    keys.set(this.keys);
    const priorities = new Float64Array(capacity);
    priorities.set(this.priorities);
    const sizes = new Int32Array(capacity);
    sizes.set(this.sizes);
    this.keys = keys;
    this.priorities = priorities;
    this.sizes = sizes;
  }
}
