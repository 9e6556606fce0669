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
