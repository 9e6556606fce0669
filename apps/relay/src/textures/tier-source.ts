import type { TextureTier } from "@tessera/textures";
import type { TextureTierImage, WorldStore } from "@tessera/store";
import type { LibraryTextures } from "./library-textures.ts";
import { TierCache } from "./tier-cache.ts";

/** Memory kept for tiers in demand, bytes: about 500 textures at 128 px, or 30 at 1024. */
export const TIER_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Where a texture's tiers are read: memory first, then the store, then (for a library texture not
 * stored yet) made on the spot.
 */
export class TierSource {
  private readonly cache: TierCache;
  private readonly store: WorldStore;
  private readonly library: LibraryTextures;

  constructor(store: WorldStore, library: LibraryTextures, cacheBytes = TIER_CACHE_BYTES) {
    this.store = store;
    this.library = library;
    this.cache = new TierCache(cacheBytes);
  }

  /** The largest stored tier of texture `id` up to `tier`, else its smallest; undefined for a texture no one has. */
  async read(id: string, tier: TextureTier): Promise<TextureTierImage | undefined> {
    const key = `${id}/${tier}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    let found = await this.store.textureTier(id, tier);
    if (!found && (await this.library.provide(id))) found = await this.store.textureTier(id, tier);
    if (found) this.cache.set(key, found);
    return found;
  }
}
