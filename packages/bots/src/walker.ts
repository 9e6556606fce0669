import { seededRandom } from "@tessera/prims";
import { Keys, TICK_RATE, type Rect } from "@tessera/protocol";
import { randomPoint, type Point } from "./area.ts";
import { ARRIVE_DISTANCE, distance, headingTo, type Intent, type Steering } from "./steering.ts";

/** How a walker behaves; times in simulation ticks (30 a second). */
export const WALKER = {
  /** Without getting this much closer to its waypoint (metres) for {@link WALKER.stuckTicks}, a walker gives the waypoint up. */
  stuckProgress: 0.25,
  stuckTicks: TICK_RATE,
  /** Chance of pausing on reaching a waypoint, and how long a pause lasts (1 to 4 s). */
  pauseChance: 0.3,
  pauseTicks: { min: TICK_RATE, max: 4 * TICK_RATE },
  /** Chance that a leg is run rather than walked. */
  runChance: 0.25,
  /** Chance of jumping on a tick spent moving: about once every 8 s. */
  jumpChance: 1 / (8 * TICK_RATE),
  /** A new waypoint is at least this far away when the area allows it, metres. */
  minLeg: 2 * ARRIVE_DISTANCE,
} as const;

/**
 * Walks plausible paths inside an area: picks a waypoint, turns towards it and walks (some legs
 * run), jumps now and then, pauses a few seconds at some waypoints, and picks a new waypoint on
 * arrival or when stuck (no progress for a second). The same seed and the same positions give the
 * same inputs.
 */
export class Walker implements Steering {
  private readonly area: Rect;
  private readonly random: () => number;
  private target: Point | undefined;
  private running = false;
  private yaw = 0;
  private pauseLeft = 0;
  /** Closest the avatar has come to the waypoint, and ticks since it last came closer. */
  private best = Number.POSITIVE_INFINITY;
  private sinceProgress = 0;
  private givenUp = 0;

  constructor(area: Rect, seed: number) {
    this.area = area;
    this.random = seededRandom(seed);
  }

  /** Waypoints given up because the avatar got stuck. */
  get stuck(): number {
    return this.givenUp;
  }

  /** Where the walker is heading; undefined before its first tick with a position. */
  get waypoint(): Readonly<Point> | undefined {
    return this.target;
  }

  next(at: Point | undefined): Intent {
    if (!at) return { keys: 0, yaw: this.yaw };
    if (this.pauseLeft > 0) {
      this.pauseLeft--;
      return { keys: 0, yaw: this.yaw };
    }
    const target = this.progress(at);
    if (this.pauseLeft > 0) return { keys: 0, yaw: this.yaw };
    this.yaw = headingTo(at, target);
    let keys = Keys.Forward | (this.running ? Keys.Run : 0);
    if (this.random() < WALKER.jumpChance) keys |= Keys.Jump;
    return { keys, yaw: this.yaw };
  }

  /** The waypoint to head for from `at`: the current one, or a new one when reached or stuck. */
  private progress(at: Point): Point {
    if (!this.target) return this.newLeg(at);
    const left = distance(at, this.target);
    if (left < ARRIVE_DISTANCE) {
      const { min, max } = WALKER.pauseTicks;
      if (this.random() < WALKER.pauseChance) this.pauseLeft = min + Math.floor(this.random() * (max - min + 1));
      return this.newLeg(at);
    }
    if (left < this.best - WALKER.stuckProgress) {
      this.best = left;
      this.sinceProgress = 0;
    } else if (++this.sinceProgress >= WALKER.stuckTicks) {
      this.givenUp++;
      return this.newLeg(at);
    }
    return this.target;
  }

  private newLeg(at: Point): Point {
    let target = randomPoint(this.area, this.random);
    // A few tries for a waypoint worth walking to; a tiny area may not have one.
    for (let tries = 0; tries < 8 && distance(at, target) < WALKER.minLeg; tries++) target = randomPoint(this.area, this.random);
    this.target = target;
    this.running = this.random() < WALKER.runChance;
    this.best = distance(at, target);
    this.sinceProgress = 0;
    return target;
  }
}
