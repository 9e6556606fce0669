import { brick, cobble, roofTiles, stone } from "./masonry.ts";
import { fabric, glass, metal, water } from "./materials.ts";
import { grass, planks, sand, wood } from "./organic.ts";

/**
 * The default texture library: textures the project makes itself, in code (no downloads). Each is
 * seamless (it tiles without a visible seam), deterministic (the same bytes on every run and every
 * engine) and drawn at LIBRARY_SIZE px.
 */
export const LIBRARY_SIZE = 1024;

export interface LibraryTexture {
  /** Machine name, e.g. "brick". */
  name: string;
  /** What the picker shows, e.g. "Brick". */
  label: string;
  /** Content id: textureId(LIBRARY_SIZE, LIBRARY_SIZE, libraryPixels(name)); a test checks it. */
  id: string;
}

/** How each texture is drawn, at any size. */
const DRAW: Record<string, (size: number) => Uint8Array> = {
  brick,
  wood,
  planks,
  stone,
  cobble,
  grass,
  sand,
  metal,
  fabric,
  glass,
  "roof-tiles": roofTiles,
  water,
};

/** The library, in the order the picker shows it. Ids change with the pixels: regenerate them when a generator changes. */
export const LIBRARY: readonly LibraryTexture[] = [
  { name: "brick", label: "Brick", id: "iHjuCqOgUJ8ZOSSSf8EUNQsfGZSxn9Pr" },
  { name: "wood", label: "Wood", id: "Tz-3O9zSh5_s_m-N5NFN6GCkhBBcAC8K" },
  { name: "planks", label: "Planks", id: "4Y2uw9DubGydflovzZj_8_UTIUZCZedH" },
  { name: "stone", label: "Stone", id: "Lw36KwT17vVSFD-eJNRu1uB_EhU51OwE" },
  { name: "cobble", label: "Cobblestones", id: "jqJgaBPiVcUzmq5AhI1a5ccxaGtL2Gnn" },
  { name: "grass", label: "Grass", id: "c3kZvff-0ZyMUVKmSXz4OnYPnEDDv5px" },
  { name: "sand", label: "Sand", id: "WiYS_F-3ri3gWKq2hv_oV93lnl5r2Dr_" },
  { name: "metal", label: "Brushed metal", id: "vpyueEIn36gJIbqllZzOoXnxX_hNcliA" },
  { name: "fabric", label: "Fabric", id: "KdItlD81ZtftkTgmMZn-qUGUp89CBSv-" },
  { name: "glass", label: "Glass", id: "YNPwj92S7Xc_KyVY_6lFG5sOmS3xhzfn" },
  { name: "roof-tiles", label: "Roof tiles", id: "cZZDnGxhn-m6l-nc5ujfV4hL5x8r26IL" },
  { name: "water", label: "Water", id: "VXFt6SacRU_pTdAzoSP-QcBRJI3dqV0B" },
];

const NAMES = LIBRARY.map((texture) => texture.name).join(", ");

/** A library texture by name; throws for a name not in the library. */
export function libraryTexture(name: string): LibraryTexture {
  const texture = LIBRARY.find((entry) => entry.name === name);
  if (!texture) throw new RangeError(`no library texture named "${name}": the library has ${NAMES}`);
  return texture;
}

/** The RGBA8 pixels of a library texture at `size` px (size a power of two, 32 to 1024). */
export function libraryPixels(name: string, size: number = LIBRARY_SIZE): Uint8Array {
  const draw = Object.hasOwn(DRAW, name) ? DRAW[name] : undefined;
  if (!draw) throw new RangeError(`no library texture named "${name}": the library has ${NAMES}`);
  if (!Number.isInteger(size) || size < 32 || size > LIBRARY_SIZE || (size & (size - 1)) !== 0) {
    throw new RangeError(`library textures are drawn at a power of two from 32 to ${LIBRARY_SIZE} px, not ${size}`);
  }
  return draw(size);
}
