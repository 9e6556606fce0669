import { SNAPSHOT_RATE, TICK_RATE } from "@tessera/protocol";

const TICK_MS = 1000 / TICK_RATE;
/** Time between two snapshots, ms. */
export const SNAPSHOT_INTERVAL_MS = 1000 / SNAPSHOT_RATE;
/** How far behind the relay others are shown: at least 1.5 and at most 6 snapshot intervals. */
const MIN_DELAY_MS = 1.5 * SNAPSHOT_INTERVAL_MS;
const MAX_DELAY_MS = 6 * SNAPSHOT_INTERVAL_MS;
/** The shown time runs at most this much faster or slower than real time while it adapts. */
const WARP = 0.1;
/** Further than this from where it should be (ticks), the shown time jumps there (a start, a relay restart). */
const SNAP_TICKS = TICK_RATE;
/** The fastest arrival's offset is let go of this slowly (ms per ms), to follow a drifting relay clock. */
const OFFSET_DRIFT = 5e-4;
/** A snapshot this much older than expected means a new relay clock (a restart): start over. */
const RESET_MS = 2000;

/**
 * The relay's simulation clock as seen from here, and the time others are shown at.
 *
 * Each snapshot tells the relay tick it was taken at. The least delayed arrival says where "now" is on
 * the relay's clock; later arrivals are late by the network's jitter, which is tracked. Others are
 * shown about two snapshot intervals plus twice the jitter behind, so that a sample to interpolate
 * towards has nearly always arrived. The shown time adapts gently and never jumps.
 */
export class ServerClock {
  private offset: number | undefined;
  private offsetAt = 0;
  private jitterMs = 0;
  private shown: { tick: number; at: number } | undefined;

  /** A snapshot of relay tick `tick` arrived at local time `now` (ms). */
  observe(tick: number, now: number): void {
    const offset = tick * TICK_MS - now;
    if (this.offset !== undefined) this.offset -= (now - this.offsetAt) * OFFSET_DRIFT;
    this.offsetAt = now;
    if (this.offset === undefined || offset > this.offset || offset < this.offset - RESET_MS) {
      if (this.offset !== undefined && offset < this.offset - RESET_MS) this.jitterMs = 0;
      this.offset = offset;
    }
    this.jitterMs += (this.offset - offset - this.jitterMs) * 0.1;
  }

  /** Whether a snapshot has been seen. */
  get started(): boolean {
    return this.offset !== undefined;
  }

  /** The relay's tick now, fractional. */
  serverTick(now: number): number {
    return ((this.offset ?? 0) + now) / TICK_MS;
  }

  /** Arrival jitter, ms (a running mean of how late snapshots are). */
  get jitter(): number {
    return this.jitterMs;
  }

  /** How far behind the relay others are shown now, ms. */
  get delayMs(): number {
    return this.shown ? (this.serverTick(this.shown.at) - this.shown.tick) * TICK_MS : this.targetDelayMs();
  }

  /**
   * The tick to show others at now: the relay's tick less the delay. It moves at real speed, give or
   * take {@link WARP}, towards where it should be, so that neither a new delay nor a better clock
   * estimate makes others jump. Call once per frame.
   */
  renderTick(now: number): number {
    const target = this.serverTick(now) - this.targetDelayMs() / TICK_MS;
    let tick = target;
    if (this.shown) {
      const elapsed = Math.max(0, now - this.shown.at) / TICK_MS;
      const expected = this.shown.tick + elapsed;
      if (Math.abs(target - expected) <= SNAP_TICKS) tick = Math.min(expected + elapsed * WARP, Math.max(expected - elapsed * WARP, target));
    }
    this.shown = { tick, at: now };
    return tick;
  }

  private targetDelayMs(): number {
    return Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, 2 * SNAPSHOT_INTERVAL_MS + 2 * this.jitterMs));
  }

  /** Forgets everything (a new room). */
  reset(): void {
    this.offset = undefined;
    this.jitterMs = 0;
    this.shown = undefined;
  }
}
