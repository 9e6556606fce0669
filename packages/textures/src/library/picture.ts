/**
 * A square RGBA8 picture being drawn, and the little colour arithmetic the generators share.
 * Channels are clamped to 0-255 (and rounded) when stored.
 */
export class Picture {
  /** The pixels, row by row from the top, four channels each. */
  readonly data: Uint8ClampedArray;

  constructor(readonly size: number) {
    this.data = new Uint8ClampedArray(size * size * 4);
  }

  /** Sets pixel `i` (row-major: y * size + x). */
  set(i: number, r: number, g: number, b: number, a = 255): void {
    const o = i * 4;
    this.data[o] = r;
    this.data[o + 1] = g;
    this.data[o + 2] = b;
    this.data[o + 3] = a;
  }

  /** Lays colour (r, g, b) over pixel (x, y), wrapping around the edges, covering `cover` (0 to 1) of it. */
  blend(x: number, y: number, r: number, g: number, b: number, cover: number): void {
    const mask = this.size - 1;
    const o = (((y & mask) * this.size + (x & mask)) * 4) | 0;
    const data = this.data;
    data[o] = data[o]! + (r - data[o]!) * cover;
    data[o + 1] = data[o + 1]! + (g - data[o + 1]!) * cover;
    data[o + 2] = data[o + 2]! + (b - data[o + 2]!) * cover;
  }

  /** The pixels as plain bytes (the same memory). */
  get bytes(): Uint8Array {
    return new Uint8Array(this.data.buffer);
  }
}

/** `value` within [0, 1]. */
export const clamp01 = (value: number) => (value < 0 ? 0 : value > 1 ? 1 : value);

/** 0 below `edge0`, 1 above `edge1`, smooth in between. */
export function smoothstep(edge0: number, edge1: number, value: number): number {
  const t = clamp01((value - edge0) / (edge1 - edge0));
  return t * t * (3 - 2 * t);
}

/** `value` modulo 1, from 0 up to 1. */
export const fract = (value: number) => value - Math.floor(value);
