import { describe, expect, it } from "vitest";
import { summarize, summary, type BotResult } from "./results.ts";

const result = (name: string, kbpsDown: number, prediction: number | null): BotResult => ({
  name,
  seconds: 10,
  bytesDown: kbpsDown * 1250,
  bytesUp: 0,
  kbpsDown,
  kbpsUp: 0,
  snapshots: 150,
  movedM: 30,
  predictionP50Cm: prediction,
  predictionP99Cm: prediction,
  correctionsPerMinute: prediction === null ? null : 0,
});

describe("summary", () => {
  it("gives median, p95, min and max", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summary(values)).toEqual({ bots: 100, median: 50, p95: 95, min: 1, max: 100 });
    expect(summary([])).toBeUndefined();
  });

  it("summarises prediction only over the bots that predict", () => {
    const summaries = summarize([result("a", 10, 1), result("b", 20, null), result("c", 30, 3)]);
    expect(summaries.kbpsDown).toMatchObject({ bots: 3, median: 20, min: 10, max: 30 });
    expect(summaries.predictionP50Cm).toMatchObject({ bots: 2, min: 1, max: 3 });
  });
});
