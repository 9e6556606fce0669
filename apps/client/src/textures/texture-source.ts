import type { WebGLRenderer } from "three";
import { COMPRESSED_TIERS, FLOOR_TIER, TEXTURE_TIERS, TexturePlanner, textureUrl, type TextureJob, type TextureTier } from "@tessera/textures";
import { CompressedFetcher } from "./compressed-fetcher.ts";
import { TIER_ARRAYS, TierArrays, layerBytes, type TextureSlot, type TierImage } from "./tier-arrays.ts";
import { TierFetcher } from "./tier-fetcher.ts";

/** Where {@link PrimBatches} gets textures: what is on the GPU now, and what its faces want. */
export interface Textures {
  /** Counts changes of where textures are: a new value means {@link slot} may answer differently. */
  readonly version: number;
  /** Where a texture's best tier on the GPU is, or undefined while none is (the face shows its colour). */
  slot(id: string): TextureSlot | undefined;
  /** Starts a pass over the textured faces. */
  beginPass(): void;
  /** A face shows texture `id`, wants `tier`, covers `priority` px on screen, and is in view or not. */
  see(id: string, tier: TextureTier, priority: number, visible: boolean): void;
}

/** What the texture streaming has done and holds: the F3 overlay's and `__world.textures()`'s figures. */
export interface TextureStats {
  /** Bytes of tier images fetched since the page opened, and how many images. */
  bytesFetched: number;
  fetched: number;
  /** Textures on the GPU by the best tier each holds, and how many of those tiers are GPU-compressed. */
  tiers: Record<TextureTier, number>;
  compressed: number;
  /** GPU bytes the texture arrays take (allocated layers) and the bytes of the layers in use, against the budget. */
  gpuBytes: number;
  usedBytes: number;
  budgetBytes: number;
  /** Textures waiting for a better tier, and fetches under way. */
  queued: number;
  inFlight: number;
  failed: number;
}

export interface TextureSourceOptions {
  budgetBytes: number;
  /** Fetches under way at most. */
  concurrency?: number;
  /** Whether to fetch the GPU-compressed form of large tiers where the GPU reads it, once half the budget is in use (default true). */
  compressed?: boolean;
}

/**
 * Texels copied to the GPU per frame at most, mipmaps aside: one 512 px tier, or a few hundred floor
 * tiers; a 1024 px tier alone. At least one upload a frame.
 */
const TEXELS_PER_FRAME = 512 * 512;
export const DEFAULT_TEXTURE_BUDGET_BYTES = 192 * 1024 * 1024;

/**
 * Share of the budget in use above which large tiers come GPU-compressed. A compressed tier takes an
 * eighth of the GPU memory but about two and a half times the bytes of its WebP image (measured:
 * 512 px, 80 against 30 kB): while memory is plenty, fewer bytes win; once it runs short, sharper
 * textures for all win.
 */
export const COMPRESS_ABOVE = 0.5;

/** A tier fetched and ready for the GPU, and the bytes its response carried. */
interface Fetched {
  image: TierImage;
  bytes: number;
}

/** Lets go of a fetched tier's images. */
function closeAll({ image }: Fetched): void {
  if (image.kind === "rgba") for (const level of image.levels) level.close();
}

/** What a texture's faces wanted in a pass: the largest tier and size on screen, and whether any was in view. */
interface Sighting {
  tier: TextureTier;
  priority: number;
  visible: boolean;
  pass: number;
}

interface Held {
  /** The floor tier, kept while anything is held so that a drop is instant and never blank. */
  floor?: TextureSlot;
  /** A better tier, and its size as served (a small texture's best tier may be below the one asked for). */
  top?: TextureSlot;
  topTier?: TextureTier;
}

/**
 * Progressive textures for the prim batches: every face starts on its colour, gets its texture's
 * floor tier (32 px) first, then the tier its size on screen calls for. A {@link TexturePlanner}
 * orders the fetches (in view and large first, a few at a time) and keeps GPU memory within the
 * budget by dropping the least recently seen textures back to their floor; {@link TierFetcher}
 * fetches and decodes in workers; {@link CompressedFetcher} fetches the large tiers' GPU-compressed
 * form where the GPU reads it, once memory runs short ({@link COMPRESS_ABOVE}); {@link TierArrays} holds
 * the pixels in one array per tier size and form.
 * Call {@link update} once per frame, before rendering.
 */
