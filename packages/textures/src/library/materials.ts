import { seededRandom } from "@tessera/prims";
import { hash, noiseField } from "./noise.ts";
import { Picture, clamp01, fract, smoothstep } from "./picture.ts";

/**
 * Brushed steel: cool grey with fine streaks along x (the brush), a broad soft sheen across the
 * diagonal and a few faint scratches.
 */
export function metal(size: number): Uint8Array {
  const seed = 901;
  const picture = new Picture(size);
  const streaks = noiseField(size, seed, { cellsX: 2, cellsY: 256, octaves: 3 });
  const wear = noiseField(size, seed + 1, { cellsX: 4, cellsY: 4, octaves: 5 });
  const random = seededRandom(seed + 2);
  for (let y = 0; y < size; y++) {
    const rowTone = (random() - 0.5) * 0.04;
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const sheen = fract((x + y) / size);
      const band = 1 - Math.abs(sheen * 2 - 1);
      const light = 0.86 + 0.14 * band * band + streaks[i]! * 0.35 + wear[i]! * 0.12 + rowTone + (random() - 0.5) * 0.05;
      picture.set(i, 152 * light, 157 * light, 163 * light);
    }
  }
  const scratches = Math.round(60 * (size / 1024));
  for (let n = 0; n < scratches; n++) {
    let x = random() * size;
    let y = random() * size;
    const dx = random() * 2 - 1;
    const dy = (random() * 2 - 1) * 0.5;
    const length = (40 + random() * 200) * (size / 1024);
    const step = 1 / Math.sqrt(dx * dx + dy * dy);
    const bright = random() < 0.5 ? 215 : 95;
    for (let s = 0; s < length; s++) {
      picture.blend(Math.floor(x), Math.floor(y), bright, bright, bright + 4, 0.28 * (1 - Math.abs((s / length) * 2 - 1)));
      x += dx * step;
      y += dy * step;
    }
  }
  return picture.bytes;
}

/** Threads across a fabric texture each way (a multiple of the weave's repeat, 4). */
const THREADS = 128;

/**
 * Denim-like twill: indigo warp threads (down) over three pale weft threads (across) and under one,
 * each row shifted by one, so that fine diagonal ribs run across; threads not quite straight, each
 * its own shade, with slubs along it, a rounded body, dark gaps at its sides and stray fibres; the
 * whole faded in soft patches.
 */
export function fabric(size: number): Uint8Array {
  const seed = 1001;
  const picture = new Picture(size);
  const pitch = size / THREADS;
  const slubsDown = noiseField(size, seed, { cellsX: 64, cellsY: 8, octaves: 3 });
  const slubsAcross = noiseField(size, seed + 1, { cellsX: 8, cellsY: 64, octaves: 3 });
  const fade = noiseField(size, seed + 2, { cellsX: 4, cellsY: 4, octaves: 5 });
  const wander = noiseField(size, seed + 3, { cellsX: 8, cellsY: 8, octaves: 2 });
  const random = seededRandom(seed + 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const shift = wander[i]! * pitch * 1.5;
      const u = (x + shift) / pitch;
      const v = (y - shift) / pitch;
      const warp = Math.floor(u);
      const weft = Math.floor(v);
      const warpOnTop = (((warp + weft) % 4) + 4) % 4 !== 0;
      // Across the thread on top: bright in its middle, dark at its sides.
      const t = (warpOnTop ? u - warp : v - weft) * 2 - 1;
      const body = 1 - t * t;
      const thread = warpOnTop ? hash(warp & (THREADS - 1), 0, seed) : hash(weft & (THREADS - 1), 1, seed);
      const slub = warpOnTop ? slubsDown[i]! : slubsAcross[i]!;
      const light = (0.55 + 0.45 * body) * (0.9 + 0.2 * thread) * (1 + slub * 0.45) * (1 + fade[i]! * 0.35) + (random() - 0.5) * 0.16;
      if (warpOnTop) picture.set(i, 52 * light, 74 * light, 122 * light);
      else picture.set(i, 150 * light, 160 * light, 182 * light);
    }
  }
  return picture.bytes;
}

/**
 * Clear glass: a faint blue-green tint, mostly see-through (alpha 70 to 110), with soft streaks down
 * it and two wide pale reflections across the diagonal.
 */
export function glass(size: number): Uint8Array {
  const seed = 1101;
  const picture = new Picture(size);
  const streaks = noiseField(size, seed, { cellsX: 16, cellsY: 1, octaves: 3 });
  const ripple = noiseField(size, seed + 1, { cellsX: 2, cellsY: 2, octaves: 2 });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const band = fract(((x + y) / size) * 2 + ripple[i]! * 0.15);
      const reflection = smoothstep(0, 0.04, band) * (1 - smoothstep(0.04, 0.2, band)) + 0.5 * smoothstep(0.27, 0.29, band) * (1 - smoothstep(0.29, 0.33, band));
      const streak = streaks[i]!;
      const light = 1 + streak * 0.1 + reflection * 0.1;
      const alpha = 86 + streak * 35 + reflection * 14;
      picture.set(i, 186 * light, 216 * light, 222 * light, Math.min(110, Math.max(70, alpha)));
    }
  }
  return picture.bytes;
}

/**
 * Water seen from above: deep blue-green, darker and lighter where slow waves tilt, crossed by a
 * bright web of caustics; alpha about 200 (a little more where it is bright).
 */
export function water(size: number): Uint8Array {
  const seed = 1201;
  const picture = new Picture(size);
  const mask = size - 1;
  const waves = noiseField(size, seed, { cellsX: 2, cellsY: 2, octaves: 5 });
  const webA = noiseField(size, seed + 1, { cellsX: 4, cellsY: 4, octaves: 2 });
  const webB = noiseField(size, seed + 2, { cellsX: 8, cellsY: 8, octaves: 2 });
  const scale = size / 1024;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const wave = waves[i]!;
      // The web drifts with the waves: looked up a little off the pixel.
      const shift = Math.round(wave * 60 * scale);
      const a = webA[((y + shift) & mask) * size + ((x - shift) & mask)]!;
      const b = webB[((y - shift) & mask) * size + ((x + shift) & mask)]!;
      const caustic = (1 - smoothstep(0, 0.05, Math.abs(a))) * 0.7 + (1 - smoothstep(0, 0.04, Math.abs(b))) * 0.5;
      const light = 1 + wave * 0.6;
      const glow = clamp01(caustic);
      picture.set(i, 26 * light + 120 * glow, 92 * light + 110 * glow, 122 * light + 80 * glow, 196 + 24 * glow);
    }
  }
  return picture.bytes;
}
