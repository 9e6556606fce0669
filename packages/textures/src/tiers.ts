/**
 * Texture tiers: every texture is stored as square images of these sizes (px), each under an
 * immutable URL. A texture smaller than the largest tier has the tiers up to the first one that
 * covers its longest side.
 */
export const TEXTURE_TIERS = [32, 128, 512, 1024] as const;
export type TextureTier = (typeof TEXTURE_TIERS)[number];

/** The tier every texture in view keeps at least: tiny, fetched first, so that a face is never blank for long. */
export const FLOOR_TIER: TextureTier = 32;
export const TOP_TIER: TextureTier = 1024;

/** A texture's content id: 32 characters of URL-safe base64 (the first 24 bytes of a SHA-256). */
export const TEXTURE_ID = /^[A-Za-z0-9_-]{32}$/;

/** GPU bytes of one tier as RGBA8 with its mipmaps (a third more). */
export function tierBytes(tier: TextureTier): number {
  return Math.ceil((tier * tier * 4 * 4) / 3);
}

/** Where a texture's tier is served: the largest stored tier up to `tier` (immutable, cacheable forever). */
export function textureUrl(id: string, tier: TextureTier): string {
  return `/textures/${id}/${tier}`;
}

/**
 * Tiers that also have a GPU-compressed form: the large ones, which hold most of the memory. Only
 * opaque textures have it; see-through ones keep their WebP tiers alone. The relay makes it in the
 * background as KTX2 (Basis ETC1S, with its mipmaps) and serves it as such, or transcoded to the
 * block format a GPU reads ({@link GPU_FORMS}), 4 bits a texel instead of RGBA8's 32.
 */
export const COMPRESSED_TIERS: readonly TextureTier[] = [512, 1024];

/**
 * GPU block formats the relay transcodes compressed tiers to: BC1 (desktops) and ETC2 (phones), both
 * 4 x 4 texels in 8 bytes, RGB, sRGB. Served as the mipmap levels' blocks one after another, level
 * 0 first, so that a page uploads them with no transcoder of its own.
 */
export const GPU_FORMS = ["bc1", "etc2"] as const;
export type GpuForm = (typeof GPU_FORMS)[number];

/** Where a tier's compressed form is served (the same tier choice as {@link textureUrl}): the KTX2 file, or its levels in a GPU's format. */
export function compressedTextureUrl(id: string, tier: TextureTier, form: GpuForm | "ktx2" = "ktx2"): string {
  return `${textureUrl(id, tier)}.${form}`;
}

/** Bytes of one mipmap level `size` px wide in a GPU block format (4 x 4 texels in 8 bytes; a level under 4 px takes one block). */
export function blockLevelBytes(size: number): number {
  return Math.ceil(size / 4) ** 2 * 8;
}

/** GPU bytes of one tier in a GPU block format, with its mipmaps. */
export function compressedTierBytes(tier: TextureTier): number {
  let bytes = 0;
  for (let size = tier; size >= 1; size >>= 1) bytes += blockLevelBytes(size);
  return bytes;
}

/** The smallest tier at least `pixels` wide, the top tier for anything larger. */
export function tierAtLeast(pixels: number): TextureTier {
  for (const tier of TEXTURE_TIERS) if (tier >= pixels) return tier;
  return TOP_TIER;
}

/** Nearer than this (metres), a face is taken to be this far: its size on screen stays finite. */
const NEAREST = 0.25;

/**
 * Pixels a face `size` metres across covers on screen `distance` metres away, for a view whose
 * `pixelsPerMetre` is a metre's height in pixels one metre away (half the viewport's height over
 * tan(fov / 2), as Second Life's "virtual size").
 */
export function projectedPixels(size: number, distance: number, pixelsPerMetre: number): number {
  return (size * pixelsPerMetre) / Math.max(distance, NEAREST);
}

/**
 * The tier a face needs: the smallest that covers each repeat of its texture on screen (a texture
 * repeated 4 times across 400 px needs 100 px), scaled by `bias` (below 1: blurrier, cheaper).
 */
export function tierForFace(pixels: number, repeats: number, bias = 1): TextureTier {
  return tierAtLeast((pixels / Math.max(Math.abs(repeats), 0.01)) * bias);
}

/** The tiers stored for a texture whose longest side is `longestSide` px. */
export function tiersFor(longestSide: number): TextureTier[] {
  const top = tierAtLeast(longestSide);
  return TEXTURE_TIERS.filter((tier) => tier <= top);
}
