import { z } from "zod";
import { ID_TEXT, MAX_OWNER_LENGTH, MAX_PRIM_ID, primSchema, type Prim } from "@tessera/prims";
import { parseTileId } from "@tessera/protocol";
import { COMPRESSED_TIERS } from "@tessera/textures";
import type { EditRecord, PlayerSettings, StoredTexture, TextureTierImage, TextureUpload, TileSettings } from "./world-store.ts";

/**
 * What the store writes, checked first: a bug upstream then fails the commit that carries it,
 * with a message naming the field, instead of a tile that no longer loads. A seed's prims go
 * through `primSchema`, so the store holds them on their grids, exactly as the codec sends them;
 * an edit's prims were made by `primSchema` already (the relay's `applyEdit`), so a commit checks
 * only what places them (ids, owner, tile), not every field again: about 20 µs a prim, on the
 * event loop. Reads are a plain JSON parse.
 */

const tileId = z.string().refine((id) => parseTileId(id) !== undefined, 'a tile id looks like "tile_3_-2"');
const playerId = z.string().min(1).max(MAX_OWNER_LENGTH).regex(ID_TEXT, "a player id is letters, digits, '_' and '-'");
/** An owner: a player id, or "" for the world. */
const owner = z.string().max(MAX_OWNER_LENGTH).regex(ID_TEXT, "an owner is a player id or empty");
const primId = z.number().int().min(1).max(MAX_PRIM_ID);
const primCap = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const placedPrimSchema = z.object({ tile: tileId, prim: primSchema });

export const placedPrimsSchema = z.array(placedPrimSchema).refine(uniqueIds, "a prim id appears twice");

/** An edit's prim: where it goes and whose it is (its fields were checked when the edit was applied). */
const editedPrimSchema = z.object({
  tile: tileId,
  prim: z
    .object({ id: primId, owner, root: z.number().int().min(0).max(MAX_PRIM_ID) })
    .loose()
    .refine((prim) => prim.root !== prim.id, "a prim cannot be its own root"),
});

const editRecordSchema = z.object({
  player: playerId,
  clientEditId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  tile: tileId,
  put: z.array(editedPrimSchema).refine(uniqueIds, "a prim id appears twice"),
  deleted: z.array(primId),
});

export const tileSettingsSchema: z.ZodType<TileSettings> = z.object({
  tile: tileId,
  owner,
  rights: z.enum(["open", "owner", "list"]),
  allow: z.array(playerId),
  primCap,
});

export const playerSettingsSchema: z.ZodType<PlayerSettings> = z.object({
  playerId,
  admin: z.boolean(),
  primCap,
});

/**
 * Textures: the relay decides which ids and tiers there are; the store only keeps them whole. Sides
 * and tiers are far past anything a relay accepts, but whole and positive.
 */
const textureId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "a texture id is 1-64 characters of A-Z a-z 0-9 _ -");
const pixels = z.number().int().min(1).max(65_535);

export const storedTextureSchema: z.ZodType<StoredTexture> = z.object({ id: textureId, width: pixels, height: pixels });

export const textureTiersSchema: z.ZodType<TextureTierImage[]> = z
  .array(z.object({ tier: pixels, bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.length > 0, "a tier's image has bytes") }))
  .min(1, "a texture has at least one tier")
  .refine((tiers) => new Set(tiers.map(({ tier }) => tier)).size === tiers.length, "a tier appears twice");

/** Largest compressed form stored, bytes: a 1024 px ETC1S tier with its mipmaps takes a few hundred KiB. */
export const MAX_COMPRESSED_BYTES = 2 * 1024 * 1024;

export const compressedTierSchema = z.object({
  id: textureId,
  tier: z.literal(COMPRESSED_TIERS, { error: `a compressed tier is one of ${COMPRESSED_TIERS.join(", ")} px` }),
  bytes: z
    .instanceof(Uint8Array)
    .refine((bytes) => bytes.length > 0, "a compressed form has bytes")
    .refine((bytes) => bytes.length <= MAX_COMPRESSED_BYTES, `a compressed form is at most ${MAX_COMPRESSED_BYTES} bytes`),
});

/** What a compressed form of a texture that is not stored gets: the store keeps forms of its own textures only. */
export function unknownTexture(id: string): Error {
  return new Error(`The store refuses the compressed tier: no texture ${id} is stored`);
}

export const textureUploadSchema: z.ZodType<TextureUpload> = z.object({ player: playerId, bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });

function uniqueIds(placed: readonly { prim: { id: number } }[]): boolean {
  return new Set(placed.map(({ prim }) => prim.id)).size === placed.length;
}

/** `what` checked by `schema`, or an error saying which field is wrong and how. */
export function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new TypeError(`The store refuses ${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** A group of edits, each checked; an error names the first bad one by its place in the group. */
export function checkedEdits(edits: readonly EditRecord[]): EditRecord[] {
  for (const [index, edit] of edits.entries()) checked(editRecordSchema, edit, `edit ${index + 1} of ${edits.length}`);
  return [...edits];
}

/** The count of prim ids to allocate, checked. */
export function checkIdCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > 65_536) throw new RangeError(`allocatePrimIds takes 1 to 65536 ids, not ${count}`);
}

/** The id one past the largest of `prims` (1 for none): where the id counter must be at least. */
export function pastLargestId(prims: readonly { prim: Prim }[]): number {
  let largest = 0;
  for (const { prim } of prims) largest = Math.max(largest, prim.id);
  return largest + 1;
}