export class TextureSource implements Textures {
  private readonly planner: TexturePlanner;
  private readonly arrays: TierArrays;
  private readonly fetcher = new TierFetcher();
  /** The compressed tiers' fetcher: undefined until the renderer is known, null where the GPU has none (or it is turned off). */
  private compressed: CompressedFetcher | null | undefined;
  /** Textures with no compressed form (see-through), or whose compressed form failed: fetched as WebP only. */
  private readonly plainOnly = new Set<string>();
  private readonly held = new Map<string, Held>();
  /** This pass's sightings by texture, handed to the planner whole when the pass ends. */
  private readonly sightings = new Map<string, Sighting>();
  private passes = 0;
  private readonly arrived: { job: TextureJob; tier: Fetched }[] = [];
  private readonly counts = { bytesFetched: 0, fetched: 0, failed: 0 };
  private readonly budgetBytes: number;
  private versionValue = 0;
  private disposed = false;

  constructor(options: TextureSourceOptions) {
    this.budgetBytes = options.budgetBytes;
    if (options.compressed === false) this.compressed = null;
    this.arrays = new TierArrays(options.budgetBytes, (from, to) => this.moved(from, to));
    this.planner = new TexturePlanner({ budgetBytes: options.budgetBytes, concurrency: options.concurrency ?? 4 });
  }

  /** The tier arrays' uniforms, bound by the prim materials. */
  get uniforms(): TierArrays["uniforms"] {
    return this.arrays.uniforms;
  }

  get version(): number {
    return this.versionValue;
  }

  slot(id: string): TextureSlot | undefined {
    const held = this.held.get(id);
    return held?.top ?? held?.floor;
  }

  /**
   * Ends the pass over the faces and starts the next: the planner plans from whole passes only, so
   * that a texture whose faces the sweep has not reached yet in this pass is not taken for unseen.
   */
  beginPass(): void {
    this.planner.beginPass();
    for (const [id, sighting] of this.sightings) {
      if (sighting.pass === this.passes) this.planner.see(id, sighting.tier, sighting.priority, sighting.visible);
      else this.sightings.delete(id);
    }
    this.passes++;
  }

  see(id: string, tier: TextureTier, priority: number, visible: boolean): void {
    const sighting = this.sightings.get(id);
    if (!sighting) this.sightings.set(id, { tier, priority, visible, pass: this.passes });
    else if (sighting.pass !== this.passes) Object.assign(sighting, { tier, priority, visible, pass: this.passes });
    else {
      if (tier > sighting.tier) sighting.tier = tier;
      if (priority > sighting.priority) sighting.priority = priority;
      sighting.visible ||= visible;
    }
  }

  /** Once per frame: copies arrived tiers to the GPU, lets go of dropped ones, starts the next fetches. */
  update(renderer: WebGLRenderer): void {
    if (this.compressed === undefined) this.compressed = CompressedFetcher.for(renderer) ?? null;
    for (let texels = 0; texels < TEXELS_PER_FRAME && this.arrived.length > 0; ) {
      const next = this.arrived.shift()!;
      texels += next.tier.image.levels[0]!.width ** 2;
      this.place(renderer, next);
    }
    const { start, drop } = this.planner.plan();
    for (const { id, tier } of drop) this.drop(id, tier);
    for (const job of start) this.fetch(job);
  }

  /** The best tier each texture holds now, and whether it is GPU-compressed. */
  list(): { id: string; tier: TextureTier; compressed: boolean }[] {
    const out: { id: string; tier: TextureTier; compressed: boolean }[] = [];
    for (const [id, held] of this.held) {
      const tier = held.topTier ?? (held.floor ? FLOOR_TIER : undefined);
      if (tier) out.push({ id, tier, compressed: held.top !== undefined && TIER_ARRAYS[held.top.array]!.compressed });
    }
    return out;
  }

