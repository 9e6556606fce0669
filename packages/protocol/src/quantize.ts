/** Fixed-point helpers shared by every binary codec. */

const TWO_PI = Math.PI * 2;

/** Wraps an angle into (-PI, PI]. */
export function wrapAngle(angle: number): number {
  const wrapped = angle - TWO_PI * Math.floor((angle + Math.PI) / TWO_PI);
  return wrapped === -Math.PI ? Math.PI : wrapped;
}

/** An angle as `bits`-bit unsigned fixed point (one full turn = 2^bits). */
export function quantizeAngle(angle: number, bits: number): number {
  const steps = 2 ** bits;
  return Math.round((wrapAngle(angle) / TWO_PI) * steps) & (steps - 1);
}

export function dequantizeAngle(value: number, bits: number): number {
  return wrapAngle((value / 2 ** bits) * TWO_PI);
}

/** Rounds `value * scale` and clamps it into a signed `bits`-bit integer. */
export function quantizeSigned(value: number, scale: number, bits: number): number {
  const max = 2 ** (bits - 1) - 1;
  return Math.max(-max - 1, Math.min(max, Math.round(value * scale)));
}
