/**
 * What an uploaded texture may be, checked before anything is spent on it (textures/image-check.ts)
 * and, for the body's size, as its bytes come (http/edge.ts). No imports: the edge reads it too.
 */

/** Largest upload, bytes: a 1024 px photo as JPEG or WebP is well under 1 MiB, a PNG a few. */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

/** Longest side of an uploaded image, px: four times the top tier, so that a picture may be cropped later, never a poster. */
export const MAX_SIDE_PX = 4096;

/**
 * Most pixels an image may decode to: 64 MiB as RGBA, what one upload may hold in memory while it
 * is made into tiers. Read from the header before decoding, so that a small file that claims to be
 * huge (a decompression bomb) is refused unopened; the decoder enforces it as well.
 */
export const MAX_PIXELS = 16_777_216;

/** The image types a texture may be uploaded as, by Content-Type. */
export const UPLOAD_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type UploadType = (typeof UPLOAD_TYPES)[number];
