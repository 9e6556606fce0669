import sharp from "sharp";
import { tiersFor, type TextureTier } from "@tessera/textures";
import { scanPixels } from "./pixel-scan.ts";

/** A picture as RGBA8 pixels, row by row. */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** A texture made from a picture: its content id, its size and its tiers, ready to store. */
export interface MadeTexture {
  id: string;
  width: number;
  height: number;
  tiers: { tier: TextureTier; bytes: Buffer }[];
}

/** WebP quality of every tier: about a tenth of PNG's bytes, with no artefacts a textured face shows. */
export const TIER_QUALITY = 80;

/**
 * The tiers of a picture: for each of `tiersFor(longest side)`, a square WebP image that size (the
 * picture stretched to fill it, as a face's UVs stretch it anyway), with an alpha channel only when
 * some pixel is not fully opaque. The id is the hash of the pixels as given, so the same picture
 * uploaded as PNG or as lossless WebP is one texture.
 */
export async function makeTiers(image: DecodedImage): Promise<MadeTexture> {
  const { width, height, rgba } = image;
  const { id, opaque } = await scanPixels(width, height, rgba);
  const tiers = await Promise.all(
    tiersFor(Math.max(width, height)).map(async (tier) => {
      const resized = sharp(rgba, { raw: { width, height, channels: 4 } }).resize(tier, tier, { fit: "fill" });
      const bytes = await (opaque ? resized.removeAlpha() : resized).webp({ quality: TIER_QUALITY }).toBuffer();
      return { tier, bytes };
    }),
  );
  return { id, width, height, tiers };
}
