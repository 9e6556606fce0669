import { runInChild } from "./child-job.ts";

const PAINTER = new URL("./library-painter-process.ts", import.meta.url);

/**
 * A library texture's pixels, drawn in a child process: drawing one takes 50-400 ms of CPU, which
 * the tile rooms' ticks on the relay's thread cannot wait for (a stall that long drops their
 * backlog). Each texture is drawn once per world, so a process per texture costs little.
 */
export function paintLibraryTexture(name: string): Promise<Uint8Array> {
  return runInChild({ script: PAINTER, args: [name], what: `the painter of library texture ${name}` });
}
