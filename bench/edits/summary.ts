import { percentile } from "@tessera/bots";

/** Some durations in ms, summed up. */
export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** The median, 99th percentile and largest of `values` (NaN for none). */
export function summarize(values: readonly number[]): Summary {
  return { count: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: values.length > 0 ? values.reduce((a, b) => Math.max(a, b)) : Number.NaN };
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
