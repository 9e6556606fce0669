/** A rotation as a unit quaternion. */
export interface Quat {
  x: number;
  y: number;
  z: number;
  w: number;
}

export const IDENTITY: Readonly<Quat> = Object.freeze({ x: 0, y: 0, z: 0, w: 1 });

/** Steps of each small component: 15-bit signed, over [-1/sqrt2, 1/sqrt2]. */
const STEPS = 16383;
const SCALE = STEPS * Math.SQRT2;
const AXES = ["x", "y", "z", "w"] as const;
/** Bytes of a packed rotation. */
export const ROTATION_BYTES = 6;

/**
 * Packs a unit quaternion as "smallest three" in 48 bits: which component is largest (2 bits) and
 * the other three as 15-bit fixed point (about 1e-4 rad). q and -q are the same rotation: the
 * largest component is made positive and left out. Unpacking rebuilds it from the other three; a
 * small component is nudged towards zero until it stays below that, so that what unpacks packs to
 * the same bytes again (near a tie of the two largest, rounding could otherwise swap them).
 */
export function packRotation(q: Readonly<Quat>, out: Uint8Array, offset: number): void {
  let largest = 0;
  for (let i = 1; i < 4; i++) if (Math.abs(q[AXES[i]!]) > Math.abs(q[AXES[largest]!])) largest = i;
  const sign = q[AXES[largest]!] < 0 ? -1 : 1;
  const steps: number[] = [];
  for (let i = 0; i < 4; i++) {
    if (i !== largest) steps.push(Math.max(-STEPS, Math.min(STEPS, Math.round(sign * q[AXES[i]!] * SCALE))));
  }
  for (;;) {
    const rebuilt = Math.sqrt(Math.max(0, 1 - steps.reduce((sum, k) => sum + (k / SCALE) ** 2, 0)));
    const slot = steps.findIndex((k) => Math.abs(k) / SCALE >= rebuilt);
    if (slot < 0) break;
    steps[slot]! -= Math.sign(steps[slot]!);
  }
  steps.forEach((value, slot) => {
    // Each u16 carries a 15-bit value (offset binary) and, in its top bit, one bit of the index.
    const indexBit = slot < 2 ? (largest >> (1 - slot)) & 1 : 0;
    const word = (indexBit << 15) | (value + STEPS);
    out[offset + slot * 2] = word & 0xff;
    out[offset + slot * 2 + 1] = word >> 8;
  });
}

/**
 * Unpacks {@link packRotation}'s 6 bytes. Any bytes give a unit quaternion (the third word's top bit
 * is ignored; components past the unit sphere are scaled back onto it).
 */
export function unpackRotation(bytes: Uint8Array, offset: number): Quat {
  const words = [0, 1, 2].map((slot) => bytes[offset + slot * 2]! | (bytes[offset + slot * 2 + 1]! << 8));
  const largest = ((words[0]! >> 15) << 1) | (words[1]! >> 15);
  const small = words.map((word) => ((word & 0x7fff) - STEPS) / SCALE);
  const sum = small[0]! ** 2 + small[1]! ** 2 + small[2]! ** 2;
  const q = { x: 0, y: 0, z: 0, w: 0 };
  let slot = 0;
  for (let i = 0; i < 4; i++) {
    if (i === largest) continue;
    q[AXES[i]!] = sum > 1 ? small[slot]! / Math.sqrt(sum) : small[slot]!;
    slot++;
  }
  q[AXES[largest]!] = Math.sqrt(Math.max(0, 1 - sum));
  return q;
}

const scratch = new Uint8Array(ROTATION_BYTES);

/**
 * The rotation on the wire grid nearest to `q` (any non-zero length; it is normalised first). It
 * packs to bytes that unpack to it exactly.
 */
export function quantizeRotation(q: Readonly<Quat>): Quat {
  const length = Math.hypot(q.x, q.y, q.z, q.w);
  if (!(length > 1e-9) || !Number.isFinite(length)) throw new RangeError("a rotation must be a quaternion of non-zero, finite length");
  packRotation({ x: q.x / length, y: q.y / length, z: q.z / length, w: q.w / length }, scratch, 0);
  return unpackRotation(scratch, 0);
}

/** Whether a (quantised) rotation is the identity. */
export function isIdentity(q: Readonly<Quat>): boolean {
  return q.x === 0 && q.y === 0 && q.z === 0 && q.w === 1;
}
