import { randomBond, runningBond, type Bond } from "./bond.ts";
import { Cells } from "./cells.ts";
import { seededRandom } from "@tessera/prims";
import { hash, noiseField } from "./noise.ts";
import { Picture, clamp01, smoothstep } from "./picture.ts";

/** A block's colour and how its face is lit, for {@link drawWall}. */
interface WallStyle {
  /** Joint width at 1024 px. */
  joint: number;
  /** How far (px at 1024) the joints' edges wander: chipped, uneven blocks. */
  ragged: number;
  /** Depth of a block's rounded edge at 1024 px: how far in from the joint its face is flat. */
  bevel: number;
  /** How much the block faces are mottled (± share of their light)... */
  mottle: number;
  /** ...how coarse the mottling is (the noise's gain: 0.5 soft clouds, 0.7 rough stone)... */
  roughness: number;
  /** ...and how grainy, ± channel levels. */
  grain: number;
  /** The colour of a block, from a number in [0, 1) picked for it, written into `rgb`. */
  blockColour(pick: number, rgb: Float64Array): void;
  /** The mortar's colour in the light. */
  mortar: readonly [number, number, number];
}

/**
 * Blocks laid in `bond` with mortar between them: each block its own colour, mottled and grainy, its
 * edges rounded and ragged, lit from above (the mortar under a block in its shadow).
 */
function drawWall(size: number, seed: number, bond: Bond, style: WallStyle): Uint8Array {
  const picture = new Picture(size);
  const scale = size / 1024;
  const half = (style.joint * scale) / 2;
  const bevel = style.bevel * scale;
  const mottle = noiseField(size, seed, { cellsX: 8, cellsY: 8, octaves: 6, gain: style.roughness });
  const ragged = noiseField(size, seed + 1, { cellsX: 32, cellsY: 32, octaves: 2 });
  const random = seededRandom(seed + 2);
  const [mr, mg, mb] = style.mortar;
  const colours = new Float64Array(bond.blocks * 3);
  for (let block = 0; block < bond.blocks; block++) style.blockColour(hash(block, 0, seed), colours.subarray(block * 3, block * 3 + 3));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      bond.locate(x, y);
      const rough = Math.min(half * 0.8, ragged[i]! * style.ragged * scale * 2.5);
      const edge = bond.edge + rough;
      const grain = (random() - 0.5) * style.grain;
      const m = mottle[i]!;
      // Mortar just under a block is in its shadow, lighter further down the joint: depth below the
      // block above (the upper half of a joint is under this pixel's block, the lower half under the
      // block of the course above); vertical joints are in the light.
      const depth = bond.bottom < half ? half - bond.bottom : bond.top < half ? half + bond.top : half * 2;
      const shade = 0.65 + 0.35 * smoothstep(0, half * 2, depth);
      const mortarLight = shade * (1 + m * 0.4);
      const inBlock = smoothstep(half - 0.75, half + 0.75, edge);
      let r = mr * mortarLight + grain * 1.4;
      let g = mg * mortarLight + grain * 1.4;
      let b = mb * mortarLight + grain * 1.4;
      if (inBlock > 0) {
        const face = smoothstep(half, half + bevel, edge);
        // Rounded edges: darker all round, lighter along the top, darker along the bottom.
        const top = 1 - smoothstep(half, half + bevel, bond.top + rough);
        const bottom = 1 - smoothstep(half, half + bevel, bond.bottom + rough);
        const light = (0.78 + 0.22 * face + 0.18 * top - 0.15 * bottom) * (1 + m * style.mottle);
        const c = bond.block * 3;
        r += (colours[c]! * light + grain - r) * inBlock;
        g += (colours[c + 1]! * light + grain - g) * inBlock;
        b += (colours[c + 2]! * light + grain - b) * inBlock;
      }
      picture.set(i, r, g, b);
    }
  }
  return picture.bytes;
}

