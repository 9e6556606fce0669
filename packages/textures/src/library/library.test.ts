import { describe, expect, it } from "vitest";
import { textureId } from "../texture-id.ts";
import { TEXTURE_ID } from "../tiers.ts";
import { LIBRARY, LIBRARY_SIZE, libraryPixels, libraryTexture } from "./index.ts";

const SEE_THROUGH: Record<string, { min: number; max: number; mean: [number, number] }> = {
  glass: { min: 70, max: 110, mean: [80, 100] },
  water: { min: 185, max: 230, mean: [190, 210] },
};

const drawn = new Map<string, Uint8Array>();
/** Each texture at full size, drawn once for all the tests. */
function pixels(name: string): Uint8Array {
  let rgba = drawn.get(name);
  if (!rgba) drawn.set(name, (rgba = libraryPixels(name)));
  return rgba;
}

/** Mean absolute difference (all four channels) between columns a and b, or rows a and b. */
function difference(rgba: Uint8Array, width: number, height: number, axis: "columns" | "rows", a: number, b: number): number {
  let sum = 0;
  const count = axis === "columns" ? height : width;
  for (let k = 0; k < count; k++) {
    const p = axis === "columns" ? (k * width + a) * 4 : (a * width + k) * 4;
    const q = axis === "columns" ? (k * width + b) * 4 : (b * width + k) * 4;
    for (let c = 0; c < 4; c++) sum += Math.abs(rgba[p + c]! - rgba[q + c]!);
  }
  return sum / (count * 4);
}

/**
 * Whether a texture tiles along an axis: the step across the wrap (last column to first) is no
 * larger than a step between neighbours inside, on average, give or take half and one level.
 */
function tiles(rgba: Uint8Array, width: number, height: number, axis: "columns" | "rows"): boolean {
  const length = axis === "columns" ? width : height;
  let inside = 0;
  for (let k = 0; k + 1 < length; k++) inside += difference(rgba, width, height, axis, k, k + 1);
  inside /= length - 1;
  return difference(rgba, width, height, axis, length - 1, 0) <= inside * 1.5 + 1;
}

describe("texture library", () => {
  it("lists each texture once, with a well-formed id", () => {
    expect(new Set(LIBRARY.map((texture) => texture.name)).size).toBe(LIBRARY.length);
    expect(new Set(LIBRARY.map((texture) => texture.id)).size).toBe(LIBRARY.length);
    for (const { id } of LIBRARY) expect(id).toMatch(TEXTURE_ID);
    expect(LIBRARY).toHaveLength(12);
  });

  it("has the id of each texture's pixels in its table (regenerate the ids when a generator changes)", async () => {
    for (const { name, id } of LIBRARY) {
      expect(await textureId(LIBRARY_SIZE, LIBRARY_SIZE, pixels(name)), name).toBe(id);
    }
  });

  it("draws textures that tile: across the wrap they change no more than between neighbours", () => {
    for (const { name } of LIBRARY) {
      expect(tiles(pixels(name), LIBRARY_SIZE, LIBRARY_SIZE, "columns"), `${name} left to right`).toBe(true);
      expect(tiles(pixels(name), LIBRARY_SIZE, LIBRARY_SIZE, "rows"), `${name} top to bottom`).toBe(true);
    }
  });

  it("notices a texture that does not tile: a brick wall cut off mid-course", () => {
    const cut = pixels("brick").subarray(0, LIBRARY_SIZE * 1000 * 4);
    expect(tiles(cut, LIBRARY_SIZE, 1000, "rows")).toBe(false);
  });

  it("draws nothing flat", () => {
    for (const { name } of LIBRARY) {
      const rgba = pixels(name);
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        const luma = 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
        sum += luma;
        squares += luma * luma;
      }
      const n = rgba.length / 4;
      expect(squares / n - (sum / n) ** 2, name).toBeGreaterThan(20);
    }
  });

  it("makes glass and water see-through and everything else opaque", () => {
    for (const { name } of LIBRARY) {
      const rgba = pixels(name);
      let min = 255;
      let max = 0;
      let sum = 0;
      for (let i = 3; i < rgba.length; i += 4) {
        min = Math.min(min, rgba[i]!);
        max = Math.max(max, rgba[i]!);
        sum += rgba[i]!;
      }
      const mean = sum / (rgba.length / 4);
      const alpha = SEE_THROUGH[name];
      if (!alpha) {
        expect(min, name).toBe(255);
        continue;
      }
      expect(min, name).toBeGreaterThanOrEqual(alpha.min);
      expect(max, name).toBeLessThanOrEqual(alpha.max);
      expect(mean, name).toBeGreaterThanOrEqual(alpha.mean[0]);
      expect(mean, name).toBeLessThanOrEqual(alpha.mean[1]);
    }
  });

  it("draws at any power of two from 32 px, the same bytes every time", () => {
    for (const { name } of LIBRARY) {
      for (const size of [32, 128]) {
        const rgba = libraryPixels(name, size);
        expect(rgba.length).toBe(size * size * 4);
        const again = libraryPixels(name, size);
        expect(again.every((value, i) => value === rgba[i]), `${name} at ${size} px`).toBe(true);
      }
    }
  });

  it("refuses sizes it cannot draw and names it does not have, saying which it has", () => {
    for (const size of [16, 100, 2048, 512.5]) expect(() => libraryPixels("brick", size)).toThrow(RangeError);
    expect(() => libraryPixels("marble")).toThrow(/brick, wood, planks/);
    expect(() => libraryPixels("toString")).toThrow(RangeError);
    expect(() => libraryTexture("marble")).toThrow(/no library texture named "marble"/);
    expect(libraryTexture("brick")).toEqual(LIBRARY[0]);
  });
});
