/**
 * The randomness the library draws with: a seeded generator, a hash for per-element choices and
 * periodic gradient noise whose lattice wraps at the texture's edge, so that what is drawn with it
 * tiles. Only exactly rounded arithmetic (+ - * / and sqrt, no sin or exp, whose last bits differ
 * between engines): every engine draws the same bytes, and so the same texture ids.
 */

import { seededRandom } from "@tessera/prims";

/** A number in [0, 1) that depends only on its arguments: the colour of brick (a, b) of a wall drawn with `seed`. */
export function hash(a: number, b: number, seed: number): number {
  let h = Math.imul(a | 0, 0x27d4eb2d) ^ Math.imul(b | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b9);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** How a {@link noiseField} is drawn: lattice cells across the texture at its coarsest octave, and how many octaves. */
export interface NoiseShape {
  /** Cells across (x) of the first octave, a power of two (so that every cell is whole pixels): features repeat this many times... */
  cellsX: number;
  /** ...and down (y): a field stretched along x has fewer cells across than down. */
  cellsY: number;
  /** Octaves, each with twice the cells of the one before. */
  octaves: number;
  /** Amplitude of each octave relative to the one before (0.5 unless told). */
  gain?: number;
}

/** Smooth weight of the fraction t in [0, 1] (Perlin's quintic): no creases at the lattice lines. */
const fade = (t: number) => t * t * t * (t * (t * 6 - 15) + 10);

/**
 * Fractal gradient noise over a `size` by `size` texture (a power of two), row by row, wrapping at
 * the edges (each octave's lattice has a whole number of cells across the texture). Values are about -1 to 1,
 * mostly within ±0.4. Octaves finer than a pixel are left out.
 *
 * Fast: along a row, the corners of each lattice column contribute `slope * dx + offset`, where
 * slope and offset are blended down the column once per row, and every cell of a row has the same
 * fractions across it; a pixel costs two multiply-adds and a blend per octave.
 */
export function noiseField(size: number, seed: number, shape: NoiseShape): Float32Array {
  const powerOfTwo = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
  if (!powerOfTwo(shape.cellsX) || !powerOfTwo(shape.cellsY)) throw new RangeError(`noise cells must be powers of two, not ${shape.cellsX} by ${shape.cellsY}`);
  const random = seededRandom(seed);
  const gain = shape.gain ?? 0.5;
  const octaves: { cx: number; cy: number; amplitude: number; gx: Float64Array; gy: Float64Array; across: Float64Array; blend: Float64Array }[] = [];
  let total = 0;
  for (let octave = 0, amplitude = 1; octave < shape.octaves; octave++, amplitude *= gain) {
    const cx = shape.cellsX << octave;
    const cy = shape.cellsY << octave;
    if (cx > size || cy > size) break;
    const gx = new Float64Array(cx * cy);
    const gy = new Float64Array(cx * cy);
    for (let i = 0; i < gx.length; i++) {
      // A random direction, uniform over the circle (rejection keeps it exact without trigonometry).
      let x: number, y: number, length: number;
      do {
        x = random() * 2 - 1;
        y = random() * 2 - 1;
        length = x * x + y * y;
      } while (length > 1 || length < 0.01);
      length = Math.sqrt(length);
      gx[i] = x / length;
      gy[i] = y / length;
    }
    // Fractions across a cell (size / cx pixels, the same for every cell), and their fades.
    const width = size / cx;
    const across = new Float64Array(width);
    const blend = new Float64Array(width);
    for (let j = 0; j < width; j++) {
      across[j] = j / width;
      blend[j] = fade(j / width);
    }
    octaves.push({ cx, cy, amplitude, gx, gy, across, blend });
    total += amplitude;
  }
  const field = new Float32Array(size * size);
  const row = new Float64Array(size);
  for (let y = 0; y < size; y++) {
    row.fill(0);
    for (const { cx, cy, amplitude, gx, gy, across, blend } of octaves) {
      const v = (y * cy) / size;
      const row0 = Math.floor(v);
      const fy = v - row0;
      const uy = fade(fy);
      const r0 = row0 * cx;
      const r1 = ((row0 + 1) % cy) * cx;
      const weight = amplitude / total;
      const width = across.length;
      // The corners of lattice column i contribute slope * dx + offset, dx from the corner.
      let slopeLeft = 0;
      let offsetLeft = 0;
      for (let i = 0; i <= cx; i++) {
        const c = i === cx ? 0 : i;
        const top = gy[r0 + c]! * fy;
        const slopeRight = weight * (gx[r0 + c]! + (gx[r1 + c]! - gx[r0 + c]!) * uy);
        const offsetRight = weight * (top + (gy[r1 + c]! * (fy - 1) - top) * uy);
        if (i > 0) {
          for (let j = 0, x = (i - 1) * width; j < width; j++, x++) {
            const fx = across[j]!;
            const a = slopeLeft * fx + offsetLeft;
            const b = slopeRight * (fx - 1) + offsetRight;
            row[x]! += a + (b - a) * blend[j]!;
          }
        }
        slopeLeft = slopeRight;
        offsetLeft = offsetRight;
      }
    }
    field.set(row, y * size);
  }
  return field;
}
