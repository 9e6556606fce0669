import { encodeToKTX2 } from "ktx2-encoder";
import type { DecodedImage } from "./texture-tiers.ts";

/**
 * A child process's job: encode the picture it is sent to KTX2 (Basis ETC1S, sRGB, with its
 * mipmaps) and send the file's bytes back. Flipped: the client samples row 0 as the picture's bottom
 * (its WebP tiers are flipped as they are decoded), and a compressed texture cannot be flipped as it
 * is uploaded to the GPU.
 */
process.once("message", ({ width, height, rgba }: DecodedImage) => {
  const options = { isUASTC: false, qualityLevel: 128, compressionLevel: 1, generateMipmap: true, isYFlip: true };
  encodeToKTX2(rgba, { ...options, imageDecoder: () => Promise.resolve({ width, height, data: rgba }) }).then(
    (ktx2) => process.send!(ktx2, undefined, {}, () => process.disconnect()),
    (error: Error) => {
      // One line: the relay says which texture it was.
      process.stderr.write(`[relay] the KTX2 encoder failed on a ${width}x${height} picture: ${error.message}\n`);
      process.exit(1);
    },
  );
});
