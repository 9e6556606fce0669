import sharp from "sharp";
import type { TextureTier } from "@tessera/textures";
import type { WorldStore } from "@tessera/store";
import type { Logger } from "../log.ts";
import { runInChild } from "./child-job.ts";
import type { DecodedImage } from "./texture-tiers.ts";
import type { TierSource } from "./tier-source.ts";

const ENCODER = new URL("./ktx2-encoder-process.ts", import.meta.url);

/** The first bytes of every KTX2 file: «KTX 20», then \r\n\x1a\n. */
const KTX2_IDENTIFIER = [0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a];

/** Tiers waiting to be compressed, at most: each takes seconds, and a tier dropped is asked for again. */
export const MAX_WAITING = 256;
/** See-through textures remembered (they have no compressed form): a few dozen bytes each. */
const SEE_THROUGH_KEPT = 4096;
/** Tiers whose compression failed, remembered so that clients asking again do not start it again... */
const FAILED_KEPT = 1024;
/** ...for this long (ms): a failure that was the store's may pass. */
const RETRY_FAILED_MS = 10 * 60_000;

/** What to expect of a compressed form not stored: it is being made, or there is none to be had. */
export type CompressedState = "pending" | "see-through" | "failed";

/** Encodes a picture to KTX2; stops when `signal` aborts. */
export type Ktx2Encoder = (image: DecodedImage, signal: AbortSignal) => Promise<Uint8Array>;

/**
 * A picture as KTX2, encoded in a child process: 1.5-5 s of CPU for a 512-1024 px tier, plus 3 s
 * to start the encoder's wasm, which the tile rooms' ticks on the relay's thread cannot wait for.
 */
export const encodeKtx2: Ktx2Encoder = (image, signal) => runInChild({ script: ENCODER, input: image, signal, what: "the KTX2 encoder" });

/** The last `capacity` keys set, with their values; the oldest are let go first. */
class RecentKeys<V> {
  private readonly entries = new Map<string, V>();
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

/**
 * Makes the GPU-compressed forms (KTX2) of textures' large tiers in the background, one at a time,
 * and stores them (`putCompressedTier`), where every relay sharing the store finds them. A form is
 * made from the stored WebP tier, so it shows what the WebP tier shows. Only opaque textures have
 * one: ETC1S with alpha costs twice the bytes, and the client draws see-through faces from WebP.
 */
export class CompressedForms {
  /** Tiers waiting or being made, by `id/tier`. */
  private readonly making = new Set<string>();
  private readonly queue: { id: string; tier: TextureTier }[] = [];
  private readonly seeThrough = new RecentKeys<true>(SEE_THROUGH_KEPT);
  private readonly failed = new RecentKeys<number>(FAILED_KEPT);
  private pumping = false;
  /** Whether a full queue was logged since it last had room. */
  private overflowLogged = false;
  private readonly store: WorldStore;
  private readonly tiers: TierSource;
  private readonly log: Logger;
  private readonly signal: AbortSignal;
  private readonly encode: Ktx2Encoder;

  /** `signal` aborts when the relay stops: what waits is dropped, and the encoder running is stopped. */
  constructor(store: WorldStore, tiers: TierSource, log: Logger, signal: AbortSignal, encode: Ktx2Encoder = encodeKtx2) {
    this.store = store;
    this.tiers = tiers;
    this.log = log;
    this.signal = signal;
    this.encode = encode;
    signal.addEventListener("abort", () => (this.queue.length = 0), { once: true });
  }

  /**
   * Has the compressed form of (stored) tier `tier` of texture `id` made, unless it is being made
   * or cannot be; the caller has looked in the store first, and the one making it looks again.
   * Says what to expect; never rejects.
   */
  async ensure(id: string, tier: TextureTier): Promise<CompressedState> {
    const key = `${id}/${tier}`;
    if (this.seeThrough.get(id)) return "see-through";
    const failedAt = this.failed.get(key);
    if (failedAt !== undefined && performance.now() - failedAt < RETRY_FAILED_MS) return "failed";
    if (this.making.has(key) || this.signal.aborted) return "pending";
    try {
      // Tiers are stored with an alpha channel only when some pixel is see-through; reading the
      // header tells, so a client learns it on its first request.
      if ((await sharp((await this.webpTier(id, tier)).bytes).metadata()).hasAlpha) {
        this.seeThrough.set(id, true);
        return "see-through";
      }
    } catch (error) {
      return this.fail(id, tier, error);
    }
    if (this.making.has(key) || this.signal.aborted) return "pending";
    if (this.queue.length >= MAX_WAITING) {
      if (!this.overflowLogged) this.log.warn(`${MAX_WAITING} texture tiers wait to be compressed: more are not queued (${key} first) until there is room; they are queued when asked for again`);
      this.overflowLogged = true;
      return "pending";
    }
    this.overflowLogged = false;
    this.making.add(key);
    this.queue.push({ id, tier });
    void this.pump();
    return "pending";
  }

  /** Makes the queued forms, one after the other. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      await this.make(next.id, next.tier);
      this.making.delete(`${next.id}/${next.tier}`);
    }
    this.pumping = false;
  }

  private async make(id: string, tier: TextureTier): Promise<void> {
    const started = performance.now();
    try {
      // Made already: by another relay, or before a restart.
      if (this.signal.aborted || (await this.store.compressedTier(id, tier))) return;
      const { data, info } = await sharp((await this.webpTier(id, tier)).bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const ktx2 = await this.encode({ width: info.width, height: info.height, rgba: data }, this.signal);
      // Checked before it is stored: it is then served as immutable, for good.
      if (!KTX2_IDENTIFIER.every((byte, i) => ktx2[i] === byte)) throw new Error(`the encoder's ${ktx2.length} bytes are not a KTX2 file`);
      await this.store.putCompressedTier(id, tier, ktx2);
      this.log.info(`compressed texture ${id} tier ${tier} to KTX2: ${ktx2.length} bytes in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      if (!this.signal.aborted) this.fail(id, tier, error);
    }
  }

  /** The stored WebP tier `tier` of texture `id`, that exact tier. */
  private async webpTier(id: string, tier: TextureTier) {
    const webp = await this.tiers.read(id, tier);
    if (webp?.tier !== tier) throw new Error(`its WebP tier ${tier} is not stored`);
    return webp;
  }

  /** Logs a failure, once, and remembers it for a while. */
  private fail(id: string, tier: TextureTier, error: unknown): "failed" {
    this.failed.set(`${id}/${tier}`, performance.now());
    this.log.error(`could not compress texture ${id} tier ${tier} to KTX2 (not tried again for ${RETRY_FAILED_MS / 60_000} min): ${(error as Error).message ?? String(error)}`);
    return "failed";
  }
}
