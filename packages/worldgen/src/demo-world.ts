import { presetShape, seededRandom, type FaceStyle, type Prim, type Vec3 } from "@tessera/prims";
import { gridBounds, type Rect, type WorldConfig } from "@tessera/protocol";
import { WorldBuilder, paint, pitchRotation, rollRotation, textured, thenRotate, yawRotation } from "./builder.ts";
import { PRESET_SHOWCASE, VARIANT_SHOWCASE } from "./showcase.ts";

// Textured faces are tinted by their colour: light tints let the library's textures show their own.
const STONE = [textured(paint("#f4efe6"), "cobble", 2), textured(paint("#e2dccf"), "stone", 2)];
const PEDESTAL = paint("#8d8a84");
const WOOD = textured(paint("#f2e6d8"), "planks");
const WATER = textured(paint("#cfe4f2", 200), "water", 2);
const GLASS = textured(paint("#9fb4c8", 200), "glass");
const GOLD = paint("#d6a842");
const LAMP = paint("#ffe7a8", 255, true);
const WALLS = [textured(paint("#ffffff"), "brick", 3, 1.5), textured(paint("#f3e6dc"), "brick", 3, 1.5), ...["#c9d4dc", "#e3c9c0", "#d8e0c8"].map((hex) => paint(hex))];
const ROOFS = ["#f0c2b8", "#c9d0d8", "#e0cbbd", "#c3d6c6"].map((hex) => textured(paint(hex), "roof-tiles", 3, 2));
const LEAVES = ["#4f7d3a", "#5f8f45", "#3f6b35", "#6e9a4c"].map((hex) => paint(hex));
const BARK = textured(paint("#c9b29a"), "wood");
const LAWN = textured(paint("#ffffff"), "grass", 4);
const SHOWCASE_COLOURS = ["#d9534f", "#f0ad4e", "#5cb85c", "#5bc0de", "#428bca", "#9b59b6", "#e67e22", "#1abc9c", "#e84393", "#95a5a6", "#f1c40f", "#2ecc71"];

/** Height of the plaza's paving: what a newcomer stands on. */
export const PLAZA_TOP = 0.12;
const PLAZA_HALF = 14;
const SLAB = 4;
const LOT = 16;

const rect = (minX: number, minZ: number, maxX: number, maxZ: number): Rect => ({ minX, minZ, maxX, maxZ });
const overlaps = (a: Rect, b: Rect) => a.minX < b.maxX && b.minX < a.maxX && a.minZ < b.maxZ && b.minZ < a.maxZ;

/** Places an axis-aligned block between two corners. */
function block(b: WorldBuilder, min: Vec3, max: Vec3, face: FaceStyle, physical = false): Prim | undefined {
  const centre = { x: (min.x + max.x) / 2, y: (min.y + max.y) / 2, z: (min.z + max.z) / 2 };
  return b.place(presetShape("box"), centre, { x: max.x - min.x, y: max.y - min.y, z: max.z - min.z }, face, { physical });
}

/**
 * The default world: a paved plaza around the spawn point with a fountain and things to push,
 * stairs up to a terrace with a domed pavilion, a showcase of every prim shape, a canal with an
 * arched bridge, and houses, trees and little parks on 16 m lots everywhere else. Deterministic:
 * the same config always gives the same prims with the same ids.
 */
export function demoWorld(world: WorldConfig): Prim[] {
  const b = new WorldBuilder(gridBounds(world.grid, world.tileSize));
  const { x: sx, z: sz } = world.spawn;
  const reserved = [
    plaza(b, sx, sz),
    terrace(b, sx + 14, sz - 1),
    showcase(b, sx, sz + 22),
    canal(b, world, sx + 40, sz + 6),
  ];
  lots(b, world, reserved);
  return b.prims;
}

function plaza(b: WorldBuilder, sx: number, sz: number): Rect {
  for (let i = 0; i < (2 * PLAZA_HALF) / SLAB; i++) {
    for (let j = 0; j < (2 * PLAZA_HALF) / SLAB; j++) {
      const x = sx - PLAZA_HALF + i * SLAB;
      const z = sz - PLAZA_HALF + j * SLAB;
      block(b, { x, y: 0, z }, { x: x + SLAB, y: PLAZA_TOP, z: z + SLAB }, STONE[(i + j) % 2]!);
    }
  }
  fountain(b, sx + 5, sz + 10);
  // Things to push: crates and balls just ahead of the spawn point.
  for (const [dx, dz] of [[3, 4], [4.3, 4.6], [2.4, 5.5]] as const) {
    block(b, { x: sx + dx, y: PLAZA_TOP, z: sz + dz }, { x: sx + dx + 0.8, y: PLAZA_TOP + 0.8, z: sz + dz + 0.8 }, WOOD, true);
  }
  for (const [dx, dz, hex] of [[6.5, 3, "#c0392b"], [8, 5, "#2471a3"]] as const) {
    b.place(presetShape("sphere"), { x: sx + dx, y: PLAZA_TOP + 0.35, z: sz + dz }, { x: 0.7, y: 0.7, z: 0.7 }, paint(hex), { physical: true });
  }
  for (const [dx, dz] of [[-1, -1], [1, -1], [-1, 1], [1, 1]] as const) lampPost(b, sx + dx * (PLAZA_HALF - 1), sz + dz * (PLAZA_HALF - 1), PLAZA_TOP);
  return rect(sx - PLAZA_HALF - 1, sz - PLAZA_HALF - 1, sx + PLAZA_HALF + 1, sz + PLAZA_HALF + 1);
}

