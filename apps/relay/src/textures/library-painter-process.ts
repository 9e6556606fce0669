import { libraryPixels } from "@tessera/textures";

/** A child process's job: draw library texture `argv[2]` and send its pixels to the relay. */
const pixels = libraryPixels(process.argv[2]!);
process.send!(pixels, undefined, {}, () => process.disconnect());