/** Red clay bricks in running bond, 4 across and 12 courses, in pale mortar. */
export function brick(size: number): Uint8Array {
  return drawWall(size, 101, runningBond(size, 12, 4), {
    joint: 12,
    ragged: 4,
    bevel: 5,
    mottle: 0.5,
    roughness: 0.55,
    grain: 22,
    blockColour(pick, out) {
      const burnt = pick < 0.12;
      const t = (pick * 7.31) % 1;
      out[0] = burnt ? 100 : 146 + 30 * t;
      out[1] = burnt ? 52 : 64 + 24 * t;
      out[2] = burnt ? 44 : 50 + 14 * t;
    },
    mortar: [170, 164, 152],
  });
}

/** Dressed stone blocks of uneven sizes in 6 courses, greys and buffs, thin dark joints. */
export function stone(size: number): Uint8Array {
  return drawWall(size, 201, randomBond(size, 202, 6, size / 3.2, 0.35), {
    joint: 8,
    ragged: 5,
    bevel: 22,
    mottle: 0.55,
    roughness: 0.72,
    grain: 18,
    blockColour(pick, out) {
      const warm = (pick * 5.17) % 1;
      const light = 0.85 + 0.25 * ((pick * 13.7) % 1);
      out[0] = (138 + 24 * warm) * light;
      out[1] = (136 + 12 * warm) * light;
      out[2] = (134 - 8 * warm) * light;
    },
    mortar: [92, 88, 82],
  });
}

/** Stones per side of a cobble texture: the cells of its Voronoi pattern. */
const COBBLES = 8;

/**
 * Rounded cobblestones set in dark grit: a Voronoi pattern of 8 by 8 cells with wobbly outlines,
 * corners rounded off, each stone domed, lit from the top left, its own grey or brown.
 */
export function cobble(size: number): Uint8Array {
  const seed = 301;
  const picture = new Picture(size);
  const cells = new Cells(size, COBBLES, seed, 0.5);
  const cell = size / COBBLES;
  const scale = size / 1024;
  const mottle = noiseField(size, seed, { cellsX: 8, cellsY: 8, octaves: 6, gain: 0.7 });
  const warpX = noiseField(size, seed + 1, { cellsX: 8, cellsY: 8, octaves: 2 });
  const warpY = noiseField(size, seed + 2, { cellsX: 8, cellsY: 8, octaves: 2 });
  const random = seededRandom(seed + 3);
  const gap = 7 * scale;
  const dome = cell * 0.22;
  const corner = gap + cell * 0.16;
  const tones = new Float64Array(COBBLES * COBBLES * 3);
  for (let k = 0; k < COBBLES * COBBLES; k++) {
    const pick = hash(k, 3, seed);
    const brown = pick < 0.3 ? 1 : 0;
    const tone = 0.8 + 0.3 * ((pick * 9.7) % 1);
    tones[k * 3] = (128 + 20 * brown) * tone;
    tones[k * 3 + 1] = (124 + 6 * brown) * tone;
    tones[k * 3 + 2] = (120 - 10 * brown) * tone;
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      // Wobbly outlines: the pattern is looked up a little off the pixel.
      cells.locate(x + warpX[i]! * cell * 0.3, y + warpY[i]! * cell * 0.3);
      // Distance to the outline with its corners rounded off.
      const a = Math.max(0, corner - cells.first);
      const c = Math.max(0, corner - cells.second);
      const edge = corner - Math.sqrt(a * a + c * c);
      const m = mottle[i]!;
      const grain = (random() - 0.5) * 26;
      const grit = 58 * (1 + m * 0.8) + grain;
      let r = grit * 0.95;
      let g = grit * 0.88;
      let b = grit * 0.8;
      if (edge > gap - 1) {
        const height = clamp01((edge - gap) / dome);
        const rise = height * (2 - height);
        // Lit from the top left: the side of the dome facing it is brighter.
        const light = (0.6 + 0.4 * rise - 0.5 * ((cells.dx + cells.dy) / cell) * rise) * (1 + m * 0.6);
        const cover = smoothstep(gap - 1, gap + 1, edge);
        const t = cells.stone * 3;
        r += (tones[t]! * light + grain - r) * cover;
        g += (tones[t + 1]! * light + grain - g) * cover;
        b += (tones[t + 2]! * light + grain - b) * cover;
      }
      picture.set(i, r, g, b);
    }
  }
  return picture.bytes;
}

