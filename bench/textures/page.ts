import type { Browser, Request } from "@playwright/test";
import type { TextureBenchReport } from "../../apps/client/src/gallery/TextureProbe.tsx";

/** Which renderer a run uses and, for ours, its GPU budget and whether large tiers may come GPU-compressed. */
export interface RunSpec {
  label: string;
  renderer: "ours" | "naive";
  budgetBytes: number;
  compressed: boolean;
}

/** One run: where the page got to, and the texture responses' bytes as the browser saw them. */
export interface PageRun {
  spec: RunSpec;
  report: TextureBenchReport;
  /** Whether it stopped at the time limit before settling. */
  timedOut: boolean;
  /**
   * Body bytes of the `/textures/` responses that came over the network (Playwright's network events,
   * which include the workers' fetches), how many responses in all, how many the browser's HTTP
   * cache answered (no body bytes: a tier fetched again after it was dropped), and how many asked for
   * a URL asked for before.
   */
  wire: { bytes: number; responses: number; fromCache: number; repeated: number };
  /** Main-thread ms per frame over a few seconds once the run settled (or timed out): what the scene costs to draw, loading done. */
  steadyMsPerFrame: number;
  /** Whether a settled run stayed settled over those seconds (nothing fetched or changed). */
  stayedSettled: boolean;
}

const VIEWPORT = { width: 1280, height: 720 };
const POLL_MS = 500;
/** How long frames are counted after a run settles, ms. */
const STEADY_MS = 5000;

/**
 * Opens the gallery's textured page in a fresh browser context (no HTTP cache, no workers carried
 * over), starts a run with `ids`, and polls it until its textures settle or `timeoutS` passes.
 * Saves a screenshot of the end to `screenshot` when given.
 */
export async function pageRun(browser: Browser, origin: string, spec: RunSpec, ids: readonly string[], prims: number, timeoutS: number, screenshot?: string): Promise<PageRun> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const wire = { bytes: 0, responses: 0, fromCache: 0, repeated: 0 };
  const asked = new Set<string>();
  const sizing: Promise<void>[] = [];
  const count = (request: Request) => {
    if (!new URL(request.url()).pathname.startsWith("/textures/")) return;
    if (asked.has(request.url())) wire.repeated++;
    asked.add(request.url());
    sizing.push(
      request.sizes().then(
        (sizes) => {
          // Chromium reports a response answered from its HTTP cache with no body bytes (Playwright: zero or less).
          wire.bytes += Math.max(0, sizes.responseBodySize);
          wire.responses++;
          if (sizes.responseBodySize <= 0) wire.fromCache++;
        },
        () => undefined,
      ),
    );
  };
  context.on("requestfinished", count);
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[${spec.label}] ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") console.error(`[${spec.label}] console: ${message.text()}`);
  });
  try {
    await page.goto(`${origin}/gallery.html?textured=${prims}&renderer=${spec.renderer}`);
    await page.waitForFunction(() => window.__textureBench !== undefined, undefined, { timeout: 120_000 });
    await page.evaluate((start) => window.__textureBench!.start(start), { ids: [...ids], budgetBytes: spec.budgetBytes, compressed: spec.compressed });
    const deadline = performance.now() + timeoutS * 1000;
    let report: TextureBenchReport | null = null;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      report = await page.evaluate(() => window.__textureBench!.report());
      if (report?.settledMs != null) break;
      if (performance.now() > deadline) break;
    }
    if (!report) throw new Error(`${spec.label}: the page never reported (no frame drawn in ${timeoutS} s)`);
    const timedOut = report.settledMs === null;
    // Frames once loading is done; the last report's figures (draw calls) are of a settled frame.
    await new Promise((resolve) => setTimeout(resolve, STEADY_MS));
    const after = (await page.evaluate(() => window.__textureBench!.report()))!;
    const steadyMsPerFrame = (after.elapsedMs - report.elapsedMs) / Math.max(1, after.frames - report.frames);
    const stayedSettled = !timedOut && after.settledMs === report.settledMs;
    if (!timedOut) report = { ...after, allShownMs: report.allShownMs, settledMs: report.settledMs, allShownFrames: report.allShownFrames, settledFrames: report.settledFrames };
    if (screenshot) await page.screenshot({ path: screenshot, timeout: 60_000 }).catch((error: Error) => console.error(`[${spec.label}] no screenshot: ${error.message}`));
    await Promise.all(sizing);
    return { spec, report, timedOut, wire: { ...wire }, steadyMsPerFrame, stayedSettled };
  } finally {
    await context.close();
  }
}
