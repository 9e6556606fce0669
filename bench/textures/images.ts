import sharp from "sharp";
import { seededRandom } from "@tessera/prims";
import { LIBRARY, LIBRARY_SIZE, libraryPixels } from "@tessera/textures";

/** Side of every made texture, px: the top tier, so that every tier is stored. */
export const TEXTURE_SIZE = 1024;
/** Images made at once (sharp works on libuv's threads). */
const AT_ONCE = 4;

/** How one texture is made from a library texture: a square cut from it, turned, mirrored and recoloured. */
export interface TextureRecipe {
  base: string;
  crop: { left: number; top: number; size: number };
  /** Quarter turns, degrees. */
  rotate: 0 | 90 | 180 | 270;
  mirror: boolean;
  /** Hue turn (degrees), saturation and brightness factors. */
  hue: number;
  saturation: number;
  brightness: number;
}

/**
 * `count` recipes, deterministic: the library's textures in turn, the first round as they are, later
 * ones cut (half to whole of the picture, anywhere in it), turned and recoloured, so that no two
 * have the same pixels and all compress like the textures they come from.
 */
export function recipes(count: number): TextureRecipe[] {
  const random = seededRandom(7_340_033);
  return Array.from({ length: count }, (_, i) => {
    const base = LIBRARY[i % LIBRARY.length]!.name;
    if (i < LIBRARY.length) return { base, crop: { left: 0, top: 0, size: LIBRARY_SIZE }, rotate: 0, mirror: false, hue: 0, saturation: 1, brightness: 1 };
    const size = Math.round(LIBRARY_SIZE * (0.5 + 0.45 * random()));
    return {
      base,
      crop: { left: Math.floor(random() * (LIBRARY_SIZE - size)), top: Math.floor(random() * (LIBRARY_SIZE - size)), size },
      rotate: ([0, 90, 180, 270] as const)[Math.floor(random() * 4)]!,
      mirror: random() < 0.5,
      hue: Math.round(random() * 360),
      saturation: 0.7 + 0.6 * random(),
      brightness: 0.85 + 0.3 * random(),
    };
  });
}

/** A recipe's texture as a PNG, {@link TEXTURE_SIZE} px square, without alpha. */
async function make(recipe: TextureRecipe, pixels: (name: string) => Uint8Array): Promise<Buffer> {
  const { left, top, size } = recipe.crop;
  let image = sharp(pixels(recipe.base), { raw: { width: LIBRARY_SIZE, height: LIBRARY_SIZE, channels: 4 } })
    .extract({ left, top, width: size, height: size })
    .resize(TEXTURE_SIZE, TEXTURE_SIZE, { kernel: "lanczos3" })
    .rotate(recipe.rotate);
  if (recipe.mirror) image = image.flop();
  return image.modulate({ hue: recipe.hue, saturation: recipe.saturation, brightness: recipe.brightness }).removeAlpha().png().toBuffer();
}

/** `count` distinct textures as PNG files ({@link recipes}), each library texture drawn once. */
export async function makeTextures(count: number): Promise<Buffer[]> {
  const drawn = new Map<string, Uint8Array>();
  const pixels = (name: string) => {
    let found = drawn.get(name);
    if (!found) drawn.set(name, (found = libraryPixels(name, LIBRARY_SIZE)));
    return found;
  };
  const all = recipes(count);
  const images: Buffer[] = [];
  for (let i = 0; i < all.length; i += AT_ONCE) images.push(...(await Promise.all(all.slice(i, i + AT_ONCE).map((recipe) => make(recipe, pixels)))));
  return images;
}
