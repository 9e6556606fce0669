import { MAX_COORDINATE, MAX_FACES, MAX_PRIM_ID, MAX_SCALE, MIN_SCALE, type FaceStyle, type Prim, type Vec3 } from "../prim.ts";
import { isIdentity } from "../rotation.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";
import { PrimDecodeError, decodedIn, stepsOf } from "./errors.ts";
import { readFace, writeFace } from "./face-codec.ts";
import { readRotation, writeRotation } from "./rotation-codec.ts";
import { readShape, shapeBase, writeShape } from "./shape-codec.ts";
import { readIndexed, type StringTable } from "./strings.ts";

/**
 * One prim's record in a batch:
 *   u8 flags (bits below; the top three must be 0)
 *   zigzag id - previous prim's id (mod 2^32; the first prim's previous id is 0)
 *   varint owner index
 *   [zigzag root - id (mod 2^32)]                 if LINKED (else root 0)
 *   zigzag x, zigzag y, zigzag z: millimetres; x and z relative to the batch origin unless LINKED (a
 *                                  linked prim's position is relative to its root already)
 *   [6 bytes packRotation (rotation-codec.ts)]    if ROTATED (else the identity)
 *   varint x, y, z scale: millimetres
 *   shape (shape-codec.ts; bit block if CUSTOM_SHAPE)
 *   [u8 face style count, 2 to MAX_FACES]         if SEVERAL_FACES (else 1)
 *   face styles (face-codec.ts)
 */
const PHYSICAL = 1;
const ROTATED = 2;
const LINKED = 4;
const CUSTOM_SHAPE = 8;
const SEVERAL_FACES = 16;
const RESERVED = 0xe0;

const MM_PER_METRE = 1000;
const MAX_MM = MAX_COORDINATE * MM_PER_METRE;
const MIN_SCALE_MM = Math.round(MIN_SCALE * MM_PER_METRE);
const MAX_SCALE_MM = Math.round(MAX_SCALE * MM_PER_METRE);

/** What the encoder shares across a batch's records. */
export interface EncodeContext {
  /** Whole metres. */
  origin: { x: number; z: number };
  owners: StringTable;
  textures: StringTable;
}

/** What the decoder shares across a batch's records. */
export interface DecodeContext {
  origin: { x: number; z: number };
  owners: readonly string[];
  textures: readonly string[];
}

/** Where a linked prim's position is measured from: its root, so no batch origin applies. */
const LOCAL = { x: 0, z: 0 };
const millimetres = (metres: number, min: number, max: number, what: string) => stepsOf(metres, MM_PER_METRE, min, max, what);

/** Writes a prim's record; a RangeError for a prim that is out of range or not normalised. */
export function writePrim(out: ByteWriter, prim: Readonly<Prim>, previousId: number, context: EncodeContext): void {
  const id = stepsOf(prim.id, 1, 1, MAX_PRIM_ID, "prim id");
  const root = stepsOf(prim.root, 1, 0, MAX_PRIM_ID, "root");
  if (root === id) throw new RangeError(`prim ${id} cannot be its own root`);
  const origin = root === 0 ? context.origin : LOCAL;
  const x = millimetres(prim.position.x, -MAX_MM, MAX_MM, "position") - origin.x * MM_PER_METRE;
  const y = millimetres(prim.position.y, -MAX_MM, MAX_MM, "position");
  const z = millimetres(prim.position.z, -MAX_MM, MAX_MM, "position") - origin.z * MM_PER_METRE;
  const scaleX = millimetres(prim.scale.x, MIN_SCALE_MM, MAX_SCALE_MM, "scale");
  const scaleY = millimetres(prim.scale.y, MIN_SCALE_MM, MAX_SCALE_MM, "scale");
  const scaleZ = millimetres(prim.scale.z, MIN_SCALE_MM, MAX_SCALE_MM, "scale");
  const rotated = !isIdentity(prim.rotation);
  const faceCount = prim.faces.length;
  if (faceCount < 1 || faceCount > MAX_FACES) throw new RangeError(`a prim has 1 to ${MAX_FACES} face styles, got ${faceCount}`);
  const base = shapeBase(prim.shape);

  let flags = prim.physical ? PHYSICAL : 0;
  if (rotated) flags |= ROTATED;
  if (root !== 0) flags |= LINKED;
  if (base.custom) flags |= CUSTOM_SHAPE;
  if (faceCount > 1) flags |= SEVERAL_FACES;
  out.u8(flags);
  // `| 0` takes the difference mod 2^32 as a signed 32-bit number; the decoder adds it back mod 2^32.
  out.zigzag((id - previousId) | 0);
  out.varint(context.owners.indexOf(prim.owner));
  if (flags & LINKED) out.zigzag((root - id) | 0);
  out.zigzag(x);
  out.zigzag(y);
  out.zigzag(z);
  if (rotated) writeRotation(out, prim.rotation);
  out.varint(scaleX);
  out.varint(scaleY);
  out.varint(scaleZ);
  writeShape(out, prim.shape, base);
  if (flags & SEVERAL_FACES) out.u8(faceCount);
  for (const face of prim.faces) writeFace(out, face, context.textures);
}

/** Reads a record {@link writePrim} wrote; the result is a normalised prim. */
export function readPrim(input: ByteReader, previousId: number, context: DecodeContext): Prim {
  const flags = input.u8("prim flags");
  if (flags & RESERVED) throw new PrimDecodeError(`prim flags ${flags} set reserved bits`);
  const id = (previousId + input.zigzag("prim id")) >>> 0;
  if (id === 0) throw new PrimDecodeError("prim id 0");
  const owner = readIndexed(input, context.owners, "owner");
  const root = flags & LINKED ? (id + input.zigzag("root")) >>> 0 : 0;
  if (flags & LINKED && (root === 0 || root === id)) throw new PrimDecodeError(`prim ${id} is linked to root ${root}`);
  const origin = flags & LINKED ? LOCAL : context.origin;
  const position: Vec3 = { x: readCoordinate(input, origin.x), y: readCoordinate(input, 0), z: readCoordinate(input, origin.z) };
  const rotation = flags & ROTATED ? readRotation(input) : { x: 0, y: 0, z: 0, w: 1 };
  const scale: Vec3 = { x: readScale(input), y: readScale(input), z: readScale(input) };
  const shape = readShape(input, (flags & CUSTOM_SHAPE) !== 0);
  const faceCount = flags & SEVERAL_FACES ? decodedIn(input.u8("face style count"), 2, MAX_FACES, "face style count") : 1;
  const faces: FaceStyle[] = [];
  for (let i = 0; i < faceCount; i++) faces.push(readFace(input, context.textures));
  return { id, owner, position, rotation, scale, shape, faces, physical: (flags & PHYSICAL) !== 0, root };
}

function readCoordinate(input: ByteReader, originMetres: number): number {
  return decodedIn(input.zigzag("position") + originMetres * MM_PER_METRE, -MAX_MM, MAX_MM, "position") / MM_PER_METRE;
}

function readScale(input: ByteReader): number {
  return decodedIn(input.varint("scale"), MIN_SCALE_MM, MAX_SCALE_MM, "scale") / MM_PER_METRE;
}
