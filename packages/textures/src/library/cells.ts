import { hash } from "./noise.ts";

/**
 * A Voronoi pattern that tiles: one point in each cell of an `across` by `across` grid over the
 * texture, jittered within the middle `jitter` of its cell; every pixel belongs to its nearest
 * point. {@link locate} answers in the fields, so that the sweep over the pixels makes no garbage.
 * Each grid cell keeps its 3 by 3 neighbourhood's points and their spacings in tables: a lookup
 * costs nine distances, eight divisions by a known spacing and no square root.
 */
export class Cells {
  /** The cell (stone, tile) of the last located point, 0 to across² - 1. */
  stone = 0;
  /** Offset (px) of the last located point from its cell's point. */
  dx = 0;
  dy = 0;
  /** Its distances (px) to the nearest and the second nearest edge of its cell. */
  first = 0;
  second = 0;
  private readonly width: number;
  private readonly nearX: Float64Array;
  private readonly nearY: Float64Array;
  private readonly nearStone: Int32Array;
  /** Per grid cell and pair of its neighbourhood's points: 1 / (2 * their distance). */
  private readonly halfInverse: Float64Array;
  private readonly distance = new Float64Array(9);

  constructor(
    size: number,
    readonly across: number,
    seed: number,
    jitter: number,
  ) {
    this.width = size / across;
    const cells = across * across;
    this.nearX = new Float64Array(cells * 9);
    this.nearY = new Float64Array(cells * 9);
    this.nearStone = new Int32Array(cells * 9);
    this.halfInverse = new Float64Array(cells * 81);
    const pointX = (k: number) => 0.5 + (hash(k, 1, seed) - 0.5) * jitter;
    const pointY = (k: number) => 0.5 + (hash(k, 2, seed) - 0.5) * jitter;
    for (let c = 0; c < cells; c++) {
      const cx = c % across;
      const cy = (c - cx) / across;
      for (let n = 0; n < 9; n++) {
        const ox = (n % 3) - 1;
        const oy = ((n / 3) | 0) - 1;
        const k = ((cy + oy + across) % across) * across + ((cx + ox + across) % across);
        this.nearStone[c * 9 + n] = k;
        this.nearX[c * 9 + n] = (ox + pointX(k)) * this.width;
        this.nearY[c * 9 + n] = (oy + pointY(k)) * this.width;
      }
      for (let a = 0; a < 9; a++) {
        for (let b = 0; b < 9; b++) {
          const ex = this.nearX[c * 9 + b]! - this.nearX[c * 9 + a]!;
          const ey = this.nearY[c * 9 + b]! - this.nearY[c * 9 + a]!;
          this.halfInverse[c * 81 + a * 9 + b] = a === b ? 0 : 1 / (2 * Math.sqrt(ex * ex + ey * ey));
        }
      }
    }
  }

  /** Finds the cell of point (px, py), px, anywhere (the pattern repeats); see the fields. */
  locate(px: number, py: number): void {
    const gx = Math.floor(px / this.width);
    const gy = Math.floor(py / this.width);
    const lx = px - gx * this.width;
    const ly = py - gy * this.width;
    const n = this.across;
    const c = (((gy % n) + n) % n) * n + (((gx % n) + n) % n);
    const base = c * 9;
    const distance = this.distance;
    let best = 0;
    for (let k = 0; k < 9; k++) {
      const dx = lx - this.nearX[base + k]!;
      const dy = ly - this.nearY[base + k]!;
      distance[k] = dx * dx + dy * dy;
      if (distance[k]! < distance[best]!) best = k;
    }
    // The edge with point k is the bisector: (d_k² - d_best²) / (2 |p_k - p_best|) away.
    let first = Infinity;
    let second = Infinity;
    const pairs = c * 81 + best * 9;
    for (let k = 0; k < 9; k++) {
      if (k === best) continue;
      const along = (distance[k]! - distance[best]!) * this.halfInverse[pairs + k]!;
      if (along < first) {
        second = first;
        first = along;
      } else if (along < second) second = along;
    }
    this.stone = this.nearStone[base + best]!;
    this.dx = lx - this.nearX[base + best]!;
    this.dy = ly - this.nearY[base + best]!;
    this.first = first;
    this.second = second;
  }
}
