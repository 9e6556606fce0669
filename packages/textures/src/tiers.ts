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

/** The tiers stored for a texture whose longest side is `longestSide` px. */
export function tiersFor(longestSide: number): TextureTier[] {
  const top = tierAtLeast(longestSide);
  return TEXTURE_TIERS.filter((tier) => tier <= top);
}
