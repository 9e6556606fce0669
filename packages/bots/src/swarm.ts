import { TICK_RATE } from "@tessera/protocol";
import type { Bot } from "./bot.ts";
import type { BotResult } from "./results.ts";
import { FixedTicker } from "./ticker.ts";

/**
 * Many bots on one 30 Hz timer: every tick, each bot that is in sends its input. Bots join over a
 * ramp (so that the relay is not hit by every handshake in one instant) and tick from the moment
 * they are in.
 */
export class BotSwarm {
  private readonly members: Bot[] = [];
  private readonly ticker = new FixedTicker(TICK_RATE, () => {
    for (const bot of this.members) bot.tick();
  });

  /** The bots that are in, in the order they got in. */
  get bots(): readonly Bot[] {
    return this.members;
  }

  /** Ticks the shared timer skipped because this process could not keep up (0 when it is not saturated). */
  get skippedTicks(): number {
    return this.ticker.skipped;
  }

  /** Adds a bot that is already connected; it ticks from the next tick on. */
  add(bot: Bot): void {
    this.members.push(bot);
    this.ticker.start();
  }

  /**
   * Starts `count` connections, `perSecond` of them a second (`connect(index)` makes bot `index`),
   * and adds each bot as it gets in. Resolves when every attempt has ended, with the failures.
   */
  async ramp(count: number, perSecond: number, connect: (index: number) => Promise<Bot>): Promise<Error[]> {
    const failures: Error[] = [];
    const attempts: Promise<void>[] = [];
    const startedAt = performance.now();
    for (let index = 0; index < count; index++) {
      const wait = startedAt + (index * 1000) / perSecond - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      attempts.push(
        connect(index).then(
          (bot) => this.add(bot),
          (error: unknown) => {
            failures.push(error instanceof Error ? error : new Error(String(error)));
          },
        ),
      );
    }
    await Promise.all(attempts);
    return failures;
  }

  /** Every bot's results count from now on. */
  startMeasuring(): void {
    for (const bot of this.members) bot.startMeasuring();
  }

  /** Every bot's results since measuring started. */
  results(): BotResult[] {
    return this.members.map((bot) => bot.result());
  }

  /** Stops the timer and takes every bot out of the world. */
  async leave(): Promise<void> {
    this.ticker.stop();
    await Promise.allSettled(this.members.map((bot) => bot.link.leave()));
    this.members.length = 0;
  }
}
