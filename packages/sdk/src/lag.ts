import { z } from "zod";

/** A simulated bad network, for each direction: extra one-way delay, its jitter, and message loss. */
export interface LagOptions {
  /** Added one-way delay, ms (a round trip gets twice this). */
  lagMs: number;
  /** Each message's delay varies by up to this much either way, ms (order is kept, as on a WebSocket). */
  jitterMs: number;
  /** Fraction of messages dropped, 0 to 1. */
  loss: number;
}

/**
 * Lag options from outside (URL parameters, a command line): `lag`, `jitter` in ms and `loss` as a
 * fraction, each optional. Bad values are refused with an error that names them.
 */
export const lagOptionsSchema = z
  .object({
    lag: z.coerce.number().min(0).max(5000).default(0),
    jitter: z.coerce.number().min(0).max(2000).default(0),
    loss: z.coerce.number().min(0).max(0.9).default(0),
  })
  .strict()
  .transform(({ lag, jitter, loss }): LagOptions => ({ lagMs: lag, jitterMs: jitter, loss }));

/** Whether these options change anything. */
export function isLagging(options: LagOptions | undefined): options is LagOptions {
  return !!options && (options.lagMs > 0 || options.jitterMs > 0 || options.loss > 0);
}

/**
 * Delays and drops messages as a bad network would, in one direction: each message passed through is
 * delivered after lag +- jitter, or never. Like the WebSocket it stands in for, it keeps their order:
 * a late message holds back the ones after it. Off the hot path when no lag is asked for (the client
 * then does not create one).
 */
export class LagSimulator {
  private readonly options: LagOptions;
  private readonly random: () => number;
  /** Messages on their way, in the order they were passed, each with when it arrives (performance.now() ms). */
  private readonly queue: { at: number; deliver: () => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: LagOptions, random: () => number = Math.random) {
    this.options = options;
    this.random = random;
  }

  /** Runs `deliver` after the simulated delay, never before what was passed earlier; or drops it. */
  pass(deliver: () => void): void {
    if (this.random() < this.options.loss) return;
    const now = performance.now();
    const delay = Math.max(0, this.options.lagMs + (this.random() * 2 - 1) * this.options.jitterMs);
    this.queue.push({ at: Math.max(this.queue.at(-1)?.at ?? 0, now + delay), deliver });
    this.schedule();
  }

  /**
   * One timer for the message at the head of the queue: timers of their own would not keep the order
   * (browsers round their delays to whole milliseconds).
   */
  private schedule(): void {
    if (this.timer !== undefined || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = performance.now();
      while (this.queue.length > 0 && this.queue[0]!.at <= now + 0.5) this.queue.shift()!.deliver();
      this.schedule();
    }, Math.max(0, this.queue[0]!.at - performance.now()));
  }
}
