import { chromium, type Page } from "@playwright/test";
import { preview } from "vite";
import { CHROMIUM_ARGS, chromiumExecutable } from "../../e2e/chromium.ts";
import { percentile } from "@tessera/bots";

export interface RenderRun {
  renderer: "batched" | "naive";
  prims: number;
  /** From opening the page until every prim is drawn, ms (batched: meshes from workers). */
  readyMs: number;
  frames: number;
  frameMsMedian: number;
  frameMsP95: number;
  calls: number;
  triangles: number;
  heapMB?: number;
}

async function measure(page: Page, url: string, renderer: RenderRun["renderer"], count: number, frames: number): Promise<RenderRun> {
  const opened = performance.now();
  await page.goto(url);
  await page.waitForFunction(() => window.__bench !== undefined, undefined, { timeout: 120_000 });
  // Frames run only when asked: render until every prim is drawn.
  for (;;) {
    await page.evaluate(() => window.__bench!.frames(5));
    const drawn = renderer === "naive" ? count : await page.evaluate(() => window.__world.prims().length);
    if (drawn >= count) break;
    if (performance.now() - opened > 300_000) throw new Error(`${renderer}: only ${drawn} of ${count} prims drawn after 5 minutes`);
  }
  const readyMs = performance.now() - opened;
  const result = await page.evaluate((n) => window.__bench!.frames(n), frames);
  return {
    renderer,
    prims: count,
    readyMs,
    frames,
    frameMsMedian: percentile(result.frameMs, 50),
    frameMsP95: percentile(result.frameMs, 95),
    calls: result.calls,
    triangles: result.triangles,
    ...(result.heapBytes ? { heapMB: result.heapBytes / 2 ** 20 } : {}),
  };
}

/**
 * Renders the gallery's field of `count` prims in headless Chromium (software WebGL), batched and
 * one mesh per prim, `frames` timed frames each. Needs the built client (`npm run build`).
 */
export async function renderRuns(count: number, frames: number): Promise<RenderRun[]> {
  const server = await preview({ configFile: "vite.config.ts", logLevel: "warn", preview: { port: 0, host: "127.0.0.1" } });
  const address = server.resolvedUrls?.local[0];
  if (!address) throw new Error("vite preview did not start");
  const executablePath = chromiumExecutable();
  const browser = await chromium.launch({ args: [...CHROMIUM_ARGS, "--enable-precise-memory-info"], ...(executablePath ? { executablePath } : {}) });
  try {
    const runs: RenderRun[] = [];
    for (const renderer of ["batched", "naive"] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      page.on("pageerror", (error) => console.error(`[${renderer}] ${error.message}`));
      runs.push(await measure(page, `${address}gallery.html?field=${count}&renderer=${renderer}`, renderer, count, frames));
      // Software GL takes its time over a frame of this size.
      await page.screenshot({ path: `bench/results/prims-${renderer}.png`, timeout: 180_000 });
      await page.close();
    }
    return runs;
  } finally {
    await browser.close();
    await server.close();
  }
}
