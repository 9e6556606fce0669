import { test as base, expect, type Browser, type Page, type TestInfo } from "@playwright/test";

export type Vec3 = [number, number, number];

export interface Players {
  /**
   * Opens the world as a new guest (its own browser context) and waits until the player stands in
   * it. `origin` reaches the relay another way (through a test proxy); `query` adds URL parameters
   * (e.g. `lag=200`; `view=24` unless it names a view radius); a small `viewport` renders faster in software.
   */
  join(name: string, options?: { origin?: string; query?: string; viewport?: { width: number; height: number } }): Promise<Page>;
}

/**
 * Tests get `players`; every browser they open is closed when the test ends. Each player gets a
 * browser of its own, as players sit at different machines: pages of one browser share its GPU
 * process, where in software WebGL one page's frames hold up the other's shader compiles for
 * seconds.
 */
export const test = base.extend<{ players: Players }>({
  players: async ({ playwright, launchOptions, baseURL }, use) => {
    const browsers: Browser[] = [];
    /** What the pages' Content Security Policy blocked: the relay's policy must let the world run. */
    const blocked: string[] = [];
    await use({
      join: async (name, { origin = baseURL, query, viewport } = {}) => {
        const browser = await playwright.chromium.launch(launchOptions);
        browsers.push(browser);
        const context = await browser.newContext(viewport ? { viewport } : {});
        const page = await context.newPage();
        page.on("pageerror", (error) => console.error(`[${name}] page error: ${error.message}`));
        page.on("console", (message) => {
          if (message.text().includes("Content Security Policy")) blocked.push(`[${name}] ${message.text()}`);
        });
        // Software rendering is slow: pages join the tiles within 24 m unless the test says otherwise.
        const view = query?.includes("view=") ? "" : "&view=24";
        await page.goto(`${origin}/?name=${encodeURIComponent(name)}${query ? `&${query}` : ""}${view}`);
        await page.waitForFunction(() => window.__world.self() !== null && window.__world.connection().status === "connected");
        // And the textures in view have arrived: in software WebGL their uploads hold up frames (and
        // with them the avatar's inputs) for a while, which tests that time motion must not measure.
        await page.waitForFunction(() => {
          const textures = window.__world.textures();
          return textures !== null && textures.fetched > 0 && textures.queued === 0 && textures.inFlight === 0;
        });
        return page;
      },
    });
    await Promise.all(browsers.map((browser) => browser.close()));
    if (blocked.length > 0) throw new Error(`the Content Security Policy blocked:\n${blocked.join("\n")}`);
  },
});
export { expect } from "@playwright/test";

export function selfOf(page: Page) {
  return page.evaluate(() => window.__world.self());
}

/** The player id of the page's own avatar. */
export async function idOf(page: Page): Promise<string> {
  const self = await selfOf(page);
  if (!self) throw new Error("the page has no avatar yet");
  return self.id;
}

/** The position at which `viewer` sees the avatar of player `id`, or undefined when it does not. */
export function seenPosition(viewer: Page, id: string): Promise<Vec3 | undefined> {
  return viewer.evaluate((who) => window.__world.avatars().find((a) => a.id === who)?.position, id);
}

/**
 * Waits until the page draws at least `fps` frames a second (measured over half a second). In
 * software WebGL a new page draws a few frames a second while it compiles its shaders and builds
 * its world, for up to ten seconds or so: tests that judge motion frame by frame start after that.
 */
export async function warmedUp(page: Page, fps = 6): Promise<void> {
  await expect
    .poll(
      async () => {
        const before = await page.evaluate(() => window.__world.self()?.frame ?? 0);
        await page.waitForTimeout(500);
        return ((await page.evaluate(() => window.__world.self()?.frame ?? 0)) - before) * 2;
      },
      { timeout: 45_000, intervals: [0] },
    )
    .toBeGreaterThanOrEqual(fps);
}

/**
 * Deletes every prim `owner` has that the page draws, one object per edit (an edit holds the prims
 * of one tile), and waits until the page draws none of them: the world is shared by every test of
 * a run, and what one test made must not stand in another's way.
 */
export async function removeOwned(page: Page, owner: string): Promise<void> {
  const owned = () => page.evaluate((who) => window.__world.prims().filter((prim) => prim.owner === who), owner);
  for (const { id } of (await owned()).filter((prim) => prim.root === 0)) {
    await page.evaluate((gone) => window.__world.edit([{ op: "delete", ids: [gone] }]), id);
  }
  await expect.poll(async () => (await owned()).length).toBe(0);
}

/** Saves a screenshot of the page as an artifact of the test. */
export async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}
