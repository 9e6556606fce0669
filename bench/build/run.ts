import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { z } from "zod";
import { printTable, writeResults } from "@tessera/bots";
import { CHROMIUM_ARGS, chromiumExecutable } from "../../e2e/chromium.ts";
import { startServerProcess } from "../bandwidth/processes.ts";
import { readBenchOptions, whole } from "../options.ts";
import { dragRun } from "./network.ts";
import { dragTraffic, findings, networkRows, renderRows } from "./report.ts";
import { renderRuns } from "./render.ts";

/**
 * `npm run bench:build [-- --prims 2000 --selected 500 --frames 30 --seconds 3]`: what build mode
 * costs. The renderer: the gallery's field of prims in headless Chromium, frames driven from here,
 * while one prim is dragged (ours: the gizmo's preview of one instance; baseline: the batches
 * emptied and refilled each move) and while prims are selected (ours: one line mesh; baseline: a
 * box object per prim). The network: a real relay's world page, a box dragged by the gizmo with the
 * mouse, edits and bytes sent a second against one edit per pointer move, and the undo steps it
 * made. Prints tables and writes bench/results/build.json. Needs the built client (`npm run build`).
 */
const USAGE = "usage: npm run bench:build -- [--prims 2000] [--selected 500] [--frames 30] [--seconds 3] [--out bench/results/build.json]";

const options = readBenchOptions(
  z
    .object({
      prims: whole(1, 100_000).default(2000),
      selected: whole(1, 100_000).default(500),
      frames: whole(1, 1000).default(30),
      seconds: whole(1, 60).default(3),
      out: z.string().min(1).default("bench/results/build.json"),
    })
    .refine((o) => o.selected <= o.prims, { path: ["selected"], message: "must be at most --prims" }),
  USAGE,
);

const RELAY_MAIN = fileURLToPath(new URL("../../apps/relay/src/main.ts", import.meta.url));
const CLIENT_DIR = fileURLToPath(new URL("../../dist/client", import.meta.url));

console.log(`${cpus().length} CPUs, Node ${process.version}; ${options.prims} prims, ${options.selected} selected, ${options.frames} frames a scenario; a ${options.seconds} s drag`);
// The relay serves the built client: the gallery for the renderer, the world page for the drag.
const relay = await startServerProcess(RELAY_MAIN, { CLIENT_DIR });
const executablePath = chromiumExecutable();
const browser = await chromium.launch({ args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) });
try {
  const render = await renderRuns(browser, relay.url, options);
  const drag = await dragRun(browser, relay.url, options.seconds);
  const traffic = dragTraffic(drag);

  printTable(
    `Renderer, ${options.prims} prims in headless Chromium (SwiftShader), ${options.frames} frames a scenario: main-thread frame time, draw calls (shadow pass included), ` +
      `batch instances added and removed and instance matrices written per frame`,
    renderRows(render),
  );
  printTable(
    `Network, one gizmo drag of a box through a real relay, ${Math.round(drag.dragSeconds * 10) / 10} s: edit messages and their bytes a second (as the socket sent them), ` +
      `all bytes up a second (avatar input included); baseline: one edit of the same size per pointer move`,
    networkRows(traffic),
  );
  console.log(`\n${findings(render, options.prims, traffic).map((line) => `- ${line}`).join("\n")}`);
  await writeResults(options.out, { date: new Date().toISOString(), options, machine: { cpus: cpus().length, node: process.version }, render, drag, traffic });
} finally {
  await browser.close();
  await relay.stop();
}