function fountain(b: WorldBuilder, x: number, z: number): void {
  const base = PLAZA_TOP;
  b.place({ ...presetShape("cylinder"), hollow: 0.88 }, { x, y: base + 0.35, z }, { x: 7, y: 0.7, z: 7 }, STONE[1]!);
  b.place(presetShape("cylinder"), { x, y: base + 0.25, z }, { x: 6.4, y: 0.5, z: 6.4 }, WATER);
  b.place(presetShape("cylinder"), { x, y: base + 1.3, z }, { x: 0.7, y: 2.6, z: 0.7 }, STONE[0]!);
  b.place(presetShape("torus"), { x, y: base + 1.9, z }, { x: 0.5, y: 2.4, z: 2.4 }, GOLD, { rotation: rollRotation(90) });
  b.place(presetShape("sphere"), { x, y: base + 3.05, z }, { x: 0.9, y: 0.9, z: 0.9 }, GOLD);
}

function lampPost(b: WorldBuilder, x: number, z: number, ground: number): void {
  b.place(presetShape("cylinder"), { x, y: ground + 1.75, z }, { x: 0.16, y: 3.5, z: 0.16 }, paint("#2f3236"));
  b.place(presetShape("sphere"), { x, y: ground + 3.7, z }, { x: 0.5, y: 0.5, z: 0.5 }, LAMP);
}

/** Ten steps of 0.3 m up from the plaza's edge to a terrace 3 m high, with railings and a domed pavilion. */
function terrace(b: WorldBuilder, x0: number, z0: number): Rect {
  const rise = 0.3;
  const run = 0.45;
  const steps = 10;
  for (let k = 0; k < steps; k++) {
    block(b, { x: x0 + k * run, y: 0, z: z0 + 4 }, { x: x0 + (k + 1) * run, y: rise * (k + 1), z: z0 + 8 }, STONE[k % 2]!);
  }
  const tx = x0 + steps * run;
  const top = rise * steps;
  const [minZ, maxZ] = [z0, z0 + 12];
  block(b, { x: tx, y: 0, z: minZ }, { x: tx + 10, y: top, z: maxZ }, STONE[0]!);
  const rail = paint("#6d6a64");
  block(b, { x: tx + 9.9, y: top, z: minZ }, { x: tx + 10, y: top + 1, z: maxZ }, rail);
  block(b, { x: tx, y: top, z: minZ }, { x: tx + 9.9, y: top + 1, z: minZ + 0.1 }, rail);
  block(b, { x: tx, y: top, z: maxZ - 0.1 }, { x: tx + 9.9, y: top + 1, z: maxZ }, rail);
  // The pavilion: four columns, a slab and a dome.
  const [cx, cz] = [tx + 5.5, (minZ + maxZ) / 2];
  for (const [dx, dz] of [[-1.8, -1.8], [1.8, -1.8], [-1.8, 1.8], [1.8, 1.8]] as const) {
    b.place(presetShape("cylinder"), { x: cx + dx, y: top + 1.3, z: cz + dz }, { x: 0.4, y: 2.6, z: 0.4 }, paint("#efe9dd"));
  }
  block(b, { x: cx - 2.3, y: top + 2.6, z: cz - 2.3 }, { x: cx + 2.3, y: top + 2.8, z: cz + 2.3 }, paint("#efe9dd"));
  b.place(presetShape("hemisphere"), { x: cx, y: top + 2.8, z: cz }, { x: 4.2, y: 4.2, z: 4.2 }, paint("#7fa7a3"));
  return rect(x0 - 1, minZ - 1, tx + 11, maxZ + 1);
}

