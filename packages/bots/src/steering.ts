import { Keys } from "@tessera/protocol";
import type { Point } from "./area.ts";

/** One tick of a bot's input: the keys held ({@link Keys} bits) and the heading "forward" means. */
export interface Intent {
  keys: number;
  /** Radians, 0 = +z, pi/2 = +x. */
  yaw: number;
}

/** Decides a bot's input one simulation tick at a time from where its avatar stands. */
export interface Steering {
  /** Input for the next tick; `at` is undefined until the relay has placed the avatar. */
  next(at: Point | undefined): Intent;
}

/** A waypoint this close counts as reached, metres. */
export const ARRIVE_DISTANCE = 1;

/** Horizontal distance between two points, metres. */
export function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.z - a.z);
}

/** The yaw that faces from `from` towards `to`: atan2(dx, dz), 0 = +z, pi/2 = +x. */
export function headingTo(from: Point, to: Point): number {
  return Math.atan2(to.x - from.x, to.z - from.z);
}

/** Walks to one spot and stands there: an observer in the middle of the crowd. */
export class Hold implements Steering {
  private readonly spot: Point;
  private yaw = 0;

  constructor(spot: Point) {
    this.spot = spot;
  }

  next(at: Point | undefined): Intent {
    if (!at || distance(at, this.spot) < ARRIVE_DISTANCE) return { keys: 0, yaw: this.yaw };
    this.yaw = headingTo(at, this.spot);
    return { keys: Keys.Forward, yaw: this.yaw };
  }
}

/** Runs back and forth between two spots: a player pacing across a tile border, over and over. */
export class Shuttle implements Steering {
  private readonly ends: readonly [Point, Point];
  private target = 0;

  constructor(a: Point, b: Point) {
    this.ends = [a, b];
  }

  next(at: Point | undefined): Intent {
    if (!at) return { keys: 0, yaw: 0 };
    if (distance(at, this.ends[this.target]!) < ARRIVE_DISTANCE) this.target = 1 - this.target;
    return { keys: Keys.Forward | Keys.Run, yaw: headingTo(at, this.ends[this.target]!) };
  }
}
