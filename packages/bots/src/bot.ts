import type { Point } from "./area.ts";
import type { BotLink, LinkCounters } from "./link.ts";
import type { BotResult } from "./results.ts";
import { distance, type Steering } from "./steering.ts";

interface Mark {
  at: number;
  counters: LinkCounters;
  movedM: number;
}

/**
 * A headless player: each {@link tick} reads where its avatar stands, asks its steering what to do
 * and sends that as one tick of input. Measures what its link carried from {@link startMeasuring} on.
 */
export class Bot {
  readonly name: string;
  readonly link: BotLink;
  private readonly steering: Steering;
  private readonly now: () => number;
  private last: Point | undefined;
  private movedM = 0;
  private mark: Mark;

  constructor(name: string, link: BotLink, steering: Steering, now: () => number = () => performance.now()) {
    this.name = name;
    this.link = link;
    this.steering = steering;
    this.now = now;
    this.mark = this.takeMark();
  }

  /** One simulation tick: steer from the avatar's position and send the input. */
  tick(): void {
    const at = this.link.position();
    if (at) {
      if (this.last) this.movedM += distance(this.last, at);
      this.last = { x: at.x, z: at.z };
    }
    this.link.send(this.steering.next(at));
  }

  /** Results count from now on (so that a ramp-up can be left out). */
  startMeasuring(): void {
    this.mark = this.takeMark();
  }

  /** What the link carried since measuring started, and how well it predicted. */
  result(): BotResult {
    const now = this.now();
    const counters = this.link.counters();
    const seconds = (now - this.mark.at) / 1000;
    const bytesDown = counters.bytesDown - this.mark.counters.bytesDown;
    const bytesUp = counters.bytesUp - this.mark.counters.bytesUp;
    const prediction = this.link.prediction();
    return {
      name: this.name,
      seconds,
      bytesDown,
      bytesUp,
      kbpsDown: seconds > 0 ? (bytesDown * 8) / 1000 / seconds : 0,
      kbpsUp: seconds > 0 ? (bytesUp * 8) / 1000 / seconds : 0,
      snapshots: counters.snapshots - this.mark.counters.snapshots,
      movedM: this.movedM - this.mark.movedM,
      predictionP50Cm: prediction?.p50Cm ?? null,
      predictionP99Cm: prediction?.p99Cm ?? null,
      correctionsPerMinute: prediction?.correctionsPerMinute ?? null,
    };
  }

  private takeMark(): Mark {
    return { at: this.now(), counters: this.link.counters(), movedM: this.movedM };
  }
}
