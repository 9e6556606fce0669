import { z } from "zod";
import { IDENTITY, quantizeRotation, type Quat } from "./rotation.ts";
import { shapeSchema, type PrimShape } from "./shape.ts";

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

/** Colour channels and alpha, 0-255. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** How one face of a prim looks. */
export interface FaceStyle {
  color: Rgba;
  /** Content id of a texture; "" for none. */
  texture: string;
  /** Texture repeats per face along u and v, -100 to 100 in steps of 0.01. */
  repeats: { u: number; v: number };
  /** Texture offset, -1 to 1 in steps of 0.001. */
  offset: { u: number; v: number };
  /** Texture rotation, degrees in (-180, 180], steps of 0.1. */
  rotation: number;
  /** Lit by nothing: shows its colour at full brightness. */
  fullBright: boolean;
}

/**
 * A primitive in the world. Transforms are on a grid: position and scale to the millimetre, rotation
 * to the wire's smallest-three grid ({@link quantizeRotation}).
 */
export interface Prim {
  /** Unique in the world, 1 to 2^32-1. */
  id: number;
  /** Player id of the owner; "" for the world itself. */
  owner: string;
  /** Metres: in the world for a root or single prim, relative to its root for a linked child. */
  position: Vec3;
  rotation: Quat;
  /** Size along each local axis, {@link MIN_SCALE} to {@link MAX_SCALE} metres. */
  scale: Vec3;
  shape: PrimShape;
  /** Face i is styled by faces[i], or faces[0] when there is no faces[i]. 1 to {@link MAX_FACES} entries. */
  faces: FaceStyle[];
  /** Moved by physics (falls, rolls, is pushed) rather than fixed in place. */
  physical: boolean;
  /** Id of the root prim of this prim's linkset; 0 for a root or an unlinked prim. */
  root: number;
}

export const MIN_SCALE = 0.01;
export const MAX_SCALE = 64;
/** Most faces a prim shape has (a cut, hollow, sliced box has 9). */
export const MAX_FACES = 9;
/** Position and scale grid, metres. */
export const LENGTH_STEP = 0.001;
/** Farthest a position may lie from the world's origin on any axis, metres. */
export const MAX_COORDINATE = 1_000_000;
export const MAX_PRIM_ID = 0xffff_ffff;
export const MAX_TEXTURE_ID_LENGTH = 64;
export const MAX_OWNER_LENGTH = 32;
/** Player ids and texture ids: URL-safe base64 characters. */
export const ID_TEXT = /^[A-Za-z0-9_-]*$/;

/** On a grid of `per` steps a unit; `+ 0` turns -0 into 0, since the wire has only one zero. */
const onGrid = (value: number, per: number) => Math.round(value * per) / per + 0;
const lengthOnGrid = (value: number) => onGrid(value, 1 / LENGTH_STEP);

export const DEFAULT_FACE: Readonly<FaceStyle> = Object.freeze({
  color: Object.freeze({ r: 255, g: 255, b: 255, a: 255 }),
  texture: "",
  repeats: Object.freeze({ u: 1, v: 1 }),
  offset: Object.freeze({ u: 0, v: 0 }),
  rotation: 0,
  fullBright: false,
});

/** A plain face of one colour. */
export function solidFace(r: number, g: number, b: number, a = 255): FaceStyle {
  return { ...DEFAULT_FACE, color: { r, g, b, a }, repeats: { u: 1, v: 1 }, offset: { u: 0, v: 0 } };
}

/** Puts a face style on its grid (repeats 0.01, offset 0.001, rotation 0.1 degree, wrapped into (-180, 180]). */
export function normalizeFace(face: Readonly<FaceStyle>): FaceStyle {
  let rotation = onGrid(face.rotation, 10);
  rotation = onGrid(rotation - 360 * Math.ceil((rotation - 180) / 360), 10);
  return {
    color: { ...face.color },
    texture: face.texture,
    repeats: { u: onGrid(face.repeats.u, 100), v: onGrid(face.repeats.v, 100) },
    offset: { u: onGrid(face.offset.u, 1000), v: onGrid(face.offset.v, 1000) },
    rotation,
    fullBright: face.fullBright,
  };
}

