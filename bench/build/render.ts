import type { Browser, Page } from "@playwright/test";
import { percentile } from "@tessera/bots";
import type { BuildScenario } from "../../apps/client/src/gallery/BuildProbe.tsx";

/** Untimed frames after a scenario starts: the first ones compile shaders and fill buffers. */
const WARM_UP_FRAMES = 5;

/** One scenario on the gallery's field: frame times, draw calls, and what the batches were made to do per frame. */
export interface RenderRun {
  scenario: BuildScenario;
  frames: number;
  frameMsP50: number;
  frameMsP95: number;
  /** Waiting for the GPU to finish the frame before (here SwiftShader, on the CPU in another process), ms. */
  gpuMsP50: number;
  /** Of the last frame (shadow pass included). */
  drawCalls: number;
  /** Per frame, over the timed frames. */
  instancesAdded: number;
  instancesRemoved: number;
  matrixWrites: number;
}

export interface RenderOptions {
  prims: number;
  frames: number;
  selected: number;
}

/** Renders until every prim of the field is drawn (the meshes come from workers), 5 frames at a time. */
async function untilDrawn(page: Page, prims: number): Promise<void> {
  const deadline = performance.now() + 180_000;
  for (;;) {
    await page.evaluate(() => window.__bench!.frames(5));
    const { drawn } = await page.evaluate(() => window.__buildBench!.stats());
    if (drawn >= prims) return;
    if (performance.now() > deadline) throw new Error(`only ${drawn} of ${prims} prims drawn after 3 minutes`);
  }
}

/**
 * Starts a scenario, warms it up, and times its frames one at a time, each begun with the GPU idle:
 * its main-thread time is its own, not a wait for the frames before it.
 */
async function measure(page: Page, scenario: BuildScenario, options: RenderOptions): Promise<RenderRun> {
  const { before, after, timed } = await page.evaluate(
    async ({ scenario, frames, selected, warmUp }) => {
      const build = window.__buildBench!;
      build.start(scenario, selected);
      await window.__bench!.frames(warmUp);
      const before = build.stats();
      const timed = { frameMs: [] as number[], gpuMs: [] as number[], calls: 0 };
      for (let i = 0; i < frames; i++) {
        const settling = performance.now();
        build.settle();
        timed.gpuMs.push(performance.now() - settling);
        const frame = await window.__bench!.frames(1);
        timed.frameMs.push(frame.frameMs[0]!);
        timed.calls = frame.calls;
      }
      const after = build.stats();
      build.stop();
      return { before, after, timed };
    },
    { scenario, ...options, warmUp: WARM_UP_FRAMES },
  );
  const perFrame = (key: "instancesAdded" | "instancesRemoved" | "matrixWrites") => (after[key] - before[key]) / options.frames;
  return {
    scenario,
    frames: options.frames,
    frameMsP50: percentile(timed.frameMs, 50),
    frameMsP95: percentile(timed.frameMs, 95),
    gpuMsP50: percentile(timed.gpuMs, 50),
    drawCalls: timed.calls,
    instancesAdded: perFrame("instancesAdded"),
    instancesRemoved: perFrame("instancesRemoved"),
    matrixWrites: perFrame("matrixWrites"),
  };
}

/**
 * The gallery's field of `prims` prims (batched) in headless Chromium, its frames driven from here:
 * idle, one prim dragged (ours, then rebuilding the batches each move), `selected` prims outlined
 * (ours, then a box object per prim). One page, the scenarios one after another.
 */
export async function renderRuns(browser: Browser, origin: string, options: RenderOptions): Promise<RenderRun[]> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on("pageerror", (error) => console.error(`[gallery] ${error.message}`));
  try {
    await page.goto(`${origin}/gallery.html?field=${options.prims}&renderer=batched`);
    await page.waitForFunction(() => window.__bench !== undefined && window.__buildBench !== undefined, undefined, { timeout: 120_000 });
    await untilDrawn(page, options.prims);
    const runs: RenderRun[] = [];
    for (const scenario of ["idle", "drag", "drag-rebuild", "outline", "outline-per-prim"] as const) runs.push(await measure(page, scenario, options));
    return runs;
  } finally {
    await page.close();
  }
}
