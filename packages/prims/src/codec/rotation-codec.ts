import { ROTATION_BYTES, packRotation, unpackRotation, type Quat } from "../rotation.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";
import { PrimDecodeError } from "./errors.ts";

const packed = new Uint8Array(ROTATION_BYTES);

/** Writes packRotation's 6 bytes; a RangeError for a rotation that is not on the wire grid (quantizeRotation's). */
export function writeRotation(out: ByteWriter, q: Readonly<Quat>): void {
  packRotation(q, packed, 0);
  const back = unpackRotation(packed, 0);
  if (back.x !== q.x || back.y !== q.y || back.z !== q.z || back.w !== q.w) {
    throw new RangeError("rotation is not on the wire grid: pass it through quantizeRotation first");
  }
  out.bytes(packed);
}

/** A rotation on the wire grid, or a {@link PrimDecodeError}: only the bytes packRotation makes are accepted. */
export function readRotation(input: ByteReader): Quat {
  const at = input.take(ROTATION_BYTES, "rotation");
  const q = unpackRotation(input.bytes, at);
  packRotation(q, packed, 0);
  if (!packed.every((byte, i) => byte === input.bytes[at + i])) throw new PrimDecodeError("rotation is not on the wire grid");
  return q;
}