  get stats(): TextureStats {
    const tiers = Object.fromEntries(TEXTURE_TIERS.map((tier) => [tier, 0])) as Record<TextureTier, number>;
    let compressed = 0;
    for (const texture of this.list()) {
      tiers[texture.tier]++;
      if (texture.compressed) compressed++;
    }
    const planned = this.planner.stats;
    return {
      ...this.counts,
      tiers,
      compressed,
      gpuBytes: this.arrays.allocatedBytes,
      usedBytes: planned.usedBytes,
      budgetBytes: this.budgetBytes,
      queued: planned.queued,
      inFlight: planned.inFlight,
    };
  }

  dispose(): void {
    this.disposed = true;
    this.fetcher.dispose();
    for (const { tier } of this.arrived) closeAll(tier);
    this.arrived.length = 0;
    this.arrays.dispose();
    this.held.clear();
  }

  private fetch(job: TextureJob): void {
    const scarce = () => this.planner.stats.usedBytes > this.budgetBytes * COMPRESS_ABOVE;
    const compressed = this.compressed && COMPRESSED_TIERS.includes(job.tier) && !this.plainOnly.has(job.id) && scarce() ? this.compressed : undefined;
    (compressed ? this.fetchCompressed(compressed, job) : this.fetchPlain(job)).then(
      (tier) => {
        if (this.disposed) return closeAll(tier);
        this.counts.bytesFetched += tier.bytes;
        this.counts.fetched++;
        this.arrived.push({ job, tier });
      },
      () => {
        if (this.disposed) return;
        this.counts.failed++;
        this.planner.failed(job);
      },
    );
  }

  private async fetchPlain(job: TextureJob): Promise<Fetched> {
    const { levels, bytes } = await this.fetcher.fetch(textureUrl(job.id, job.tier));
    return { image: { kind: "rgba", levels }, bytes };
  }

  /** The compressed form, or the WebP tier where there is none (yet): a texture that has none, or whose form fails, is not asked for it again. */
  private async fetchCompressed(fetcher: CompressedFetcher, job: TextureJob): Promise<Fetched> {
    try {
      const tier = await fetcher.fetch(job.id, job.tier);
      if (!("missing" in tier)) return { image: { kind: "compressed", levels: tier.levels, format: tier.format }, bytes: tier.bytes };
      if (tier.missing === "never") this.plainOnly.add(job.id);
    } catch {
      this.plainOnly.add(job.id);
    }
    return this.fetchPlain(job);
  }

  /** Puts an arrived tier on the GPU; the face switches to it in the same frame, so it never shows a blank. */
  private place(renderer: WebGLRenderer, { job, tier }: { job: TextureJob; tier: Fetched }): void {
    const served = tier.image.levels[0]!.width as TextureTier;
    let slot: TextureSlot | undefined;
    try {
      slot = this.arrays.upload(renderer, tier.image);
    } catch {
      slot = undefined;
    } finally {
      closeAll(tier);
    }
    // Not a tier size, or no room left in the budget for its array (layers of other sizes lie free): tried again later.
    if (!slot) {
      this.counts.failed++;
      this.planner.failed(job);
      return;
    }
    let held = this.held.get(job.id);
    if (!held) this.held.set(job.id, (held = {}));
    if (job.tier === FLOOR_TIER) {
      if (held.floor) this.arrays.release(held.floor);
      held.floor = slot;
    } else {
      if (held.top) this.arrays.release(held.top);
      held.top = slot;
      held.topTier = served;
    }
    this.planner.loaded(job, layerBytes(slot.array));
    this.versionValue++;
  }

  /** A layer moved when its array shrank: the texture on it follows. */
  private moved(from: TextureSlot, to: TextureSlot): void {
    for (const held of this.held.values()) {
      for (const key of ["floor", "top"] as const) {
        const slot = held[key];
        if (slot && slot.array === from.array && slot.layer === from.layer) held[key] = to;
      }
    }
    this.versionValue++;
  }

  private drop(id: string, tier: TextureTier | 0): void {
    const held = this.held.get(id);
    if (!held) return;
    if (held.top) this.arrays.release(held.top);
    delete held.top;
    delete held.topTier;
    if (tier === 0) {
      if (held.floor) this.arrays.release(held.floor);
      this.held.delete(id);
    }
    this.versionValue++;
  }
}
