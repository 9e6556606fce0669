import { z } from "zod";
import { MAX_PRIM_ID, primFieldSchemas } from "@tessera/prims";
import { MAX_SEQ } from "./messages.ts";

/**
 * The `edit` message (client -> relay): a batch of operations on the prims of one tile, applied all
 * or nothing, in arrival order among everyone's edits (per field, the last writer wins). The relay
 * answers each with an `edited` message: {@link EditAck} or {@link EditRefusal}. See `edit-apply.ts`
 * for what each operation does and which rights it needs.
 */
export const EDIT_LIMITS = {
  /** Operations in one batch. */
  opsPerBatch: 64,
  /** Prim ids one operation names. */
  idsPerOp: 256,
  /** Batches a client sends per second, sustained (a drag sends about 10). */
  batchesPerSecond: 20,
  /** Batches a client may send at once. */
  burst: 40,
} as const;

/** Prims one linkset holds at most (root and children), as in Second Life. */
export const MAX_LINKSET_PRIMS = 256;
/** Farthest a linked child's centre lies from its root's, metres. */
export const MAX_LINK_DISTANCE = 32;

/** A prim's id, unique in the world. */
export const primIdSchema = z.number().int().min(1).max(MAX_PRIM_ID);
const primIds = z.array(primIdSchema).min(1).max(EDIT_LIMITS.idsPerOp);

/** Some fields of a prim (at least one), each checked as the prim schema does. */
export const primFieldsSchema = z
  .object(primFieldSchemas)
  .partial()
  .strict()
  .refine((fields) => Object.keys(fields).length > 0, "name at least one field");
export type PrimFields = z.infer<typeof primFieldsSchema>;

/**
 * A prim to make: `position` and `shape`, and any of the other fields (identity rotation, 1 m cube
 * scale, one white face, fixed, unlinked otherwise). Its owner is the player who makes it.
 */
export const primDraftSchema = z
  .object(primFieldSchemas)
  .partial()
  .required({ position: true, shape: true })
  .strict();
export type PrimDraft = z.infer<typeof primDraftSchema>;

export const editOpSchema = z.discriminatedUnion("op", [
  /** Makes a prim; with `id`, brings back that prim deleted in this tile (an undo). */
  z.object({ op: z.literal("create"), prim: primDraftSchema, id: primIdSchema.optional() }).strict(),
  /** Sets fields of a prim; with `from`, only while the fields it names still hold those values (else a conflict). */
  z.object({ op: z.literal("change"), id: primIdSchema, to: primFieldsSchema, from: primFieldsSchema.optional() }).strict(),
  /** Deletes prims; a root takes its linked children with it. */
  z.object({ op: z.literal("delete"), ids: primIds }).strict(),
  /** Links prims (and the linksets they are roots of) to a root prim, keeping where they stand. */
  z.object({ op: z.literal("link"), root: primIdSchema, children: primIds }).strict(),
  /** Unlinks children from their linksets, keeping where they stand; a root unlinks all its children. */
  z.object({ op: z.literal("unlink"), ids: primIds }).strict(),
]);
export type EditOp = z.infer<typeof editOpSchema>;

export const editMessageSchema = z
  .object({
    /** The client's id for the edit, echoed in the answer. */
    id: z.number().int().min(1).max(MAX_SEQ),
    ops: z.array(editOpSchema).min(1, "an edit needs at least one operation").max(EDIT_LIMITS.opsPerBatch, `an edit holds at most ${EDIT_LIMITS.opsPerBatch} operations`),
  })
  .strict();
export type EditMessage = z.infer<typeof editMessageSchema>;

/** Why an edit was refused. Nothing changed anywhere. */
export const EditRefusalCode = {
  /** The batch is malformed or would break a rule of prims or linksets (the message says which). */
  BadEdit: "bad_edit",
  /** A named prim is not in this tile (deleted, or in another tile's care). */
  NotFound: "not_found",
  /** A named prim belongs to someone else. */
  NotOwner: "not_owner",
  /** The player may not build where the prim would stand. */
  NoBuildRights: "no_build_rights",
  /** A new prim's root would stand outside this tile: send it to the tile it stands in. */
  WrongTile: "wrong_tile",
  /** The tile holds as many prims as it may. */
  TileFull: "tile_full",
  /** The player owns as many prims as they may. */
  PlayerCap: "player_cap",
  /** A field no longer holds the value the edit expected (someone changed it meanwhile). */
  Conflict: "conflict",
  /** Too many edits too fast. */
  RateLimited: "rate_limited",
  /** The world could not be saved just now; try again. */
  Unavailable: "unavailable",
} as const;
export type EditRefusalCode = (typeof EditRefusalCode)[keyof typeof EditRefusalCode];

export interface EditAck {
  id: number;
  ok: true;
  /** The ids the relay gave the batch's new prims, in the order of its `create` operations. */
  created: number[];
}

export interface EditRefusal {
  id: number;
  ok: false;
  code: EditRefusalCode;
  /** What was wrong, for people. */
  message: string;
}

export type EditResult = EditAck | EditRefusal;
