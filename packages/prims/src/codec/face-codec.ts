import type { FaceStyle } from "../prim.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";
import { PrimDecodeError, decodedIn, stepsOf } from "./errors.ts";
import { readIndexed, type StringTable } from "./strings.ts";

/**
 * A face style on the wire:
 *   u8 flags (bits below; the top two must be 0)
 *   u8 r, u8 g, u8 b
 *   [u8 alpha]                                   if ALPHA (else 255)
 *   [varint index into the texture table]        if TEXTURE (else "")
 *   [zigzag u, zigzag v: hundredths]             if REPEATS (else 1, 1)
 *   [zigzag u, zigzag v: thousandths]            if OFFSET (else 0, 0)
 *   [zigzag tenths of a degree, -1799 to 1800]   if ROTATION (else 0)
 */
const TEXTURE = 1;
const ALPHA = 2;
const REPEATS = 4;
const OFFSET = 8;
const ROTATION = 16;
const FULL_BRIGHT = 32;
const RESERVED = 0xc0;

const REPEATS_PER = 100;
const MAX_REPEATS = 100 * REPEATS_PER;
const OFFSET_PER = 1000;
const MAX_OFFSET = OFFSET_PER;
const ROTATION_PER = 10;
const HALF_TURN = 180 * ROTATION_PER;

const channel = (value: number) => stepsOf(value, 1, 0, 255, "colour channel");

export function writeFace(out: ByteWriter, face: Readonly<FaceStyle>, textures: StringTable): void {
  const r = channel(face.color.r);
  const g = channel(face.color.g);
  const b = channel(face.color.b);
  const a = channel(face.color.a);
  const repeatsU = stepsOf(face.repeats.u, REPEATS_PER, -MAX_REPEATS, MAX_REPEATS, "texture repeats");
  const repeatsV = stepsOf(face.repeats.v, REPEATS_PER, -MAX_REPEATS, MAX_REPEATS, "texture repeats");
  const offsetU = stepsOf(face.offset.u, OFFSET_PER, -MAX_OFFSET, MAX_OFFSET, "texture offset");
  const offsetV = stepsOf(face.offset.v, OFFSET_PER, -MAX_OFFSET, MAX_OFFSET, "texture offset");
  const rotation = stepsOf(face.rotation, ROTATION_PER, 1 - HALF_TURN, HALF_TURN, "texture rotation");
  let flags = face.fullBright ? FULL_BRIGHT : 0;
  if (face.texture !== "") flags |= TEXTURE;
  if (a !== 255) flags |= ALPHA;
  if (repeatsU !== REPEATS_PER || repeatsV !== REPEATS_PER) flags |= REPEATS;
  if (offsetU !== 0 || offsetV !== 0) flags |= OFFSET;
  if (rotation !== 0) flags |= ROTATION;
  out.u8(flags);
  out.u8(r);
  out.u8(g);
  out.u8(b);
  if (flags & ALPHA) out.u8(a);
  if (flags & TEXTURE) out.varint(textures.indexOf(face.texture));
  if (flags & REPEATS) {
    out.zigzag(repeatsU);
    out.zigzag(repeatsV);
  }
  if (flags & OFFSET) {
    out.zigzag(offsetU);
    out.zigzag(offsetV);
  }
  if (flags & ROTATION) out.zigzag(rotation);
}

export function readFace(input: ByteReader, textures: readonly string[]): FaceStyle {
  const flags = input.u8("face style");
  if (flags & RESERVED) throw new PrimDecodeError(`face style flags ${flags} set reserved bits`);
  const color = { r: input.u8("colour"), g: input.u8("colour"), b: input.u8("colour"), a: flags & ALPHA ? input.u8("alpha") : 255 };
  const texture = flags & TEXTURE ? readIndexed(input, textures, "texture") : "";
  return {
    color,
    texture,
    repeats: flags & REPEATS ? readPair(input, REPEATS_PER, MAX_REPEATS, "texture repeats") : { u: 1, v: 1 },
    offset: flags & OFFSET ? readPair(input, OFFSET_PER, MAX_OFFSET, "texture offset") : { u: 0, v: 0 },
    rotation: flags & ROTATION ? decodedIn(input.zigzag("texture rotation"), 1 - HALF_TURN, HALF_TURN, "texture rotation") / ROTATION_PER : 0,
    fullBright: (flags & FULL_BRIGHT) !== 0,
  };
}

/** Two zigzag step counts within +-limit, as u and v. */
function readPair(input: ByteReader, per: number, limit: number, what: string): { u: number; v: number } {
  return { u: decodedIn(input.zigzag(what), -limit, limit, what) / per, v: decodedIn(input.zigzag(what), -limit, limit, what) / per };
}
