import { RGB_ETC2_Format, RGB_S3TC_DXT1_Format, type CompressedPixelFormat, type WebGLRenderer } from "three";
import { blockLevelBytes, compressedTextureUrl, type GpuForm, type TextureTier } from "@tessera/textures";
import type { CompressedLevel } from "./tier-arrays.ts";

/** The three format of each GPU form the relay transcodes to (RGB, sRGB). */
const FORMATS: Record<GpuForm, CompressedPixelFormat> = { bc1: RGB_S3TC_DXT1_Format, etc2: RGB_ETC2_Format };

/** A compressed tier fetched, or why there is none: `never` for a texture that has no compressed form. */
export type CompressedTier = { levels: CompressedLevel[]; format: CompressedPixelFormat; bytes: number } | { missing: "never" | "not yet" };

/**
 * Fetches the GPU-compressed form of large texture tiers, transcoded by the relay to the block
 * format this GPU reads in sRGB (4 bits a texel, an eighth of RGBA8): BC1 on desktops, else ETC2
 * (phones; desktop drivers that list ETC2 often decode it to RGBA8 on upload, which would save
 * nothing). The levels arrive ready for the GPU: no transcoding, no decoding, on the page.
 */
export class CompressedFetcher {
  private constructor(readonly form: GpuForm) {}

  /** A fetcher for this renderer's GPU, or undefined where it reads neither format in sRGB. */
  static for(renderer: WebGLRenderer): CompressedFetcher | undefined {
    const has = (name: string) => renderer.extensions.has(name);
    if (has("WEBGL_compressed_texture_s3tc") && has("WEBGL_compressed_texture_s3tc_srgb")) return new CompressedFetcher("bc1");
    if (has("WEBGL_compressed_texture_etc")) return new CompressedFetcher("etc2");
    return undefined;
  }

  get format(): CompressedPixelFormat {
    return FORMATS[this.form];
  }

  async fetch(id: string, tier: TextureTier): Promise<CompressedTier> {
    const url = compressedTextureUrl(id, tier, this.form);
    const response = await fetch(url);
    if (response.status === 404) {
      // The relay says why: not made yet (it is being made), or none (see-through, a small tier, unknown).
      const body = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
      return { missing: body?.error === "compressed_form_pending" ? "not yet" : "never" };
    }
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // Bytes over the wire (gzipped), not the levels' bytes.
    const sent = Number(response.headers.get("Content-Length") ?? bytes.length);
    // The served tier (a small texture's largest may be below the one asked), then its levels' blocks in turn.
    const served = Number(response.headers.get("X-Texture-Tier") ?? tier);
    const levels: CompressedLevel[] = [];
    let at = 0;
    for (let size = served; size >= 1; size >>= 1) {
      const length = blockLevelBytes(size);
      levels.push({ data: bytes.subarray(at, at + length), width: size, height: size });
      at += length;
    }
    if (at !== bytes.length) throw new Error(`${url}: ${bytes.length} bytes are not the ${this.form} levels of a ${served} px tier (${at})`);
    return { levels, format: this.format, bytes: sent };
  }
}
