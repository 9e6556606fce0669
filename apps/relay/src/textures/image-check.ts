import sharp from "sharp";
import { Refusal } from "../http/edge.ts";
import type { DecodedImage } from "./texture-tiers.ts";
import { MAX_PIXELS, MAX_SIDE_PX, UPLOAD_TYPES, type UploadType } from "./upload-limits.ts";

/** The first bytes of each accepted type; WebP is a RIFF file whose form type, at byte 8, is "WEBP". */
const SIGNATURES: readonly { type: UploadType; bytes: readonly number[]; at: number }[] = [
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], at: 0 },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff], at: 0 },
  { type: "image/webp", bytes: [0x52, 0x49, 0x46, 0x46], at: 0 },
  { type: "image/webp", bytes: [0x57, 0x45, 0x42, 0x50], at: 8 },
];

/**
 * How the decoder treats damage: "error" refuses truncated and corrupt pixel data (a file cut short
 * decodes to nothing rather than to a half-grey picture); the stricter "warning" would also refuse
 * common, harmless oddities (an sRGB profile that libpng dislikes).
 */
const FAIL_ON = "error";

/** Each type's name, for messages. */
const NAMES: Readonly<Record<UploadType, string>> = { "image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP" };

const bad = (message: string) => new Refusal(422, "bad_image", message);

/** The image type `bytes` start with, of those accepted; undefined for anything else. */
export function sniffType(bytes: Uint8Array): UploadType | undefined {
  const matches = (type: UploadType) =>
    SIGNATURES.filter((signature) => signature.type === type).every(({ bytes: expected, at }) => expected.every((byte, i) => bytes[at + i] === byte));
  return UPLOAD_TYPES.find(matches);
}

/** A Content-Type header's media type, lower case, without its parameters. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";", 1)[0]!.trim().toLowerCase();
}

/**
 * An upload checked and decoded (upright: EXIF orientation applied), or a {@link Refusal} saying why
 * not. Its size was bounded as it came in (http/edge.ts, `MAX_UPLOAD_BYTES`). The declared type must
 * be an accepted one and agree with the bytes; the header (read without decoding) must declare one
 * frame, at most {@link MAX_PIXELS} pixels and {@link MAX_SIDE_PX} a side; the pixels must decode
 * whole to the size the header declares.
 */
export async function checkImage(bytes: Buffer, contentType: string | undefined): Promise<DecodedImage> {
  const declared = mediaType(contentType);
  if (!UPLOAD_TYPES.includes(declared as UploadType)) {
    throw new Refusal(415, "unsupported_type", `textures are PNG, JPEG or WebP: send the file as the body with Content-Type ${UPLOAD_TYPES.join(", ")} (not "${declared.slice(0, 64)}")`);
  }
  const sniffed = sniffType(bytes);
  if (!sniffed) throw bad("the body is not a PNG, JPEG or WebP image: send the image file's bytes as they are");
  if (sniffed !== declared) throw new Refusal(415, "type_mismatch", `the body is a ${NAMES[sniffed]} image but Content-Type says ${declared}: send Content-Type ${sniffed}`);

  // Only the header is read here: no limit, so that a huge size is refused below by name.
  const header = await sharp(bytes, { failOn: FAIL_ON, limitInputPixels: false }).metadata().catch(() => {
    throw bad(`the ${NAMES[sniffed]} header cannot be read: the file is damaged`);
  });
  const { width, height } = header.autoOrient;
  if (header.pages !== undefined && header.pages > 1) throw bad(`the image has ${header.pages} frames: a texture is one picture, upload a still image`);
  if (width * height > MAX_PIXELS) throw new Refusal(413, "too_many_pixels", `the image is ${width}x${height} px, over ${MAX_PIXELS} pixels: scale it down to at most ${MAX_SIDE_PX}x${MAX_SIDE_PX}`);
  if (Math.max(width, height) > MAX_SIDE_PX) throw new Refusal(413, "too_large", `the image is ${width}x${height} px: a side is at most ${MAX_SIDE_PX} px, scale it down`);

  const decoded = await sharp(bytes, { failOn: FAIL_ON, limitInputPixels: MAX_PIXELS, autoOrient: true })
    .toColourspace("srgb")
    .ensureAlpha()
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true })
    .catch(() => {
      throw bad(`the ${NAMES[sniffed]} image is damaged or cut short: upload the whole file`);
    });
  const { info, data } = decoded;
  if (info.width !== width || info.height !== height || info.channels !== 4) {
    throw bad(`the image's header says ${width}x${height} px but its pixels are ${info.width}x${info.height}: the file is damaged`);
  }
  return { width, height, rgba: data };
}