/** Two rows of pedestals: every preset, then one of each variant. Rings face the plaza. */
function showcase(b: WorldBuilder, sx: number, z: number): Rect {
  const rows = [PRESET_SHOWCASE, VARIANT_SHOWCASE];
  rows.forEach((row, r) => {
    row.forEach(({ shape }, i) => {
      const x = sx + 1 + i * 3;
      const rz = z + r * 6;
      block(b, { x: x - 0.8, y: 0, z: rz - 0.8 }, { x: x + 0.8, y: 0.6, z: rz + 0.8 }, PEDESTAL);
      const rotation = shape.path === "circle" ? yawRotation(90) : undefined;
      const y = shape.path === "circle" && shape.pathEnd <= 0.5 ? 0.6 : 1.25;
      b.place(shape, { x, y, z: rz }, { x: 1.3, y: 1.3, z: 1.3 }, paint(SHOWCASE_COLOURS[(i + r * 5) % SHOWCASE_COLOURS.length]!), rotation ? { rotation } : {});
    });
  });
  const width = Math.max(...rows.map((row) => row.length)) * 3;
  return rect(sx - 1, z - 2, sx + width + 1, z + 6 * rows.length);
}

/**
 * A canal along z, walled so that only the bridge crosses it, and an arched bridge across it at
 * `bridgeZ`.
 */
function canal(b: WorldBuilder, world: WorldConfig, x: number, bridgeZ: number): Rect {
  const width = 6;
  const depth = world.grid.depth * world.tileSize;
  const bank = STONE[1]!;
  for (let z = 0; z < depth; z += LOT) {
    const end = Math.min(depth, z + LOT);
    block(b, { x, y: 0, z }, { x: x + width, y: 0.06, z: end }, WATER);
    block(b, { x: x - 0.3, y: 0, z }, { x, y: 0.6, z: end }, bank);
    block(b, { x: x + width, y: 0, z }, { x: x + width + 0.3, y: 0.6, z: end }, bank);
  }
  // The deck follows an arch 1.2 m high over 14 m: no step between planks is higher than the climb limit.
  const span = 14;
  const [x0, z0, z1] = [x + width / 2 - span / 2, bridgeZ, bridgeZ + 4];
  for (let i = 0; i < span; i++) {
    const h = 1.2 * Math.sin((Math.PI * (i + 0.5)) / span) + 0.1;
    block(b, { x: x0 + i, y: h - 0.2, z: z0 }, { x: x0 + i + 1, y: h, z: z1 }, WOOD);
    block(b, { x: x0 + i, y: h, z: z0 }, { x: x0 + i + 1, y: h + 0.9, z: z0 + 0.1 }, BARK);
    block(b, { x: x0 + i, y: h, z: z1 - 0.1 }, { x: x0 + i + 1, y: h + 0.9, z: z1 }, BARK);
  }
  // A stone arch under the deck: the upper half of a torus whose axis runs along the canal.
  b.place({ ...presetShape("torus"), pathEnd: 0.5, holeSizeY: 0.1 }, { x: x + width / 2, y: 0, z: (z0 + z1) / 2 }, { x: 3.6, y: 2.6, z: span }, STONE[1]!, {
    rotation: yawRotation(90),
  });
  return rect(x - 2, 0, x + width + 2, depth);
}

/** Houses, trees and parks on every 16 m lot that no feature claims. */
function lots(b: WorldBuilder, world: WorldConfig, reserved: Rect[]): void {
  const bounds = gridBounds(world.grid, world.tileSize);
  for (let lx = bounds.minX; lx + LOT <= bounds.maxX; lx += LOT) {
    for (let lz = bounds.minZ; lz + LOT <= bounds.maxZ; lz += LOT) {
      const lot = rect(lx, lz, lx + LOT, lz + LOT);
      if (reserved.some((r) => overlaps(r, lot))) continue;
      const random = seededRandom(lx * 7919 + lz * 104729 + 17);
      const roll = random();
      if (roll < 0.5) house(b, lx + LOT / 2 + (random() - 0.5) * 2, lz + LOT / 2 + (random() - 0.5) * 2, Math.floor(random() * 4), random);
      else if (roll < 0.85) grove(b, lot, random);
      else park(b, lot, random);
    }
  }
}

/** Rotates a point of a house's plan about its centre by quarter turns (the same sense as {@link yawRotation}). */
function turn(x: number, z: number, quarters: number): [number, number] {
  switch (quarters & 3) {
    case 1: return [z, -x];
    case 2: return [-x, -z];
    case 3: return [-z, x];
    default: return [x, z];
  }
}

