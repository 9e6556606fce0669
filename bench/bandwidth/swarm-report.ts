import { z } from "zod";
import type { BotResult } from "@tessera/bots";

/** What the load process (swarm.ts) is told, as JSON in its first argument. */
export const swarmOptionsSchema = z.object({
  side: z.enum(["ours", "baseline"]),
  url: z.string().url(),
  bots: z.number().int().min(1),
  durationS: z.number().positive(),
  perSecond: z.number().positive(),
  settleS: z.number().min(0),
  predicting: z.number().int().min(0),
  seed: z.number().int().min(0),
});
export type SwarmOptions = z.infer<typeof swarmOptionsSchema>;

/** The bot that stands still in the middle of the tile and watches the others. */
export const OBSERVER = "Observer";

export interface SwarmReport {
  results: BotResult[];
  failed: number;
  measuredS: number;
  /** This process's CPU while measuring, % of one core. */
  botsCpuPercent: number;
  /** Input ticks the bots' timer skipped while measuring (this process fell behind). */
  skippedTicks: number;
}
