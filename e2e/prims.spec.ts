import { attachScreenshot, expect, test } from "./players.ts";

/** Every preset and variant of the gallery. */
const GALLERY_SHAPES = 22;

test("the demo world's prims stream in and render in a few draw calls", async ({ players }, testInfo) => {
  const page = await players.join("Sightseer");
  // The spawn tile holds the plaza, the fountain, the showcase and more: well over a hundred prims.
  await expect.poll(() => page.evaluate(() => window.__world.prims().length), { timeout: 30_000 }).toBeGreaterThan(150);
  const prims = await page.evaluate(() => window.__world.prims());
  const shapes = new Set(prims.map((p) => p.shape));
  for (const shape of ["box", "cylinder", "sphere", "torus", "cone", "pyramid", "hemisphere"]) expect(shapes).toContain(shape);
  expect(new Set(prims.map((p) => p.lod)).size).toBeGreaterThan(1);
  // Batched: the prims add a handful of draw calls to the avatars, ground and sky (shadow pass included).
  const info = await page.evaluate(() => window.__world.renderer());
  expect(info.calls).toBeLessThanOrEqual(50);
  expect(info.triangles).toBeGreaterThan(2000);
  await attachScreenshot(page, testInfo, "demo-world");
});

test("the prim gallery shows every shape, at any level of detail", async ({ page }, testInfo) => {
  const triangles: number[] = [];
  for (const lod of [3, 0]) {
    await page.goto(`/gallery.html?lod=${lod}`);
    await expect.poll(() => page.evaluate(() => window.__world.prims().length)).toBe(2 * GALLERY_SHAPES);
    const prims = await page.evaluate(() => window.__world.prims());
    expect(prims.every((p) => p.lod === lod)).toBe(true);
    await expect.poll(() => page.evaluate(() => window.__world.renderer().calls)).toBeGreaterThan(0);
    const info = await page.evaluate(() => window.__world.renderer());
    expect(info.calls).toBeLessThanOrEqual(40);
    triangles.push(info.triangles);
    await attachScreenshot(page, testInfo, `gallery-lod${lod}`);
  }
  expect(triangles[0]).toBeGreaterThan(triangles[1]! * 2);
});
