import { TokenBucket } from "@tessera/protocol";

/** Keys a {@link BucketsByKey} holds before it sweeps out the buckets that have refilled. */
const SWEEP_AT = 10_000;

/**
 * A token bucket per key (a client address): bounded memory however many keys come, since a bucket
 * that has refilled to its burst is the same as none and is swept out once there are many.
 */
export class BucketsByKey {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly perSecond: number;
  private readonly burst: number;

  constructor(perSecond: number, burst: number) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** Takes one token from `key`'s bucket; false when it is empty. */
  take(key: string, now: number): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now);
      bucket = new TokenBucket(this.perSecond, this.burst, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.full(now)) this.buckets.delete(key);
  }
}
