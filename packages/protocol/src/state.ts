import { schema, t, type SchemaType } from "@colyseus/schema";

/**
 * Slow-changing tile state, replicated by Colyseus patches. Motion does not live here: it goes
 * out in binary snapshots keyed by `netId`, so that each client gets its own acknowledgement.
 */
export const AvatarInfo = schema(
  {
    /** Player id: the same in every room the player is in. */
    id: t.string(),
    name: t.string(),
    /** Small per-room number that keys this avatar in snapshots. */
    netId: t.uint16(),
  },
  "AvatarInfo",
);
export type AvatarInfo = SchemaType<typeof AvatarInfo>;

export const TileState = schema(
  {
    /** Avatars this tile is the authority for, keyed by player id. */
    avatars: t.map(AvatarInfo),
  },
  "TileState",
);
export type TileState = SchemaType<typeof TileState>;
