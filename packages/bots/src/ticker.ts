/** Ticks a late timer runs at once to catch up; beyond that they are skipped (and counted). */
const MAX_CATCH_UP = 5;

/**
 * Calls `onTick` `rate` times a second on one timer, on a fixed schedule that does not drift
 * (Node rounds timer delays to whole milliseconds). A timer that fires late runs the ticks it owes,
 * up to a few; a process too busy to keep up skips the rest and counts them in {@link skipped}.
 */
export class FixedTicker {
  private readonly periodMs: number;
  private readonly onTick: () => void;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private active = false;
  private startedAt = 0;
  private done = 0;
  /** Ticks skipped because the process fell behind: a sign that it is saturated. */
  skipped = 0;

  constructor(rate: number, onTick: () => void, now: () => number = () => performance.now()) {
    this.periodMs = 1000 / rate;
    this.onTick = onTick;
    this.now = now;
  }

  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.startedAt = this.now();
    this.done = 0;
    this.run();
  }

  stop(): void {
    this.active = false;
    clearTimeout(this.timer);
  }

  private readonly run = (): void => {
    const due = Math.floor((this.now() - this.startedAt) / this.periodMs) + 1;
    if (due - this.done > MAX_CATCH_UP) {
      this.skipped += due - this.done - MAX_CATCH_UP;
      this.done = due - MAX_CATCH_UP;
    }
    while (this.done < due && this.active) {
      this.done++;
      this.onTick();
    }
    if (!this.active) return;
    const wait = this.startedAt + this.done * this.periodMs - this.now();
    this.timer = setTimeout(this.run, Math.max(0, wait));
  };
}
