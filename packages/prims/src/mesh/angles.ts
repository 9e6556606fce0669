/** Radians per degree. */
export const DEGREES = Math.PI / 180;

/** A sine or cosine this close to 0 is 0, so that points meant to lie on an axis lie exactly on it. */
export function cleanTrig(value: number): number {
  return Math.abs(value) < 1e-15 ? 0 : value;
}
