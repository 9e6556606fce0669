import { z } from "zod";
import { primIdSchema } from "./edit.ts";

/**
 * Selection presence: each player's selected prims, shown to the others (Roblox Team Create colours
 * each collaborator's selection) so that people see who is working where. A selection spans tiles:
 * the client sends each tile's room the part of it that tile holds.
 */
export const SELECT_LIMITS = {
  /** Prim ids one `select` names. */
  ids: 256,
  /** `select` messages a client sends per second, sustained. */
  perSecond: 10,
  /** `select` messages a client may send at once. */
  burst: 20,
} as const;

const selectedIds = z.array(primIdSchema).max(SELECT_LIMITS.ids, `a selection names at most ${SELECT_LIMITS.ids} prims`);

/** `select` (client -> relay): the prims of this tile the player has selected now; none clears the selection. */
export const selectMessageSchema = z.object({ ids: selectedIds }).strict();
export type SelectMessage = z.infer<typeof selectMessageSchema>;

/** `selected` (relay -> client): a player's selection in this tile changed; `ids` empty when cleared or the player left. */
export const selectedMessageSchema = z.object({
  /** The player's id. */
  player: z.string().min(1),
  /** The player's display name: text, never markup. */
  name: z.string(),
  ids: selectedIds,
});
export type SelectedMessage = z.infer<typeof selectedMessageSchema>;
