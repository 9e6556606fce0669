import type { Point } from "./area.ts";
import type { Intent } from "./steering.ts";

/** Running totals of a link since it opened. */
export interface LinkCounters {
  bytesDown: number;
  bytesUp: number;
  /** Motion updates received (snapshots, or state patches). */
  snapshots: number;
}

/** How well a predicting link predicts its own avatar, over its recent past. */
export interface PredictionFigures {
  p50Cm: number;
  p99Cm: number;
  correctionsPerMinute: number;
}

/**
 * A bot's connection to a world, whatever speaks the protocol underneath: the SDK's WorldClient
 * for Tessera, or a plain Colyseus client for the bandwidth benchmark's baseline.
 */
export interface BotLink {
  /** Where the own avatar stands: predicted when the link predicts, else as last heard; undefined before the first word. */
  position(): Point | undefined;
  /** Sends one simulation tick of input. */
  send(intent: Intent): void;
  counters(): LinkCounters;
  /** Undefined when the link does not predict. */
  prediction(): PredictionFigures | undefined;
  /** Leaves the world for good. */
  leave(): Promise<void>;
}
