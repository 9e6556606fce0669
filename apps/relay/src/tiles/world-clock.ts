import { TICK_RATE, WORLD_EPOCH_MS, worldTickAt } from "@tessera/protocol";

const TICK_MS = 1000 / TICK_RATE;
/** Most ticks simulated at once to catch up with the world clock; a longer stall's backlog is dropped. */
export const MAX_CATCH_UP = 8;

/** Ms from `now` (ms since 1970) to the next middle of a world tick. */
export function msToNextTick(now: number): number {
  const sinceEpoch = now - WORLD_EPOCH_MS;
  return (Math.floor(sinceEpoch / TICK_MS - 0.5) + 1.5) * TICK_MS - sinceEpoch;
}

/**
 * Which ticks a room that last simulated tick `last` runs now that the world clock says `due`:
 * from `from` to `due`, at most {@link MAX_CATCH_UP} of them (the older backlog of a stall is
 * dropped); none when it is up to date.
 */
export function ticksToRun(last: number, due: number): { from: number; count: number } {
  const from = Math.max(last + 1, due - MAX_CATCH_UP + 1);
  return { from, count: Math.max(0, due - from + 1) };
}

/**
 * Calls `run(tick)` for every world tick, in the middle of it by the wall clock (so that timer
 * jitter never moves a call across a tick boundary): every room, on every process, simulates tick T
 * at the same moment and labels it T. A late timer is caught up with.
 */
export class WorldClock {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: number;
  private readonly run: (tick: number) => void;

  constructor(run: (tick: number) => void, now = Date.now()) {
    this.run = run;
    this.last = worldTickAt(now);
  }

  /** The last tick run (at first, the one current when the clock was made). */
  get tick(): number {
    return this.last;
  }

  start(): void {
    const wake = () => {
      const { from, count } = ticksToRun(this.last, worldTickAt(Date.now()));
      for (let tick = from; tick < from + count; tick++) {
        this.last = tick;
        this.run(tick);
      }
      this.timer = setTimeout(wake, msToNextTick(Date.now()));
    };
    this.timer = setTimeout(wake, msToNextTick(Date.now()));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
