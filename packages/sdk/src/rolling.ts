/** The last `capacity` numbers, for percentiles over a recent window. */
export class RollingSamples {
  private readonly values: Float64Array;
  private next = 0;
  private count = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  add(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    this.count = Math.min(this.count + 1, this.values.length);
  }

  get size(): number {
    return this.count;
  }

  /** The p-th percentile (0-100) of the window; 0 when empty. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const sorted = this.values.slice(0, this.count).sort();
    return sorted[Math.min(this.count - 1, Math.max(0, Math.ceil((p / 100) * this.count) - 1))]!;
  }
}

/** A running total over the last `windowMs`, in one-second buckets: bytes per second, events per minute. */
export class RollingRate {
  private readonly buckets: Float64Array;
  private readonly bucketMs: number;
  private current = 0;
  private currentStart: number;

  constructor(windowMs: number, now: number, buckets = Math.max(1, Math.round(windowMs / 1000))) {
    this.buckets = new Float64Array(buckets);
    this.bucketMs = windowMs / buckets;
    this.currentStart = now;
  }

  add(amount: number, now: number): void {
    this.roll(now);
    this.buckets[this.current]! += amount;
  }

  /** The total over the window ending now. */
  total(now: number): number {
    this.roll(now);
    let sum = 0;
    for (const value of this.buckets) sum += value;
    return sum;
  }

  private roll(now: number): void {
    // Empty every bucket the clock has passed since the last call.
    for (let passed = 0; now - this.currentStart >= this.bucketMs && passed <= this.buckets.length; passed++) {
      this.current = (this.current + 1) % this.buckets.length;
      this.buckets[this.current] = 0;
      this.currentStart += this.bucketMs;
    }
    if (now - this.currentStart >= this.bucketMs) this.currentStart = now;
  }
}
