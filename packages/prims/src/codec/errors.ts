/** Malformed prim batch bytes. The decoder throws this and nothing else. */
export class PrimDecodeError extends Error {
  override name = "PrimDecodeError";
}

/** `value` if it lies within [min, max]; a {@link PrimDecodeError} naming `what` otherwise. */
export function decodedIn(value: number, min: number, max: number, what: string): number {
  if (value < min || value > max) throw new PrimDecodeError(`${what} ${value} is outside ${min} to ${max}`);
  return value;
}

/**
 * The integer count of steps of 1/`per` in `value`, for the encoder. A RangeError unless the value
 * lies exactly on that grid (normalised) and the count within [min, max]: a batch either round-trips
 * exactly or is refused.
 */
export function stepsOf(value: number, per: number, min: number, max: number, what: string): number {
  const steps = Math.round(value * per);
  if (!(steps >= min && steps <= max)) throw new RangeError(`${what} ${value} is outside ${min / per} to ${max / per}`);
  if (steps / per !== value) throw new RangeError(`${what} ${value} is not a multiple of ${1 / per}: normalise the prim first`);
  return steps;
}
