import { MAX_COORDINATE, MAX_OWNER_LENGTH, MAX_TEXTURE_ID_LENGTH, type Prim } from "../prim.ts";
import { ByteReader, ByteWriter } from "./bytes.ts";
import { PrimDecodeError, decodedIn, stepsOf } from "./errors.ts";
import { readPrim, writePrim, type EncodeContext } from "./prim-codec.ts";
import { StringTable, readStrings } from "./strings.ts";

const PRIM_BATCH_FORMAT = 1;
const MAX_BATCH_PRIMS = 0xffff;
/** A guess that saves most of the buffer's regrowth: a plain prim takes about 30 bytes. */
const TYPICAL_RECORD_BYTES = 32;

interface Origin {
  x: number;
  z: number;
}

function encodeContext(prims: readonly Prim[], origin: Origin): EncodeContext {
  const context: EncodeContext = {
    origin: { x: stepsOf(origin.x, 1, -MAX_COORDINATE, MAX_COORDINATE, "origin"), z: stepsOf(origin.z, 1, -MAX_COORDINATE, MAX_COORDINATE, "origin") },
    owners: new StringTable(MAX_OWNER_LENGTH, "owner"),
    textures: new StringTable(MAX_TEXTURE_ID_LENGTH, "texture id"),
  };
  for (const prim of prims) {
    context.owners.add(prim.owner);
    for (const face of prim.faces) if (face.texture !== "") context.textures.add(face.texture);
  }
  return context;
}

/**
 * Encodes a batch of normalised prims; positions are sent relative to `origin` (whole metres, x and
 * z; y is absolute). A RangeError for a batch past the limits or a prim that is out of range or not
 * normalised: whatever it returns decodes to exactly `prims`.
 */
export function encodePrims(prims: readonly Prim[], origin: Origin): Uint8Array {
  if (prims.length > MAX_BATCH_PRIMS) throw new RangeError(`a batch holds at most ${MAX_BATCH_PRIMS} prims, got ${prims.length}`);
  const context = encodeContext(prims, origin);
  const out = new ByteWriter(64 + prims.length * TYPICAL_RECORD_BYTES);
  out.u8(PRIM_BATCH_FORMAT);
  out.zigzag(context.origin.x);
  out.zigzag(context.origin.z);
  context.owners.write(out);
  context.textures.write(out);
  out.varint(prims.length);
  let previousId = 0;
  for (const prim of prims) {
    writePrim(out, prim, previousId, context);
    previousId = prim.id;
  }
  return out.finish();
}

/**
 * Decodes a batch. Throws {@link PrimDecodeError} (and nothing else) for any malformed input, never
 * reads out of bounds, and returns only normalised prims that primSchema accepts.
 */
export function decodePrims(bytes: Uint8Array): { origin: Origin; prims: Prim[] } {
  const input = new ByteReader(bytes);
  const format = input.u8("format");
  if (format !== PRIM_BATCH_FORMAT) throw new PrimDecodeError(`unknown prim batch format ${format}`);
  const origin = {
    x: decodedIn(input.zigzag("origin"), -MAX_COORDINATE, MAX_COORDINATE, "origin"),
    z: decodedIn(input.zigzag("origin"), -MAX_COORDINATE, MAX_COORDINATE, "origin"),
  };
  const context = { origin, owners: readStrings(input, MAX_OWNER_LENGTH, "owner"), textures: readStrings(input, MAX_TEXTURE_ID_LENGTH, "texture id") };
  const count = decodedIn(input.varint("prim count"), 0, MAX_BATCH_PRIMS, "prim count");
  const prims: Prim[] = [];
  let previousId = 0;
  for (let i = 0; i < count; i++) {
    const prim = readPrim(input, previousId, context);
    prims.push(prim);
    previousId = prim.id;
  }
  if (!input.atEnd) throw new PrimDecodeError(`${bytes.length - input.offset} bytes follow the last prim`);
  return { origin, prims };
}

/**
 * Bytes one prim's record takes inside a batch (excluding the batch header and string tables), with
 * string indexes as in a batch of this prim alone, for tests and benchmarks.
 */
export function primRecordByteLength(prim: Prim, origin: Origin, previousId = 0): number {
  const out = new ByteWriter();
  writePrim(out, prim, previousId, encodeContext([prim], origin));
  return out.length;
}
