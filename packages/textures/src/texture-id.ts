import { TEXTURE_ID } from "./tiers.ts";

const PREFIX = new TextEncoder().encode("tessera-texture-1:");

/** What a texture id hashes before the pixels: a version prefix and the size (two big-endian u32). */
export function textureIdHeader(width: number, height: number): Uint8Array {
  const header = new Uint8Array(PREFIX.length + 8);
  header.set(PREFIX, 0);
  const size = new DataView(header.buffer, PREFIX.length);
  size.setUint32(0, width);
  size.setUint32(4, height);
  return header;
}

/** A texture id from the SHA-256 of its header and pixels: the first 24 bytes as URL-safe base64. */
export function textureIdFromDigest(digest: Uint8Array): string {
  let binary = "";
  for (const byte of digest.subarray(0, 24)) binary += String.fromCharCode(byte);
  const id = btoa(binary).replaceAll("+", "-").replaceAll("/", "_");
  if (!TEXTURE_ID.test(id)) throw new Error(`texture id ${id} does not match ${TEXTURE_ID}`);
  return id;
}

/**
 * A texture's content id: the hash of its decoded pixels (RGBA8, row by row) and size, so that the
 * same picture uploaded as PNG or as lossless WebP is stored once. WebCrypto, in one go: Node and
 * browsers. (The relay hashes large pictures a slice at a time with the same header and digest.)
 */
export async function textureId(width: number, height: number, rgba: Uint8Array): Promise<string> {
  if (rgba.length !== width * height * 4) throw new RangeError(`expected ${width * height * 4} bytes of RGBA for ${width}x${height}, got ${rgba.length}`);
  const header = textureIdHeader(width, height);
  const message = new Uint8Array(header.length + rgba.length);
  message.set(header, 0);
  message.set(rgba, header.length);
  return textureIdFromDigest(new Uint8Array(await crypto.subtle.digest("SHA-256", message)));
}