function house(b: WorldBuilder, cx: number, cz: number, quarters: number, random: () => number): void {
  const w = 8;
  const d = 9;
  const t = 0.2;
  const height = 3;
  const door = 1.3;
  const wall = WALLS[Math.floor(random() * WALLS.length)]!;
  const roof = ROOFS[Math.floor(random() * ROOFS.length)]!;
  const local = (x0: number, y0: number, z0: number, x1: number, y1: number, z1: number, face: FaceStyle) => {
    const [ax, az] = turn(x0, z0, quarters);
    const [bx, bz] = turn(x1, z1, quarters);
    block(b, { x: cx + Math.min(ax, bx), y: y0, z: cz + Math.min(az, bz) }, { x: cx + Math.max(ax, bx), y: y1, z: cz + Math.max(az, bz) }, face);
  };
  local(-w / 2, 0, -d / 2, w / 2, 0.15, d / 2, paint("#8a7f70"));
  local(-w / 2, 0.15, d / 2 - t, w / 2, height, d / 2, wall);
  local(-w / 2, 0.15, -d / 2, -w / 2 + t, height, d / 2 - t, wall);
  local(w / 2 - t, 0.15, -d / 2, w / 2, height, d / 2 - t, wall);
  local(-w / 2 + t, 0.15, -d / 2, -door / 2, height, -d / 2 + t, wall);
  local(door / 2, 0.15, -d / 2, w / 2 - t, height, -d / 2 + t, wall);
  local(-door / 2, 2.2, -d / 2, door / 2, height, -d / 2 + t, wall);
  local(-w / 2 - 0.03, 1.1, -1.2, -w / 2, 2.1, 1.2, GLASS);
  local(w / 2, 1.1, -1.2, w / 2 + 0.03, 2.1, 1.2, GLASS);
  local(-2.8, 1.1, -d / 2 - 0.03, -1.4, 2.1, -d / 2, GLASS);
  local(1.4, 1.1, -d / 2 - 0.03, 2.8, 2.1, -d / 2, GLASS);
  const yaw = yawRotation(90 * quarters);
  if (random() < 0.6) {
    // A gable roof: a prism on its side, ridge along the house's depth.
    b.place(presetShape("prism"), { x: cx, y: height + 0.9, z: cz }, { x: w + 0.6, y: d + 0.6, z: 1.8 }, roof, { rotation: thenRotate(pitchRotation(90), yaw) });
  } else {
    b.place(presetShape("pyramid"), { x: cx, y: height + 1.1, z: cz }, { x: w + 0.6, y: 2.2, z: d + 0.6 }, roof, { rotation: yaw });
  }
  const [chx, chz] = turn(w / 4, d / 4, quarters);
  b.place(presetShape("box"), { x: cx + chx, y: height + 1.4, z: cz + chz }, { x: 0.6, y: 1.6, z: 0.6 }, paint("#7a5040"));
}

function tree(b: WorldBuilder, x: number, z: number, random: () => number): void {
  const trunk = 2 + random() * 1.5;
  b.place(presetShape("cylinder"), { x, y: trunk / 2, z }, { x: 0.35, y: trunk, z: 0.35 }, BARK);
  const leaves = LEAVES[Math.floor(random() * LEAVES.length)]!;
  if (random() < 0.5) {
    const size = 2.6 + random() * 1.4;
    b.place(presetShape("sphere"), { x, y: trunk + size * 0.35, z }, { x: size, y: size * 0.9, z: size }, leaves);
  } else {
    const size = 2.4 + random();
    b.place(presetShape("cone"), { x, y: trunk + 1.6, z }, { x: size, y: 4.5, z: size }, leaves);
  }
}

function grove(b: WorldBuilder, lot: Rect, random: () => number): void {
  const count = 2 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) tree(b, lot.minX + 2 + random() * 12, lot.minZ + 2 + random() * 12, random);
}

/** A lawn with a lamp, two benches and a flower bed. */
function park(b: WorldBuilder, lot: Rect, random: () => number): void {
  const cx = (lot.minX + lot.maxX) / 2;
  const cz = (lot.minZ + lot.maxZ) / 2;
  block(b, { x: lot.minX + 1, y: 0, z: lot.minZ + 1 }, { x: lot.maxX - 1, y: 0.05, z: lot.maxZ - 1 }, LAWN);
  lampPost(b, cx, cz, 0.05);
  for (const side of [-1, 1]) {
    block(b, { x: cx - 1, y: 0.05, z: cz + side * 3 - 0.25 }, { x: cx + 1, y: 0.5, z: cz + side * 3 + 0.25 }, WOOD);
  }
  b.place({ ...presetShape("cylinder"), hollow: 0.8 }, { x: cx + 4, y: 0.3, z: cz }, { x: 2, y: 0.5, z: 2 }, STONE[1]!);
  const blossom = paint(["#e84393", "#f1c40f", "#e17055"][Math.floor(random() * 3)]!);
  b.place(presetShape("sphere"), { x: cx + 4, y: 0.55, z: cz }, { x: 1.4, y: 0.5, z: 1.4 }, blossom);
}
