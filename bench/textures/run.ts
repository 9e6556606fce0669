import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { z } from "zod";
import { printTable, writeResults } from "@tessera/bots";
import { CHROMIUM_ARGS, chromiumExecutable } from "../../e2e/chromium.ts";
import { startServerProcess } from "../bandwidth/processes.ts";
import { readBenchOptions, whole } from "../options.ts";
import { makeTextures, recipes } from "./images.ts";
import { pageRun, type PageRun, type RunSpec } from "./page.ts";
import { findings, leastBytes, ratioRows, runRows, tierRows } from "./report.ts";
import { compressedSizes, tierSizes, uploadTextures } from "./upload.ts";

/**
 * `npm run bench:textures [-- --prims 200 --textures 60 --budget 192 --small-budget 24]`: what
 * streaming textures by tier saves. A real relay (empty store) gets `--textures` distinct 1024 px
 * PNGs (library textures cut, turned and recoloured); the gallery's textured page shows `--prims`
 * boxes from 3 to 150 m away, every face textured, in headless Chromium, each run in a fresh
 * browser context: ours (PrimLayer + TextureSource, the default budget and a small one, each with
 * and without the GPU-compressed form of large tiers, which the relay makes after upload) and the
 * baseline (every texture's 1024 px tier on its own material, one mesh per prim). Measures bytes
 * downloaded, time until every prim shows a texture and until each is at its tier, GPU texture
 * memory, draw calls and textures per tier. Prints tables and writes bench/results/textures.json.
 * Needs the built client (`npm run build`).
 */
const USAGE =
  "usage: npm run bench:textures -- [--prims 200] [--textures 60] [--budget 192] [--small-budget 24] [--timeout 180] [--screenshots bench/results] [--out bench/results/textures.json]";

const options = readBenchOptions(
  z
    .object({
      prims: whole(1, 5000).default(200),
      textures: whole(1, 1000).default(60),
      /** MiB. */
      budget: whole(8, 4096).default(192),
      "small-budget": whole(8, 4096).default(24),
      /** Seconds a run may take to settle. */
      timeout: whole(10, 1800).default(180),
      /** Where to save a screenshot of each run's end ("" for none). */
      screenshots: z.string().default("bench/results"),
      out: z.string().min(1).default("bench/results/textures.json"),
    })
    .refine((o) => o.textures <= o.prims, { path: ["textures"], message: "must be at most --prims (every texture is on some prim)" }),
  USAGE,
);

const RELAY_MAIN = fileURLToPath(new URL("../../apps/relay/src/main.ts", import.meta.url));
const CLIENT_DIR = fileURLToPath(new URL("../../dist/client", import.meta.url));
const MIB = 1024 * 1024;

const specs: RunSpec[] = [
  { label: `ours, ${options.budget} MiB`, renderer: "ours", budgetBytes: options.budget * MIB, compressed: true },
  { label: `ours, ${options.budget} MiB, no KTX2`, renderer: "ours", budgetBytes: options.budget * MIB, compressed: false },
  { label: `ours, ${options["small-budget"]} MiB`, renderer: "ours", budgetBytes: options["small-budget"] * MIB, compressed: true },
  { label: `ours, ${options["small-budget"]} MiB, no KTX2`, renderer: "ours", budgetBytes: options["small-budget"] * MIB, compressed: false },
  { label: "naive (1024 px each)", renderer: "naive", budgetBytes: 0, compressed: false },
];

console.log(`${cpus().length} CPUs, Node ${process.version}; ${options.prims} prims, ${options.textures} textures; budgets ${options.budget} and ${options["small-budget"]} MiB`);
let started = performance.now();
const images = await makeTextures(options.textures);
const pngBytes = images.reduce((sum, image) => sum + image.length, 0);
console.log(`made ${images.length} PNG textures (${(pngBytes / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

// The relay serves the built client (the gallery) and the textures, from a fresh, empty data directory.
const relay = await startServerProcess(RELAY_MAIN, { CLIENT_DIR });
const executablePath = chromiumExecutable();
const browser = await chromium.launch({ args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) });
try {
  started = performance.now();
  const uploaded = await uploadTextures(relay.url, images);
  const ids = uploaded.map((texture) => texture.id);
  console.log(`uploaded them in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const sizes = await tierSizes(relay.url, ids);
  started = performance.now();
  const compressed = await compressedSizes(relay.url, ids, options.timeout * 4);
  console.log(`the relay made their compressed forms (KTX2) within ${((performance.now() - started) / 1000).toFixed(1)} s of the last upload`);

  const runs: PageRun[] = [];
  for (const [i, spec] of specs.entries()) {
    console.log(`run ${i + 1}/${specs.length}: ${spec.label}`);
    const screenshot = options.screenshots ? `${options.screenshots}/textures-${spec.renderer}-${i + 1}.png` : undefined;
    const run = await pageRun(browser, relay.url, spec, ids, options.prims, options.timeout, screenshot);
    console.log(`  ${run.report.shown}/${run.report.textures} textures showing, ${run.timedOut ? "not settled" : `settled at ${(run.report.settledMs! / 1000).toFixed(2)} s`}, ${run.report.frames} frames`);
    runs.push(run);
  }

  printTable(
    `Texture tiers as the relay serves them (WebP), over the ${ids.length} textures`,
    tierRows(sizes, compressed),
  );
  printTable(
    `${options.prims} textured boxes (3-150 m away, all in view), ${ids.length} textures, headless Chromium (SwiftShader) at 1280x720: ` +
      `texture response bodies (fetched: as the page counts them, HTTP cache answers included; network: over the network, as Chromium reports them), ` +
      `time (s) and frames from the start until every texture shows and until every texture is at its tier and nothing changes, ms per frame while loading and after, ` +
      `GPU texture memory (RGBA8 + mipmaps), draw calls of a frame, textures by the tier they show and against the tier their faces call for`,
    runRows(runs),
  );
  printTable("Ours against the baseline", ratioRows(runs));
  console.log(`\n${findings(runs, sizes).map((line) => `- ${line}`).join("\n")}`);
  const made = recipes(options.textures);
  await writeResults(options.out, {
    date: new Date().toISOString(),
    options,
    machine: { cpus: cpus().length, node: process.version },
    textures: uploaded.map((texture, i) => ({ ...texture, recipe: made[i], png: images[i]!.length, served: sizes.get(texture.id), compressed: compressed.get(texture.id) })),
    runs: runs.map((run) => ({ ...run, leastBytes: leastBytes(run, sizes) })),
  });
} finally {
  await browser.close();
  await relay.stop();
}
