import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { runInThisContext } from "node:vm";
import { blockLevelBytes, type GpuForm } from "@tessera/textures";

const require = createRequire(import.meta.url);
/** three's Basis transcoder (emscripten, wasm): the one browsers run, here run by the relay. */
const TRANSCODER = require.resolve("three/examples/jsm/libs/basis/basis_transcoder.js");

/** The Basis transcoder's codes for the GPU forms: ETC1 blocks are ETC2 RGB blocks as they are. */
const TRANSCODER_FORMATS: Record<GpuForm, number> = { bc1: 2 /* cTFBC1_RGB */, etc2: 0 /* cTFETC1_RGB */ };

export interface Ktx2File {
  isValid(): boolean;
  getLevels(): number;
  getWidth(): number;
  startTranscoding(): boolean;
  getImageTranscodedSizeInBytes(level: number, layer: number, face: number, format: number): number;
  transcodeImage(dst: Uint8Array, level: number, layer: number, face: number, format: number, flags: number, channel0: number, channel1: number): number;
  close(): void;
  delete(): void;
}
export interface BasisModule {
  initializeBasis(): void;
  KTX2File: new (bytes: Uint8Array) => Ktx2File;
}

let basis: Promise<BasisModule> | undefined;

/**
 * The transcoder, started on first use (about 60 ms). Its script is CommonJS in a package whose
 * `.js` files Node takes for ES modules, so it runs in a CommonJS wrapper of our own.
 */
export function basisTranscoder(): Promise<BasisModule> {
  basis ??= (async () => {
    const source = await readFile(TRANSCODER, "utf8");
    const wrapped = runInThisContext(`(function (module, exports, require, __filename, __dirname) {${source}\n})`, { filename: TRANSCODER }) as (
      module: { exports: unknown },
      exports: unknown,
      load: NodeJS.Require,
      filename: string,
      dirname: string,
    ) => void;
    const loaded: { exports: unknown } = { exports: {} };
    wrapped(loaded, loaded.exports, require, TRANSCODER, dirname(TRANSCODER));
    const start = loaded.exports as (options: { wasmBinary: Buffer }) => Promise<BasisModule>;
    const module = await start({ wasmBinary: await readFile(TRANSCODER.replace(/\.js$/, ".wasm")) });
    module.initializeBasis();
    return module;
  })();
  return basis;
}

/**
 * A KTX2 file's (Basis ETC1S) mipmap levels transcoded to a GPU block format, one after another,
 * level 0 first. Here rather than in the page: the transcoder needs `eval` (its bindings build
 * functions from strings), which the pages' Content Security Policy forbids, and a phone is spared
 * the work. A few milliseconds a tier, once per relay while the tier cache holds the answer.
 */
export async function transcodeKtx2(ktx2: Uint8Array, form: GpuForm): Promise<Buffer> {
  const file = new (await basisTranscoder()).KTX2File(ktx2);
  try {
    if (!file.isValid() || !file.startTranscoding()) throw new Error("not a KTX2 file the Basis transcoder reads");
    const format = TRANSCODER_FORMATS[form];
    const levels: Buffer[] = [];
    for (let level = 0; level < file.getLevels(); level++) {
      const bytes = file.getImageTranscodedSizeInBytes(level, 0, 0, format);
      // Checked, as pages upload these bytes as they come: a level's blocks and nothing else.
      if (bytes !== blockLevelBytes(Math.max(1, file.getWidth() >> level))) throw new Error(`level ${level} transcodes to ${bytes} bytes, not a ${form} level's`);
      const blocks = Buffer.alloc(bytes);
      if (!file.transcodeImage(blocks, level, 0, 0, format, 0, -1, -1)) throw new Error(`level ${level} did not transcode to ${form}`);
      levels.push(blocks);
    }
    return Buffer.concat(levels);
  } finally {
    file.close();
    file.delete();
  }
}
