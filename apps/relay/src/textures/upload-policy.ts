import type { WorldStore } from "@tessera/store";
import { Refusal } from "../http/edge.ts";
import { BucketsByKey } from "../tiles/rate-limiter.ts";

/** How much a player may upload, and how fast. */
export interface UploadLimits {
  /** Uploads a player may make at once... */
  burst: number;
  /** ...then this many a second. */
  perSecond: number;
  /** Textures a player may have uploaded in all (the same one twice counts once). */
  quotaCount: number;
  /** Bytes a player may have uploaded in all. */
  quotaBytes: number;
  /** Uploads decoded and made into tiers at once on one relay; the others wait (each may hold 64 MiB of pixels). */
  atOnce: number;
}

/**
 * Five uploads at once, then one every 10 s: a creator dropping in a few pictures is never held up,
 * a script cannot fill the store. 100 textures or 64 MiB per player, whichever comes first.
 */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  burst: 5,
  perSecond: 1 / 10,
  quotaCount: 100,
  quotaBytes: 64 * 1024 * 1024,
  atOnce: 2,
};

/** Whether a player may upload now: their rate (kept in this relay's memory) and their quota (in the store, shared by every relay). */
export class UploadPolicy {
  private readonly buckets: BucketsByKey;
  private readonly store: WorldStore;
  private readonly limits: UploadLimits;

  constructor(store: WorldStore, limits: UploadLimits) {
    this.store = store;
    this.limits = limits;
    this.buckets = new BucketsByKey(limits.perSecond, limits.burst);
  }

  /**
   * Takes one of the player's uploads for `bytes` more, or throws a {@link Refusal}. Two uploads of
   * one player racing on two relays may both pass the quota: the rate limit bounds by how much.
   */
  async admit(player: string, bytes: number, now: number): Promise<void> {
    const { burst, perSecond, quotaCount, quotaBytes } = this.limits;
    if (!this.buckets.take(player, now)) {
      throw new Refusal(429, "rate_limited", `at most ${burst} uploads at once, then one every ${Math.round(1 / perSecond)} s: wait a moment and upload again`);
    }
    const used = await this.store.textureUsage(player);
    if (used.count >= quotaCount) throw new Refusal(403, "quota_exceeded", `you have uploaded ${used.count} textures, the most a player may: use the ones you have`);
    if (used.bytes + bytes > quotaBytes) {
      throw new Refusal(403, "quota_exceeded", `you have uploaded ${used.bytes} bytes of textures; this upload would pass the ${quotaBytes} a player may: use the ones you have, or upload a smaller file`);
    }
  }
}
