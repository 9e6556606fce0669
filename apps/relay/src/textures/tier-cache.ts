import type { TextureTierImage } from "@tessera/store";

/**
 * Tiers in memory, least recently used out first, bounded in bytes: a tier never changes once
 * stored, so a copy never goes stale. Keyed by the tier asked for: two keys may hold the same bytes
 * (a small texture asked for at 512 and at 1024 px), counted twice, which only errs on the safe side.
 */
export class TierCache {
  private readonly entries = new Map<string, TextureTierImage>();
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** The tier kept under `key`, now the most recently used. */
  get(key: string): TextureTierImage | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Keeps `entry` under `key`, letting go of the least recently used until the bytes fit. */
  set(key: string, entry: TextureTierImage): void {
    if (entry.bytes.length > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) this.bytes -= old.bytes.length;
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.bytes += entry.bytes.length;
    for (const [oldest, { bytes }] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= bytes.length;
    }
  }

  /** Bytes held now. */
  get size(): number {
    return this.bytes;
  }
}
