import { FLOOR_TIER, TEXTURE_TIERS, tierBytes, type TextureTier } from "./tiers.ts";

/** Passes a failed fetch waits before it is tried again, unless told otherwise. */
export const RETRY_AFTER_PASSES = 30;
/** Failures in a row after which a texture is not fetched again. */
export const MAX_FAILURES = 3;

export interface PlannerOptions {
  /** GPU bytes the resident tiers, and those being fetched, may take together. */
  budgetBytes: number;
  /** Most fetches in flight at once. */
  concurrency: number;
  /** Passes after which a failed fetch is tried again ({@link RETRY_AFTER_PASSES} unless told). */
  retryAfterPasses?: number;
}

/** A fetch of one tier of one texture. */
export interface TextureJob {
  id: string;
  tier: TextureTier;
}

/** What {@link TexturePlanner.plan} asks of the client: drop these first, then start these fetches. */
export interface TexturePlan {
  /** Fetches to start, best first. */
  start: TextureJob[];
  /** Textures to cut down before starting: each now keeps only `tier` (FLOOR_TIER), or nothing (0). */
  drop: { id: string; tier: TextureTier | 0 }[];
}

export interface PlannerStats {
  /** Bytes of the resident tiers plus those reserved for fetches in flight. */
  usedBytes: number;
  budgetBytes: number;
  /** How many textures hold each tier. */
  tiers: Record<TextureTier, number>;
  /** Textures that want a fetch but wait for a free slot (or for memory). */
  queued: number;
  /** Fetches started and not yet ended. */
  inFlight: number;
  /** Textures the planner keeps track of. */
  textures: number;
}

/** What the planner knows of one texture. */
interface Entry {
  readonly id: string;
  /** Order of first sighting: the last tie-break, so that plans are deterministic. */
  readonly order: number;
  resident: TextureTier | 0;
  /** GPU bytes of the resident tier above the floor, as the client reported them (0 for none). */
  topBytes: number;
  /** Tier being fetched (its bytes are reserved), 0 for none. */
  fetching: TextureTier | 0;
  /** Largest tier wanted and largest priority in the last pass it was in (`touched`). */
  want: TextureTier;
  priority: number;
  /** Last pass in which any face showed it, and last one in which a visible face did (-1: never). */
  touched: number;
  seen: number;
  /** Failures in a row, and the pass from which it may be tried again. */
  failures: number;
  retryAt: number;
}

/**
 * GPU bytes a texture holds: the client keeps the floor tier under any better one (so that cutting
 * a texture down to its floor is instant and never shows a blank face), and the better tier takes
 * what the client reported (less than its RGBA8 size when it came GPU-compressed, or smaller).
 */
const heldBytes = (entry: Entry): number => (entry.resident === 0 ? 0 : tierBytes(FLOOR_TIER) + (entry.resident > FLOOR_TIER ? entry.topBytes : 0));

/** A fetch the plan is fitting into memory. */
interface Fetch {
  entry: Entry;
  visible: boolean;
}

/**
 * Decides which texture tiers to fetch next and what to drop to stay within a GPU memory budget.
 * Pure: the client sweeps its textured faces every few frames ({@link beginPass}, then {@link see}
 * for each face), asks for a {@link plan} after the sweep (and again whenever a fetch ends), does
 * the fetches and the drops, and reports how each fetch ended.
 *
 * - A texture with nothing resident is fetched at FLOOR_TIER first (every face shows something
 *   fast), afterwards directly at the tier it wants.
 * - Fetch order: visible before not visible; then blank before blurry (floor fetches before
 *   upgrades); then larger on screen (priority) first. Textures no face showed in the current pass
 *   are not fetched.
 * - Memory: resident tiers (a texture holding a better tier also keeps its floor), counted at the
 *   bytes the client reports for each, plus those in flight (reserved at their RGBA8 size when
 *   started) never exceed the budget.
 *   When a fetch does not fit, the least recently seen textures are cut down to FLOOR_TIER first
 *   (seen visible in an older pass first; among equals the lowest priority), then, if that is not
 *   enough, those not seen this pass lose their floor tier too. A texture shown this pass is never
 *   dropped for a fetch that matters less or as much (visible beats not visible, then priority):
 *   nothing important is dropped for something less so, and two textures never take turns evicting
 *   each other. If the fetch still does not fit, the highest lower tier that fits is fetched instead,
 *   or nothing. A texture holding more than it now wants keeps it until memory is needed.
 * - A failed fetch waits `retryAfterPasses` passes; after {@link MAX_FAILURES} failures in a row the
 *   texture is not fetched again.
 */
