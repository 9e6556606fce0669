import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { TEXTURE_ID, textureId } from "@tessera/textures";
import { sniffType } from "../src/textures/image-check.ts";
import { scanPixels } from "../src/textures/pixel-scan.ts";
import { TierCache } from "../src/textures/tier-cache.ts";
import { WorkSlots } from "../src/textures/work-slots.ts";

/** RGBA pixels that differ everywhere, with alpha 255 unless `alphaAt` names a pixel. */
function pixels(width: number, height: number, alphaAt?: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([i % 251, (i * 7) % 253, (i * 13) % 256, i === alphaAt ? 17 : 255], i * 4);
  return rgba;
}

describe("scanPixels", () => {
  it("gives the id textureId gives, for pictures of one slice and of many", async () => {
    for (const [width, height] of [[1, 1], [3, 5], [512, 512], [700, 900]] as const) {
      const rgba = pixels(width, height);
      const { id } = await scanPixels(width, height, rgba);
      expect(id).toMatch(TEXTURE_ID);
      expect(id).toBe(await textureId(width, height, rgba));
    }
  });

  it("tells an opaque picture from one with a single see-through pixel, wherever it is", async () => {
    expect((await scanPixels(700, 900, pixels(700, 900))).opaque).toBe(true);
    expect((await scanPixels(700, 900, pixels(700, 900, 0))).opaque).toBe(false);
    expect((await scanPixels(700, 900, pixels(700, 900, 700 * 900 - 1))).opaque).toBe(false);
  });

  it("refuses pixels that do not fit the size", async () => {
    await expect(scanPixels(2, 2, new Uint8Array(15))).rejects.toThrow(/expected 16 bytes of RGBA for 2x2/);
  });
});

describe("sniffType", () => {
  it("knows PNG, JPEG and WebP by their first bytes, and nothing else", async () => {
    const image = sharp({ create: { width: 4, height: 4, channels: 3, background: "#808080" } });
    expect(sniffType(await image.clone().png().toBuffer())).toBe("image/png");
    expect(sniffType(await image.clone().jpeg().toBuffer())).toBe("image/jpeg");
    expect(sniffType(await image.clone().webp().toBuffer())).toBe("image/webp");
    expect(sniffType(await image.clone().gif().toBuffer())).toBeUndefined();
    // A RIFF file that is not WebP (a WAVE sound).
    expect(sniffType(Buffer.from("RIFF\x24\x00\x00\x00WAVEfmt ", "latin1"))).toBeUndefined();
    expect(sniffType(new Uint8Array())).toBeUndefined();
  });
});

describe("TierCache", () => {
  const entry = (size: number) => ({ tier: 32, bytes: new Uint8Array(size) });

  it("lets the least recently used go first, within its bytes", () => {
    const cache = new TierCache(100);
    cache.set("a", entry(40));
    cache.set("b", entry(40));
    expect(cache.get("a")).toBeDefined();
    cache.set("c", entry(40));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("c")).toBeDefined();
    expect(cache.size).toBe(80);
    cache.set("a", entry(10));
    expect(cache.size).toBe(50);
  });

  it("keeps nothing larger than all of it", () => {
    const cache = new TierCache(100);
    cache.set("a", entry(60));
    cache.set("huge", entry(101));
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
  });
});

describe("WorkSlots", () => {
  it("runs so many at once, the rest in turn, and frees a slot when work fails", async () => {
    const slots = new WorkSlots(2);
    let running = 0;
    let most = 0;
    const work = (fail: boolean) => async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
      if (fail) throw new Error("failed");
      return "done";
    };
    const results = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => slots.run(work(i % 3 === 0))));
    expect(most).toBe(2);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(4);
    expect(await slots.run(work(false))).toBe("done");
  });
});
