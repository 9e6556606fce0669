import { rank } from "./report.ts";
/** What one bot measured over a run (from when measuring started to when its result was taken). */
export interface BotResult {
  name: string;
  seconds: number;
  bytesDown: number;
  bytesUp: number;
  kbpsDown: number;
  kbpsUp: number;
  /** Motion updates received: snapshots (or, for a plain Colyseus client, state patches). */
  snapshots: number;
  /** How far the avatar went, metres. */
  movedM: number;
  /** |predicted - relay's| own position at each acknowledgement, cm (null without prediction). */
  predictionP50Cm: number | null;
  predictionP99Cm: number | null;
  correctionsPerMinute: number | null;
}

/** The numeric figures of a {@link BotResult}, the ones {@link summarize} aggregates. */
export const RESULT_METRICS = [
  "kbpsDown",
  "kbpsUp",
  "bytesDown",
  "bytesUp",
  "snapshots",
  "movedM",
  "predictionP50Cm",
  "predictionP99Cm",
  "correctionsPerMinute",
] as const satisfies readonly (keyof BotResult)[];
export type ResultMetric = (typeof RESULT_METRICS)[number];

/** Median, 95th percentile, least and most of some numbers; `bots` counts them. */
export interface Summary {
  bots: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Summarises some numbers; undefined when there are none. */
export function summary(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { bots: sorted.length, median: rank(sorted, 50), p95: rank(sorted, 95), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Each figure summarised over the bots that have it (prediction figures only over predicting bots). */
export function summarize(results: readonly BotResult[]): Partial<Record<ResultMetric, Summary>> {
  const summaries: Partial<Record<ResultMetric, Summary>> = {};
  for (const metric of RESULT_METRICS) {
    const values = results.map((result) => result[metric]).filter((value): value is number => value !== null);
    const figures = summary(values);
    if (figures) summaries[metric] = figures;
  }
  return summaries;
}
