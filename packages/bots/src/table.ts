import type { Row } from "./report.ts";
import { RESULT_METRICS, summarize, type BotResult } from "./results.ts";

/** One row per bot, for printing. */
export function botRows(results: readonly BotResult[]): Row[] {
  return results.map((result) => ({
    bot: result.name,
    kbpsDown: result.kbpsDown,
    kbpsUp: result.kbpsUp,
    bytesDown: result.bytesDown,
    bytesUp: result.bytesUp,
    snapshots: result.snapshots,
    movedM: result.movedM,
    predP50Cm: result.predictionP50Cm ?? "-",
    predP99Cm: result.predictionP99Cm ?? "-",
    corrPerMin: result.correctionsPerMinute ?? "-",
  }));
}

/** One row per figure: median, p95, min and max over the bots. */
export function summaryRows(results: readonly BotResult[]): Row[] {
  const summaries = summarize(results);
  return RESULT_METRICS.flatMap((metric) => {
    const figures = summaries[metric];
    return figures ? [{ figure: metric, bots: figures.bots, median: figures.median, p95: figures.p95, min: figures.min, max: figures.max }] : [];
  });
}
