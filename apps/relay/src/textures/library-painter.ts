import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WorkSlots } from "./work-slots.ts";

const require = createRequire(import.meta.url);
/** The relay's source is TypeScript run through tsx: its painters load the same way. */
const TSX = ["--require", require.resolve("tsx/preflight"), "--import", pathToFileURL(require.resolve("tsx")).href];
const PAINTER = fileURLToPath(new URL("./library-painter-process.ts", import.meta.url));
/** One painter at a time: the other core is the relay's. */
const painters = new WorkSlots(1);

/**
 * A library texture's pixels, drawn in a child process: drawing one takes 50-400 ms of CPU, which
 * the tile rooms' ticks on the relay's thread cannot wait for (a stall that long drops their
 * backlog). Each texture is drawn once per world, so a process per texture costs little.
 */
export function paintLibraryTexture(name: string): Promise<Uint8Array> {
  return painters.run(() => paint(name));
}

function paint(name: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const painter = fork(PAINTER, [name], { execArgv: TSX, serialization: "advanced", stdio: ["ignore", "ignore", "inherit", "ipc"] });
    let pixels: Uint8Array | undefined;
    painter.once("message", (message) => (pixels = message as Uint8Array));
    painter.once("error", reject);
    painter.once("exit", (code) => {
      if (pixels) resolve(pixels);
      else reject(new Error(`the painter of library texture ${name} stopped with code ${code} and no pixels`));
    });
  });
}
