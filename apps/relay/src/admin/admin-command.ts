import { parseArgs } from "node:util";
import { z } from "zod";
import { formatIssues, parseTileId, tileId } from "@tessera/protocol";
import { DEFAULT_PLAYER_SETTINGS, DEFAULT_TILE_SETTINGS, type WorldStore } from "@tessera/store";
import { ConfigError } from "../config.ts";

export const USAGE = `Usage (the world store is the relay's: DATA_DIR's SQLite file, or DATABASE_URL):
  npm run admin -- tile <tx,tz | tile_<tx>_<tz>> [--owner <playerId>] [--rights open|owner|list] [--allow <id,id,...>] [--cap <prims>]
  npm run admin -- player <playerId> [--admin true|false] [--cap <prims>]
  npm run admin -- show
Running relays pick a change up within a few seconds.`;

const playerId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "a player id is 1-32 letters, digits, '_' or '-'");
const cap = z.string().regex(/^\d+$/, "a cap is a whole number").transform(Number).pipe(z.number().max(1_000_000, "a cap is at most 1000000"));

const tileSchema = z
  .object({
    tile: z.string().transform((value, ctx) => {
      const tile = parseTileId(value) ?? parseTileId(`tile_${value.replace(",", "_")}`);
      if (!tile) {
        ctx.addIssue({ code: "custom", message: `"${value}" is not a tile: give tx,tz or tile_<tx>_<tz>` });
        return z.NEVER;
      }
      return tileId(tile);
    }),
    owner: z.union([z.literal(""), playerId]).optional(),
    rights: z.enum(["open", "owner", "list"]).optional(),
    allow: z
      .string()
      .transform((value) => value.split(",").map((id) => id.trim()).filter(Boolean))
      .pipe(z.array(playerId).max(256, "at most 256 players on an allow list"))
      .optional(),
    cap: cap.optional(),
  })
  .strict();

const playerSchema = z
  .object({
    playerId,
    admin: z.enum(["true", "false"]).transform((value) => value === "true").optional(),
    cap: cap.optional(),
  })
  .strict();

/**
 * Runs one operator command against the world store (tile owners, build rights and caps; player
 * admin and caps) and returns what it prints: the settings as they now are. Bad input is a
 * {@link ConfigError} naming what is wrong, and writes nothing.
 */
export async function runAdmin(store: WorldStore, argv: readonly string[]): Promise<string> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: { owner: { type: "string" }, rights: { type: "string" }, allow: { type: "string" }, cap: { type: "string" }, admin: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n${USAGE}`);
  }
  const { positionals, values } = args;
  const [command, target, ...extra] = positionals;
  if (extra.length > 0) throw new ConfigError(`unexpected ${extra.join(" ")}\n${USAGE}`);
  const defined = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
  switch (command) {
    case "tile": {
      const parsed = tileSchema.safeParse({ tile: target ?? "", ...defined });
      if (!parsed.success) throw new ConfigError(`${formatIssues(parsed.error)}\n${USAGE}`);
      const { tile, owner, rights, allow, cap } = parsed.data;
      const current = (await store.tileSettings()).find((settings) => settings.tile === tile) ?? { tile, ...DEFAULT_TILE_SETTINGS };
      const next = { ...current, ...(owner !== undefined ? { owner } : {}), ...(rights ? { rights } : {}), ...(allow ? { allow } : {}), ...(cap !== undefined ? { primCap: cap } : {}) };
      await store.setTileSettings(next);
      return JSON.stringify(next);
    }
    case "player": {
      const parsed = playerSchema.safeParse({ playerId: target ?? "", ...defined });
      if (!parsed.success) throw new ConfigError(`${formatIssues(parsed.error)}\n${USAGE}`);
      const { playerId: id, admin, cap } = parsed.data;
      const current = (await store.playerSettings()).find((settings) => settings.playerId === id) ?? { playerId: id, ...DEFAULT_PLAYER_SETTINGS };
      const next = { ...current, ...(admin !== undefined ? { admin } : {}), ...(cap !== undefined ? { primCap: cap } : {}) };
      await store.setPlayerSettings(next);
      return JSON.stringify(next);
    }
    case "show":
      if (target !== undefined || Object.keys(defined).length > 0) throw new ConfigError(`show takes no arguments\n${USAGE}`);
      return JSON.stringify({ tiles: await store.tileSettings(), players: await store.playerSettings() }, null, 2);
    default:
      throw new ConfigError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  }
}
