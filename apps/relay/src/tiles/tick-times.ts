/** Percentiles of recent tick durations, ms. */
export interface TickSummary {
  p50: number;
  p99: number;
  max: number;
}

/** How long the last `window` ticks took, in a ring buffer; summarised on demand. */
export class TickTimes {
  private readonly samples: Float64Array;
  private next = 0;
  private size = 0;

  constructor(window = 900) {
    this.samples = new Float64Array(window);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.size = Math.min(this.size + 1, this.samples.length);
  }

  /** Nearest-rank percentiles over the window; zeros before the first tick. */
  summary(): TickSummary {
    if (this.size === 0) return { p50: 0, p99: 0, max: 0 };
    const sorted = this.samples.slice(0, this.size).sort();
    const at = (p: number) => sorted[Math.min(this.size - 1, Math.ceil((p / 100) * this.size) - 1)]!;
    return { p50: at(50), p99: at(99), max: sorted[this.size - 1]! };
  }
}
