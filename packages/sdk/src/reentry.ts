/** Delays before each attempt to enter the world again, ms; the last repeats for as long as the relay is away. */
export const REENTRY_DELAYS_MS = [0, 250, 500, 1000] as const;

/** What a client that lost its avatar's room is doing about it (`WorldClient.reconnect`). */
export interface ReconnectState {
  /** Attempts made so far. */
  attempt: number;
  /** Since when (the client's clock, ms) the client has been away. */
  since: number;
  /** Why the last attempt failed, for people. */
  lastError?: string;
}

/**
 * Entering the world again, for as long as it takes: attempts back off to one a second (never
 * more, so a client is back within about a second of its relay answering again) and go on until
 * one succeeds or the client is closed, reporting each failure.
 */
export class Reentry {
  private stateValue: ReconnectState | undefined;
  private running = false;

  /** What the client is doing about being away; undefined while it is not. */
  get state(): Readonly<ReconnectState> | undefined {
    return this.stateValue;
  }

  /** Whether attempts are under way. */
  get active(): boolean {
    return this.running;
  }

  /**
   * Calls `attempt` until it resolves (or `closed()` says to stop); `onChange` after each failure.
   * A second call while attempts are under way does nothing.
   */
  async run(attempt: () => Promise<void>, closed: () => boolean, now: () => number, onChange: () => void): Promise<void> {
    if (this.running) return;
    this.running = true;
    const state = (this.stateValue ??= { attempt: 0, since: now() });
    try {
      // The first try goes at once, however many the socket made resuming its session.
      for (let tries = 0; !closed(); tries++) {
        const delay = REENTRY_DELAYS_MS[Math.min(tries, REENTRY_DELAYS_MS.length - 1)]!;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        if (closed()) break;
        state.attempt++;
        try {
          await attempt();
          this.stateValue = undefined;
          return;
        } catch (error) {
          state.lastError = (error as Error).message;
          onChange();
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** The client lost its avatar's connection (and may still get it back by itself): it is away from now. */
  away(now: number): void {
    this.stateValue ??= { attempt: 0, since: now };
  }

  /** An attempt made elsewhere (the socket resuming its session by itself) failed. */
  failed(now: number, reason: string): void {
    const state = (this.stateValue ??= { attempt: 0, since: now });
    state.attempt++;
    state.lastError = reason;
  }

  /** The client is back (a dropped socket reconnected by itself). */
  back(): void {
    if (!this.running) this.stateValue = undefined;
  }
}
