import { describe, expect, it } from "vitest";
import { TEXTURE_TIERS, projectedPixels, tierAtLeast, tierBytes, tierForFace, tiersFor } from "./tiers.ts";

describe("texture tiers", () => {
  it("picks the smallest tier that covers a face's size on screen, the top one beyond", () => {
    expect(tierAtLeast(1)).toBe(32);
    expect(tierAtLeast(32)).toBe(32);
    expect(tierAtLeast(33)).toBe(128);
    expect(tierAtLeast(400)).toBe(512);
    expect(tierAtLeast(513)).toBe(1024);
    expect(tierAtLeast(5000)).toBe(1024);
  });

  it("projects a face's size onto the screen: proportional to its size, inverse to its distance", () => {
    // A 60° field of view on a 720 px high view: 360 / tan(30°) px per metre at a metre.
    const pixelsPerMetre = 360 / Math.tan(Math.PI / 6);
    expect(projectedPixels(1, 1, pixelsPerMetre)).toBeCloseTo(623.5, 1);
    expect(projectedPixels(2, 10, pixelsPerMetre)).toBeCloseTo(projectedPixels(1, 5, pixelsPerMetre), 6);
    // Inside a face, or touching it: as if a quarter metre away, never infinite.
    expect(projectedPixels(1, 0, pixelsPerMetre)).toBe(projectedPixels(1, 0.25, pixelsPerMetre));
    expect(projectedPixels(1, -3, pixelsPerMetre)).toBe(projectedPixels(1, 0.25, pixelsPerMetre));
  });

  it("asks for less when the texture repeats across the face, and follows the bias", () => {
    expect(tierForFace(400, 1)).toBe(512);
    // Four repeats across 400 px: each covers 100 px.
    expect(tierForFace(400, 4)).toBe(128);
    expect(tierForFace(400, -4)).toBe(128);
    // A texture stretched to a tenth of a face: each texel is larger still.
    expect(tierForFace(100, 0.1)).toBe(1024);
    expect(tierForFace(400, 1, 0.25)).toBe(128);
    expect(tierForFace(400, 1, 2)).toBe(1024);
    // Repeats of 0 count as a hundredth: the largest tier, not a division by zero.
    expect(tierForFace(50, 0)).toBe(1024);
  });

  it("stores the tiers up to the first that covers a picture's longest side", () => {
    expect(tiersFor(16)).toEqual([32]);
    expect(tiersFor(300)).toEqual([32, 128, 512]);
    expect(tiersFor(4096)).toEqual([...TEXTURE_TIERS]);
  });

  it("counts a third more GPU memory than the tier's RGBA8 pixels, for its mipmaps", () => {
    expect(tierBytes(1024)).toBe(Math.ceil((1024 * 1024 * 4 * 4) / 3));
  });
});
