import { seededRandom } from "@tessera/prims";
import { hash, noiseField } from "./noise.ts";
import { Picture, fract, smoothstep } from "./picture.ts";

/** Growth rings across the height of a wood texture (the grain runs along x). */
const RINGS = 22;

/**
 * Wood grain running along x: growth rings bent by slow noise (where the bend outgrows the rings'
 * spacing they close into the long ovals of flat-sawn wood), each a soft dark band of late wood
 * ending sharply in pale early wood, with fine fibres along the grain. `at` is how dark the wood
 * is at a texture pixel, about 0 (early wood) to 1; sampling it at shifted pixels gives another
 * board of the same tree.
 */
class Grain {
  private readonly bend: Float32Array;
  private readonly wiggle: Float32Array;
  private readonly fibres: Float32Array;
  private readonly mask: number;

  constructor(
    readonly size: number,
    seed: number,
  ) {
    this.mask = size - 1;
    this.bend = noiseField(size, seed, { cellsX: 1, cellsY: 2, octaves: 3, gain: 0.4 });
    this.wiggle = noiseField(size, seed + 2, { cellsX: 4, cellsY: 32, octaves: 2 });
    this.fibres = noiseField(size, seed + 1, { cellsX: 8, cellsY: 512, octaves: 1 });
  }

  /** Darkness at pixel (x, y), wrapped into the texture. */
  at(x: number, y: number): number {
    const i = (y & this.mask) * this.size + (x & this.mask);
    const ring = fract(((y & this.mask) / this.size) * RINGS + this.bend[i]! * 6 + this.wiggle[i]! * 0.4);
    const late = smoothstep(0.55, 0.93, ring) * (1 - smoothstep(0.93, 1, ring));
    return 0.1 + 0.7 * late + this.fibres[i]! * 0.4;
  }
}

/** Pale and dark ends of the wood's colour, early wood to late wood. */
const EARLY = [206, 160, 108] as const;
const LATE = [132, 82, 44] as const;

/** Sets pixel `i` to wood as dark as `dark` (0 early wood, 1 late wood) in `light` (1: as is). */
function setWood(picture: Picture, i: number, dark: number, light: number): void {
  picture.set(i, (EARLY[0] + (LATE[0] - EARLY[0]) * dark) * light, (EARLY[1] + (LATE[1] - EARLY[1]) * dark) * light, (EARLY[2] + (LATE[2] - EARLY[2]) * dark) * light);
}

/** A plain board of wood, the grain along x. */
export function wood(size: number): Uint8Array {
  const picture = new Picture(size);
  const grain = new Grain(size, 501);
  const tone = noiseField(size, 503, { cellsX: 2, cellsY: 4, octaves: 4 });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      setWood(picture, i, grain.at(x, y), 1 + tone[i]! * 0.3);
    }
  }
  return picture.bytes;
}

/** Boards down a planks texture, and butt joints along each board. */
const BOARDS = 6;
const JOINTS = 2;

/**
 * A floor of boards running along x, 6 down the texture, each cut twice along its length at random
 * places; every plank cut from another part of the grain, a shade lighter or darker, with dark gaps
 * and softened edges between them.
 */
export function planks(size: number): Uint8Array {
  const seed = 601;
  const picture = new Picture(size);
  const grain = new Grain(size, seed);
  const random = seededRandom(seed + 2);
  const boardH = size / BOARDS;
  const scale = size / 1024;
  const gap = 2 * scale;
  const bevel = 5 * scale;
  const cuts = Array.from({ length: BOARDS }, () => {
    const first = random() * size;
    return Array.from({ length: JOINTS }, (_, k) => (first + (k * size) / JOINTS + (random() - 0.5) * size * 0.3) % size);
  });
  for (let y = 0; y < size; y++) {
    const board = Math.floor((y + 0.5) / boardH);
    const ly = y + 0.5 - board * boardH;
    const fromSide = Math.min(ly, boardH - ly);
    const joints = cuts[board]!;
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      // Which plank of the board (counted from the cut before x) and how far from a cut.
      let plank = 0;
      let sinceCut = Infinity;
      let fromCut = Infinity;
      for (let k = 0; k < JOINTS; k++) {
        const after = (x + 0.5 - joints[k]! + size) % size;
        if (after < sinceCut) {
          sinceCut = after;
          plank = k;
        }
        fromCut = Math.min(fromCut, after, size - after);
      }
      const pick = hash(board, plank, seed);
      const dx = Math.floor(pick * size);
      const dy = Math.floor(hash(board, plank + 7, seed) * size);
      const dark = grain.at(x + dx, y + dy);
      const edge = Math.min(fromSide, fromCut);
      const light = (0.82 + 0.3 * ((pick * 11.3) % 1)) * (0.7 + 0.3 * smoothstep(gap, gap + bevel, edge)) * (edge < gap ? 0.45 : 1);
      setWood(picture, i, dark, light);
    }
  }
  return picture.bytes;
}

