import { createHash } from "node:crypto";
import { textureIdFromDigest, textureIdHeader } from "@tessera/textures";

/** Pixels hashed and scanned between two turns of the event loop: 1 MiB, well under a millisecond. */
const SLICE_BYTES = 1024 * 1024;

/** What one pass over a picture's pixels tells. */
export interface PixelScan {
  /** Content id, the same as `textureId(width, height, rgba)`. */
  id: string;
  /** Whether every pixel is fully opaque (alpha 255): the tiers then need no alpha channel. */
  opaque: boolean;
}

/**
 * A picture's content id and whether it is opaque, in one pass over its RGBA8 pixels, a slice at a
 * time with the event loop free in between. `textureId` copies the pixels into one message and hashes
 * it in one go: for a 4096 px picture (64 MiB) that held a relay's event loop, and every tile room of
 * the process, for about 0.4 s on a small machine.
 */
export async function scanPixels(width: number, height: number, rgba: Uint8Array): Promise<PixelScan> {
  if (rgba.length !== width * height * 4) throw new RangeError(`expected ${width * height * 4} bytes of RGBA for ${width}x${height}, got ${rgba.length}`);
  const hash = createHash("sha256").update(textureIdHeader(width, height));
  let opaque = true;
  for (let start = 0; start < rgba.length; start += SLICE_BYTES) {
    const slice = rgba.subarray(start, start + SLICE_BYTES);
    hash.update(slice);
    // Slices are whole pixels (SLICE_BYTES is a multiple of 4): alpha is every fourth byte from 3.
    for (let i = 3; opaque && i < slice.length; i += 4) opaque = slice[i] === 255;
    if (start + SLICE_BYTES < rgba.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return { id: textureIdFromDigest(hash.digest()), opaque };
}