export class TexturePlanner {
  private readonly budgetBytes: number;
  private readonly concurrency: number;
  private readonly retryAfterPasses: number;
  private readonly entries = new Map<string, Entry>();
  private pass = 0;
  private sightings = 0;
  /** Bytes of resident tiers, and bytes reserved for fetches in flight. */
  private residentBytes = 0;
  private reservedBytes = 0;
  private inFlight = 0;

  constructor(options: PlannerOptions) {
    const { budgetBytes, concurrency, retryAfterPasses = RETRY_AFTER_PASSES } = options;
    if (!(budgetBytes >= 0)) throw new RangeError(`budgetBytes must be 0 or more, not ${budgetBytes}`);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number from 1, not ${concurrency}`);
    if (!(retryAfterPasses >= 0)) throw new RangeError(`retryAfterPasses must be 0 or more, not ${retryAfterPasses}`);
    this.budgetBytes = budgetBytes;
    this.concurrency = concurrency;
    this.retryAfterPasses = retryAfterPasses;
  }

  /** Starts a new pass over the faces (the client sweeps all its faces every few frames). */
  beginPass(): void {
    this.pass++;
  }

  /**
   * A face showing texture `id` wants `tier` (from its size on screen), with `priority` (its
   * projected size in px; larger first), in view or not. Called for every textured face each pass:
   * the texture keeps the pass's largest want and priority, and counts as seen in the pass if any
   * call had `visible`. Allocates only on a texture's first sighting.
   */
  see(id: string, tier: TextureTier, priority: number, visible: boolean): void {
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { id, order: this.sightings++, resident: 0, topBytes: 0, fetching: 0, want: tier, priority, touched: -1, seen: -1, failures: 0, retryAt: 0 };
      this.entries.set(id, entry);
    }
    if (entry.touched !== this.pass) {
      entry.touched = this.pass;
      entry.want = tier;
      entry.priority = priority;
    } else {
      if (tier > entry.want) entry.want = tier;
      if (priority > entry.priority) entry.priority = priority;
    }
    if (visible) entry.seen = this.pass;
  }

  /**
   * The next fetches to start (at most the concurrency minus those in flight), best first, and what
   * to drop first to make room for them. Counts the drops as done and the fetches as started.
   */
  plan(): TexturePlan {
    const plan: TexturePlan = { start: [], drop: [] };
    const slots = this.concurrency - this.inFlight;
    if (slots <= 0) return plan;
    const queue = [...this.entries.values()].filter((entry) => this.wanted(entry) > 0);
    queue.sort((a, b) => this.compareFetches(a, b));
    let holders: Entry[] | undefined;
    const drops = new Map<string, { id: string; tier: TextureTier | 0 }>();
    for (const entry of queue) {
      if (plan.start.length >= slots) break;
      const target = this.wanted(entry);
      if (target === 0) continue;
      const fetch: Fetch = { entry, visible: entry.seen === this.pass };
      // Who could make room, least recently seen first: sorted once per plan, when first needed.
      holders ??= [...this.entries.values()].filter((holder) => holder.resident > 0).sort((a, b) => a.seen - b.seen || a.priority - b.priority || a.order - b.order);
      const tier = this.fit(fetch, target, holders, drops);
      if (tier === 0) continue;
      entry.fetching = tier;
      this.reservedBytes += tierBytes(tier);
      this.inFlight++;
      plan.start.push({ id: entry.id, tier });
    }
    plan.drop = [...drops.values()];
    return plan;
  }

  /**
   * A fetch ended well: the texture now holds its tier, in place of the one it held, taking `bytes`
   * of GPU memory (its RGBA8 size unless told: less when it came GPU-compressed, or was smaller
   * than asked; never more, as that is what was reserved). A job the planner did not start is ignored.
   */
  loaded(job: TextureJob, bytes: number = tierBytes(job.tier)): void {
    if (!(bytes > 0 && bytes <= tierBytes(job.tier))) throw new RangeError(`a ${job.tier} px tier takes more than 0 and at most ${tierBytes(job.tier)} bytes, not ${bytes}`);
    const entry = this.ended(job);
    if (!entry) return;
    const before = heldBytes(entry);
    entry.resident = job.tier;
    if (job.tier > FLOOR_TIER) entry.topBytes = bytes;
    this.residentBytes += heldBytes(entry) - before;
    entry.failures = 0;
  }

  /** A fetch failed: it is tried again after `retryAfterPasses` passes, not at all after {@link MAX_FAILURES} in a row. */
  failed(job: TextureJob): void {
    const entry = this.ended(job);
    if (!entry) return;
    entry.failures++;
    entry.retryAt = this.pass + this.retryAfterPasses;
  }

  /** The tier texture `id` holds now (0 for none). */
  resident(id: string): TextureTier | 0 {
    return this.entries.get(id)?.resident ?? 0;
  }

  /** Memory, tiers held, and fetches waiting and in flight, now. */
  get stats(): PlannerStats {
    const tiers = Object.fromEntries(TEXTURE_TIERS.map((tier) => [tier, 0])) as Record<TextureTier, number>;
    let queued = 0;
    for (const entry of this.entries.values()) {
      if (entry.resident !== 0) tiers[entry.resident]++;
      if (this.wanted(entry) > 0) queued++;
    }
    return { usedBytes: this.residentBytes + this.reservedBytes, budgetBytes: this.budgetBytes, tiers, queued, inFlight: this.inFlight, textures: this.entries.size };
  }

  /** The tier to fetch next for `entry`, 0 if none: shown this pass, not in flight nor waiting to retry, and wanting more than it holds. */
  private wanted(entry: Entry): TextureTier | 0 {
    if (entry.touched !== this.pass || entry.fetching > 0) return 0;
    if (entry.failures >= MAX_FAILURES || this.pass < entry.retryAt) return 0;
    if (entry.resident === 0) return FLOOR_TIER;
    return entry.want > entry.resident ? entry.want : 0;
  }

  /** Fetch order: visible first, then floor fetches, then larger priority, then first sighted. */
  private compareFetches(a: Entry, b: Entry): number {
    const visible = Number(b.seen === this.pass) - Number(a.seen === this.pass);
    const blank = Number(b.resident === 0) - Number(a.resident === 0);
    return visible || blank || b.priority - a.priority || a.order - b.order;
  }

  /** Whether `holder` may lose tiers to make room for `fetch`: not if it is shown this pass and matters as much. */
  private mayDrop(holder: Entry, fetch: Fetch): boolean {
    if (holder === fetch.entry || holder.fetching > 0) return false;
    if (holder.touched !== this.pass) return true;
    const holderVisible = holder.seen === this.pass;
    if (holderVisible !== fetch.visible) return fetch.visible;
    return holder.priority < fetch.entry.priority;
  }

  /**
   * The highest tier, up to `target`, that fits with what may be dropped for `fetch` (0 if none),
   * after dropping what it needs: cutting holders down to the floor tier first, then dropping the
   * floor tier of those not seen this pass, least recently seen first each time.
   */
  private fit(fetch: Fetch, target: TextureTier, holders: readonly Entry[], drops: Map<string, { id: string; tier: TextureTier | 0 }>): TextureTier | 0 {
    const free = this.budgetBytes - this.residentBytes - this.reservedBytes;
    let freeable = 0;
    for (const holder of holders) {
      if (holder.resident === 0 || !this.mayDrop(holder, fetch)) continue;
      freeable += heldBytes(holder) - (holder.seen === this.pass ? tierBytes(FLOOR_TIER) : 0);
    }
    const held = fetch.entry.resident;
    let tier: TextureTier | 0 = 0;
    for (const candidate of TEXTURE_TIERS) {
      if (candidate <= target && candidate > held && tierBytes(candidate) <= free + freeable) tier = candidate;
    }
    if (tier === 0) return 0;
    let missing = tierBytes(tier) - free;
    for (const round of ["floor", "all"] as const) {
      for (const holder of holders) {
        if (missing <= 0) return tier;
        if (holder.resident === 0 || !this.mayDrop(holder, fetch)) continue;
        const keep: TextureTier | 0 = round === "floor" ? FLOOR_TIER : holder.seen === this.pass ? FLOOR_TIER : 0;
        if (keep >= holder.resident) continue;
        const before = heldBytes(holder);
        holder.resident = keep;
        holder.topBytes = 0;
        const freed = before - heldBytes(holder);
        this.residentBytes -= freed;
        missing -= freed;
        drops.set(holder.id, { id: holder.id, tier: keep });
        // Forgotten once it holds nothing, unless a face still shows it or its failures must be remembered.
        if (keep === 0 && holder.touched !== this.pass && holder.failures === 0) this.entries.delete(holder.id);
      }
    }
    return tier;
  }

  /** The entry of a fetch that ended, its reservation released; undefined if the planner did not start it. */
  private ended(job: TextureJob): Entry | undefined {
    const entry = this.entries.get(job.id);
    if (!entry || entry.fetching !== job.tier) return undefined;
    entry.fetching = 0;
    this.reservedBytes -= tierBytes(job.tier);
    this.inFlight--;
    return entry;
  }
}
