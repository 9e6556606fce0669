import { z } from "zod";
import { gridBounds, type GridSize } from "./tile.ts";

/** Limits on the shape of a world; a config outside them is refused with a clear error. */
export const WORLD_LIMITS = {
  minTileSize: 16,
  maxTileSize: 1024,
  maxGridTiles: 256,
  /** Most prims a tile may be asked to hold. */
  maxPrimsPerTile: 65_535,
} as const;

/** Prims a tile holds unless configured otherwise: a 64 m tile's share of Second Life's 15,000 per 256 m region, and then some. */
export const DEFAULT_PRIMS_PER_TILE = 2000;

const gridSchema = z
  .object({
    width: z.number().int().min(1).max(WORLD_LIMITS.maxGridTiles),
    depth: z.number().int().min(1).max(WORLD_LIMITS.maxGridTiles),
  })
  .strict();

/** What every relay and client must agree on about the world's geometry. */
export const worldConfigSchema = z
  .object({
    tileSize: z.number().int().min(WORLD_LIMITS.minTileSize).max(WORLD_LIMITS.maxTileSize),
    grid: gridSchema,
    /** The per-tile prim budget: builds that would exceed it are refused. */
    primsPerTile: z.number().int().min(1).max(WORLD_LIMITS.maxPrimsPerTile),
    spawn: z.object({ x: z.number().finite(), z: z.number().finite() }).strict(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const bounds = gridBounds(config.grid, config.tileSize);
    const { x, z: sz } = config.spawn;
    if (x <= bounds.minX || sz <= bounds.minZ || x >= bounds.maxX || sz >= bounds.maxZ) {
      ctx.addIssue({
        code: "custom",
        path: ["spawn"],
        message: `spawn (${x}, ${sz}) must lie inside the grid, which spans x and z from 0 to ${bounds.maxX} x ${bounds.maxZ} m`,
      });
    }
  });

export type WorldConfig = z.infer<typeof worldConfigSchema>;

/** How far around its avatar a client joins tiles, metres: the relay's default for all, or a page's `?view=`. */
export const viewRadiusSchema = z
  .number()
  .int("view radius must be a whole number of metres")
  .min(8, "view radius must be at least 8 m")
  .max(1024, "view radius must be at most 1024 m");

/** A 4 x 4 grid of 64 m tiles with the spawn point at its centre. */
export function defaultWorldConfig(grid: GridSize = { width: 4, depth: 4 }, tileSize = 64, primsPerTile = DEFAULT_PRIMS_PER_TILE): WorldConfig {
  return { tileSize, grid, primsPerTile, spawn: { x: (grid.width * tileSize) / 2, z: (grid.depth * tileSize) / 2 } };
}

/** One line per problem, naming the field: `spawn: spawn (…) must lie inside the grid`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
}
