import { promisify } from "node:util";
import { constants, gzip } from "node:zlib";
import type { GpuForm, TextureTier } from "@tessera/textures";
import type { TextureTierImage, WorldStore } from "@tessera/store";
import { transcodeKtx2 } from "./gpu-transcode.ts";
import type { LibraryTextures } from "./library-textures.ts";
import { TierCache } from "./tier-cache.ts";

/** zlib's gzip, on its thread pool: never on the relay's thread. */
const gzipped = promisify(gzip);

/** Memory kept for tiers in demand and their compressed forms, bytes: about 500 textures at 128 px, or 30 at 1024. */
export const TIER_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Where a texture's tiers are read: memory first, then the store, then (for a library texture not
 * stored yet) made on the spot. Their compressed forms, and those transcoded for GPUs, share the memory.
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
  read(id: string, tier: TextureTier): Promise<TextureTierImage | undefined> {
    return this.remembered(`${id}/${tier}`, async () => {
      const found = await this.store.textureTier(id, tier);
      return found ?? ((await this.library.provide(id)) ? this.store.textureTier(id, tier) : undefined);
    });
  }

  /** The compressed form (KTX2) of exactly tier `tier` of texture `id`, if it is stored. */
  compressed(id: string, tier: TextureTier): Promise<TextureTierImage | undefined> {
    return this.remembered(`${id}/${tier}.ktx2`, async () => {
      const bytes = await this.store.compressedTier(id, tier);
      return bytes && { tier, bytes };
    });
  }

  /**
   * The compressed form of exactly tier `tier` of texture `id` transcoded to GPU form `form`, if the
   * form is stored: gzipped (GPU blocks made from ETC1S repeat a lot; gzip takes them to half).
   */
  gpuForm(id: string, tier: TextureTier, form: GpuForm): Promise<TextureTierImage | undefined> {
    return this.remembered(`${id}/${tier}.${form}`, async () => {
      const ktx2 = await this.compressed(id, tier);
      return ktx2 && { tier, bytes: await gzipped(await transcodeKtx2(ktx2.bytes, form), { level: constants.Z_BEST_COMPRESSION }) };
    });
  }

  /** What `key` names: from memory, else loaded (and kept, unless there is none). */
  private async remembered(key: string, load: () => Promise<TextureTierImage | undefined>): Promise<TextureTierImage | undefined> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const found = await load();
    if (found) this.cache.set(key, found);
    return found;
  }
}