/** Puts a prim's numbers on their grids; the shape must be normalised already. */
export function normalizePrim(prim: Readonly<Prim>): Prim {
  const vec = (v: Vec3) => ({ x: lengthOnGrid(v.x), y: lengthOnGrid(v.y), z: lengthOnGrid(v.z) });
  return {
    id: prim.id,
    owner: prim.owner,
    position: vec(prim.position),
    rotation: quantizeRotation(prim.rotation),
    scale: vec(prim.scale),
    shape: prim.shape,
    faces: prim.faces.map(normalizeFace),
    physical: prim.physical,
    root: prim.root,
  };
}

/** The style face `index` is drawn with. */
export function faceStyleAt(prim: Readonly<Prim>, index: number): FaceStyle {
  return prim.faces[index] ?? prim.faces[0]!;
}

const channel = z.number().int().min(0).max(255);
const finite = (min: number, max: number, what: string) => z.number().min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`);
const vec3 = (min: number, max: number, what: string) =>
  z.object({ x: finite(min, max, what), y: finite(min, max, what), z: finite(min, max, what) }).strict();

export const faceStyleSchema = z
  .object({
    color: z.object({ r: channel, g: channel, b: channel, a: channel }).strict(),
    texture: z.string().max(MAX_TEXTURE_ID_LENGTH).regex(ID_TEXT, "texture must be a content id of letters, digits, '_' and '-', or empty"),
    repeats: z.object({ u: finite(-100, 100, "repeats"), v: finite(-100, 100, "repeats") }).strict(),
    offset: z.object({ u: finite(-1, 1, "offset"), v: finite(-1, 1, "offset") }).strict(),
    rotation: finite(-360, 360, "rotation"),
    fullBright: z.boolean(),
  })
  .strict()
  .transform(normalizeFace);

export const quatSchema = z
  .object({ x: finite(-1, 1, "rotation"), y: finite(-1, 1, "rotation"), z: finite(-1, 1, "rotation"), w: finite(-1, 1, "rotation") })
  .strict()
  .refine((q) => Math.hypot(q.x, q.y, q.z, q.w) > 0.5, "rotation must be a unit quaternion");

/** The fields of a prim a builder sets, each on its own (an edit changes some of them). */
export const primFieldSchemas = {
  position: vec3(-MAX_COORDINATE, MAX_COORDINATE, "position"),
  rotation: quatSchema,
  scale: vec3(MIN_SCALE, MAX_SCALE, "scale"),
  shape: shapeSchema,
  faces: z.array(faceStyleSchema).min(1, "a prim needs at least one face style").max(MAX_FACES, `a prim has at most ${MAX_FACES} face styles`),
  physical: z.boolean(),
  root: z.number().int().min(0).max(MAX_PRIM_ID),
};
export type PrimField = keyof typeof primFieldSchemas;
export const PRIM_FIELDS = Object.keys(primFieldSchemas) as PrimField[];

/**
 * A prim from outside (a message, a file): every field present and in range, or a clear error.
 * Parsing puts it on its grids, so what is stored is exactly what the codec sends.
 */
export const primSchema = z
  .object({
    id: z.number().int().min(1).max(MAX_PRIM_ID),
    owner: z.string().max(MAX_OWNER_LENGTH).regex(ID_TEXT, "owner must be a player id"),
    ...primFieldSchemas,
  })
  .strict()
  .refine((prim) => prim.root !== prim.id, { message: "a prim cannot be its own root", path: ["root"] })
  .transform(normalizePrim);

/** A prim with the identity rotation, unit scale and one white face: a starting point for builders and tests. */
export function makePrim(id: number, shape: PrimShape, position: Vec3, extra: Partial<Prim> = {}): Prim {
  return normalizePrim({
    id,
    owner: "",
    position,
    rotation: IDENTITY,
    scale: { x: 1, y: 1, z: 1 },
    shape,
    faces: [solidFace(255, 255, 255)],
    physical: false,
    root: 0,
    ...extra,
  });
}