/** Tile rows of a roof texture, and tiles per row. */
const TILE_ROWS = 8;
const TILES_ACROSS = 8;

/**
 * Clay roof tiles: 8 rows of 8, each row shifted half a tile, the round lower end of each tile lying
 * over the row below (down the roof is down the texture) and casting a shadow on it.
 */
export function roofTiles(size: number): Uint8Array {
  const seed = 401;
  const picture = new Picture(size);
  const rowH = size / TILE_ROWS;
  const tileW = size / TILES_ACROSS;
  const scale = size / 1024;
  const bulge = rowH * 0.45;
  const mottle = noiseField(size, seed, { cellsX: 8, cellsY: 8, octaves: 6 });
  const random = seededRandom(seed + 1);
  // Per row parity (odd rows are shifted half a tile) and column: the tile over it, where across
  // the tile it is (-1 to 1) and how far below its row the tile's rounded end reaches.
  const columnOf = new Int32Array(2 * size);
  const acrossOf = new Float64Array(2 * size);
  const reachOf = new Float64Array(2 * size);
  for (let parity = 0; parity < 2; parity++) {
    for (let x = 0; x < size; x++) {
      const shifted = x + 0.5 + parity * tileW * 0.5;
      const column = Math.floor(shifted / tileW);
      const t = ((shifted - column * tileW) / tileW) * 2 - 1;
      columnOf[parity * size + x] = column % TILES_ACROSS;
      acrossOf[parity * size + x] = t;
      reachOf[parity * size + x] = bulge * Math.sqrt(Math.max(0, 1 - t * t));
    }
  }
  const tones = new Float64Array(TILE_ROWS * TILES_ACROSS);
  for (let k = 0; k < tones.length; k++) {
    const pick = hash(k, 0, seed);
    tones[k] = pick < 0.1 ? 0.72 : 0.88 + 0.2 * ((pick * 7.9) % 1);
  }
  for (let y = 0; y < size; y++) {
    const row = Math.floor((y + 0.5) / rowH);
    const below = y + 0.5 - row * rowH;
    const rowAbove = (row + TILE_ROWS - 1) % TILE_ROWS;
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      // The row above lies over this one as far as its tiles reach.
      const aboveReach = reachOf[(rowAbove & 1) * size + x]!;
      const covered = below < aboveReach;
      const tileRow = covered ? rowAbove : row;
      const k = (tileRow & 1) * size + x;
      const ly = covered ? below + rowH : below;
      const across = acrossOf[k]!;
      // Shadow of the row above on the part of this row just below its rounded ends.
      const shadow = covered ? 1 : smoothstep(0, 18 * scale, below - aboveReach);
      // Gaps between neighbouring tiles, and the lower edge of each tile.
      const side = smoothstep(0.92, 0.99, Math.abs(across));
      const end = smoothstep(6 * scale, 0, rowH + reachOf[k]! - ly);
      const light = tones[tileRow * TILES_ACROSS + columnOf[k]!]! * (1 - 0.28 * across * across) * (0.82 + 0.18 * (ly / (rowH + bulge))) * (0.5 + 0.5 * shadow) * (1 - 0.35 * side) * (1 - 0.3 * end) * (1 + mottle[i]! * 0.6);
      const grain = (random() - 0.5) * 16;
      picture.set(i, 178 * light + grain, 84 * light + grain, 56 * light + grain);
    }
  }
  return picture.bytes;
}