/** Blades of grass on a 1024 px texture (fewer, in proportion, when smaller). */
const BLADES = 60_000;

/**
 * A lawn seen from above: dark soil-green ground with clumps, covered in blades drawn one over the
 * other (later ones lighter, so that the top of the turf catches the light), each a short curved
 * stroke that tapers and lightens to its tip, wrapping round the edges.
 */
export function grass(size: number): Uint8Array {
  const seed = 701;
  const picture = new Picture(size);
  const scale = size / 1024;
  const clumps = noiseField(size, seed, { cellsX: 8, cellsY: 8, octaves: 6 });
  const random = seededRandom(seed + 1);
  for (let i = 0; i < size * size; i++) {
    const c = 1 + clumps[i]! * 0.8 + (random() - 0.5) * 0.2;
    picture.set(i, 38 * c, 58 * c, 22 * c);
  }
  const blades = Math.round(BLADES * scale * scale);
  for (let n = 0; n < blades; n++) {
    let x = random() * size;
    let y = random() * size;
    let dx: number, dy: number, length: number;
    do {
      dx = random() * 2 - 1;
      dy = random() * 2 - 1;
      length = dx * dx + dy * dy;
    } while (length > 1 || length < 0.01);
    length = Math.sqrt(length);
    dx /= length;
    dy /= length;
    const bend = (random() - 0.5) * 0.08;
    const steps = Math.round((10 + random() * 22) * scale) + 1;
    const depth = n / blades;
    const hue = random();
    const light = (0.55 + 0.75 * depth) * (0.85 + random() * 0.3) * (1 + clumps[(Math.floor(y) % size) * size + (Math.floor(x) % size)]! * 0.8);
    const r = (52 + 48 * hue) * light;
    const g = (92 + 28 * hue) * light;
    const b = (30 + 6 * hue) * light;
    for (let s = 0; s < steps; s++) {
      const t = s / steps;
      const tip = 1 + 0.35 * t;
      const cover = 0.9 - 0.5 * t;
      picture.blend(Math.floor(x), Math.floor(y), r * tip, g * tip, b * tip, cover);
      if (t < 0.5) picture.blend(Math.floor(x - dy), Math.floor(y + dx), r * tip * 0.8, g * tip * 0.8, b * tip * 0.8, cover * (1 - 2 * t));
      x += dx;
      y += dy;
      const turned = dx - bend * dy;
      dy += bend * dx;
      dx = turned;
      length = Math.sqrt(dx * dx + dy * dy);
      dx /= length;
      dy /= length;
    }
  }
  return picture.bytes;
}

/** Wind ripples down a sand texture. */
const RIPPLES = 11;

/**
 * Fine dry sand: warm beige with slow patches, low wind ripples (a gentle windward slope, a steeper
 * shaded lee) and single grains lighter and darker than the rest.
 */
export function sand(size: number): Uint8Array {
  const seed = 801;
  const picture = new Picture(size);
  const patches = noiseField(size, seed, { cellsX: 4, cellsY: 4, octaves: 6 });
  const bend = noiseField(size, seed + 1, { cellsX: 2, cellsY: 4, octaves: 4 });
  const random = seededRandom(seed + 2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const w = fract((y / size) * RIPPLES + (x / size) * 2 + bend[i]! * 1.3);
      const ripple = 0.03 - 0.07 * smoothstep(0.6, 0.78, w) + 0.07 * smoothstep(0.88, 1, w);
      let light = 1 + patches[i]! * 0.2 + ripple + (random() - 0.5) * 0.14;
      const speck = random();
      if (speck < 0.02) light *= 0.72;
      else if (speck > 0.985) light *= 1.15;
      picture.set(i, 214 * light, 188 * light, 140 * light);
    }
  }
  return picture.bytes;
}
