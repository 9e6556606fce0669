import type { Page } from "@playwright/test";
import sharp from "sharp";
import { presetShape, solidFace } from "@tessera/prims";
import { LIBRARY, compressedTextureUrl, tierBytes } from "@tessera/textures";
import { attachScreenshot, expect, idOf, removeOwned, test } from "./players.ts";

const textures = (page: Page) => page.evaluate(() => window.__world.textures()!);
const tierOf = async (page: Page, id: string) => (await textures(page)).textures.find((texture) => texture.id === id)?.tier ?? 0;

/** A picture no earlier run uploaded (so that no cache holds it): stripes in colours from the clock. */
async function freshPicture(): Promise<Buffer> {
  const size = 512;
  const pixels = Buffer.alloc(size * size * 3);
  const seed = Date.now() % 9973;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = (y * size + x) * 3;
      const band = Math.floor((x + y) / 32) % 2;
      pixels[at] = band ? 230 : (seed * 7) % 200;
      pixels[at + 1] = band ? 120 : (seed * 13) % 200;
      pixels[at + 2] = band ? 40 : 200;
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

test("a creator uploads a picture in the build panel and puts it on a prim; another player sees it, blurry first and sharper as the camera comes closer", async ({ players }, testInfo) => {
  // Two software-rendered players, an upload, and a walk.
  test.setTimeout(180_000);
  const ada = await players.join("Ada");
  const bea = await players.join("Bea");
  const adaId = await idOf(ada);
  try {
    // A 2 m box 20 m ahead of the spawn point (128, 128), where both stand, looking along +z.
    const made = await ada.evaluate(
      ({ shape, face }) => window.__world.edit([{ op: "create", prim: { position: { x: 128, y: 1.12, z: 148 }, shape, scale: { x: 2, y: 2, z: 2 }, faces: [face] } }]),
      { shape: presetShape("box"), face: solidFace(255, 255, 255) },
    );
    expect(made.ok).toBe(true);
    const box = (made as { created: number[] }).created[0]!;

    await ada.keyboard.press("b");
    await expect.poll(() => ada.evaluate((id) => window.__world.screenPoint(id), box)).not.toBeNull();
    const [x, y] = (await ada.evaluate((id) => window.__world.screenPoint(id), box))!;
    await ada.mouse.click(x, y);
    await expect.poll(async () => (await ada.evaluate(() => window.__world.build())).selection).toEqual([box]);

    await ada.getByTestId("texture-file").setInputFiles({ name: "stripes.png", mimeType: "image/png", buffer: await freshPicture() });
    await expect(ada.getByTestId("texture-upload-1")).toHaveAttribute("aria-pressed", "true");
    const uploaded = await ada.evaluate(() => (JSON.parse(localStorage.getItem("tessera.uploads") ?? "[]") as string[])[0]!);

    // Bea, 20 m away, gets the floor tier first: the box covers a few dozen pixels.
    await expect.poll(() => tierOf(bea, uploaded), { timeout: 20_000 }).toBe(32);
    await attachScreenshot(bea, testInfo, "1-far");
    // She walks up to it: the face grows on screen and a sharper tier replaces the first.
    await bea.keyboard.down("KeyW");
    try {
      await expect.poll(() => tierOf(bea, uploaded), { timeout: 20_000 }).toBeGreaterThanOrEqual(128);
    } finally {
      await bea.keyboard.up("KeyW");
    }
    await attachScreenshot(bea, testInfo, "2-near");

    // A library texture chosen in the picker shows for Bea at once too.
    const brick = LIBRARY.find((texture) => texture.name === "brick")!;
    await ada.getByTestId("texture-brick").click();
    await expect(ada.getByTestId("texture-brick")).toHaveAttribute("aria-pressed", "true");
    await expect.poll(() => tierOf(bea, brick.id), { timeout: 20_000 }).toBeGreaterThan(0);
    await attachScreenshot(ada, testInfo, "3-creator");
  } finally {
    await removeOwned(ada, adaId);
  }
});

test("200 textured prims stay within a small texture budget", async ({ players }, testInfo) => {
  const budgetMiB = 8;
  const cara = await players.join("Cara", { query: `textures=${budgetMiB}` });
  const caraId = await idOf(cara);
  try {
    // A field of 10 x 20 boxes ahead of the spawn point (128, 128), in its tile (x and z from 128 to 192), every library texture on them.
    const ops = Array.from({ length: 200 }, (_, i) => ({
      op: "create",
      prim: {
        position: { x: 129 + (i % 10), y: 0.6, z: 140 + Math.floor(i / 10) * 2 },
        shape: presetShape("box"),
        scale: { x: 0.8, y: 0.8, z: 0.8 },
        faces: [{ ...solidFace(255, 255, 255), texture: LIBRARY[i % LIBRARY.length]!.id }],
      },
    }));
    const made: number[] = [];
    for (let i = 0; i < ops.length; i += 50) {
      const answer = await cara.evaluate((batch) => window.__world.edit(batch), ops.slice(i, i + 50));
      expect(answer).toMatchObject({ ok: true });
      made.push(...(answer as { created: number[] }).created);
    }
    // Every texture of the field shows, and the streaming settles.
    await expect
      .poll(
        async () => {
          const stats = await textures(cara);
          return stats.textures.length >= LIBRARY.length && stats.queued === 0 && stats.inFlight === 0;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const stats = await textures(cara);
    const budget = budgetMiB * 1024 * 1024;
    expect(stats.budgetBytes).toBe(budget);
    expect(stats.usedBytes).toBeLessThanOrEqual(budget);
    expect(stats.gpuBytes).toBeLessThanOrEqual(budget);
    // Sharper than the floor where the budget allows, but not all of them at 512 px (which would take 17 MiB).
    expect(stats.tiers[128] + stats.tiers[512] + stats.tiers[1024]).toBeGreaterThan(0);
    expect(stats.tiers[512] * tierBytes(512) + stats.tiers[1024] * tierBytes(1024)).toBeLessThanOrEqual(budget);
    // Batched: draw calls do not grow with the number of textures.
    expect((await cara.evaluate(() => window.__world.renderer())).calls).toBeLessThan(40);
    await attachScreenshot(cara, testInfo, "budget");
    // Taken away 50 to an edit (one tile's), under the relay's rate of edits.
    for (let i = 0; i < made.length; i += 50) await cara.evaluate((ids) => window.__world.edit([{ op: "delete", ids }]), made.slice(i, i + 50));
  } finally {
    await removeOwned(cara, caraId);
  }
});

test("where the GPU reads a compressed format and memory runs short, large tiers of opaque textures come GPU-compressed, and look the same", async ({ players }, testInfo) => {
  const brick = LIBRARY.find((texture) => texture.name === "brick")!;
  // 8 MiB: the plaza's textures take over 3 MiB, and the brick's 512 px tier takes memory past half of it.
  const dee = await players.join("Dee", { query: "textures=8" });
  const deeId = await idOf(dee);
  try {
    // The relay makes a compressed form in the background on first demand (for a library texture):
    // ask until it is there, as a page does.
    await expect
      .poll(async () => (await dee.request.get(compressedTextureUrl(brick.id, 512))).status(), { timeout: 60_000, intervals: [1000] })
      .toBe(200);
    // An 8 m brick box 6 m ahead of the spawn point (128, 128), where Dee stands, looking along +z: it
    // covers well over 128 px, calling for 512 (also at the lower resolution software rendering draws at).
    const made = await dee.evaluate(
      ({ shape, face }) => window.__world.edit([{ op: "create", prim: { position: { x: 128, y: 4.12, z: 138 }, shape, scale: { x: 8, y: 8, z: 8 }, faces: [face] } }]),
      { shape: presetShape("box"), face: { ...solidFace(255, 255, 255), texture: brick.id } },
    );
    expect(made).toMatchObject({ ok: true });
    await expect.poll(() => tierOf(dee, brick.id), { timeout: 30_000 }).toBe(512);
    // SwiftShader reads BC1: the 512 px tier takes an eighth of its RGBA8 bytes.
    const held = (await textures(dee)).textures.find((texture) => texture.id === brick.id);
    expect(held).toEqual({ id: brick.id, tier: 512, compressed: true });
    expect((await textures(dee)).compressed).toBeGreaterThanOrEqual(1);
    await attachScreenshot(dee, testInfo, "compressed-brick");
  } finally {
    await removeOwned(dee, deeId);
  }
});
