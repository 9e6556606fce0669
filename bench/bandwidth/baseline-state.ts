import { schema, t, type SchemaType } from "@colyseus/schema";

/** The plain Colyseus way: every avatar a schema object with float32 position and yaw. */
export const BaselinePlayer = schema(
  {
    x: t.float32(),
    y: t.float32(),
    z: t.float32(),
    yaw: t.float32(),
  },
  "BaselinePlayer",
);
export type BaselinePlayer = SchemaType<typeof BaselinePlayer>;

/** Every player of the room, by session id, patched to every client. */
export const BaselineState = schema({ players: t.map(BaselinePlayer) }, "BaselineState");
export type BaselineState = SchemaType<typeof BaselineState>;

/** The baseline server's one room: its type and its id. */
export const BASELINE_ROOM = "baseline";
