import type { Quat } from "@tessera/prims";
import { TICK_RATE, wrapAngle } from "@tessera/protocol";
import { FadingOffset } from "./fading-offset.ts";

/** Furthest a track runs on past its newest sample, ms; then it holds still. */
export const EXTRAPOLATION_CAP_MS = 250;
const EXTRAPOLATION_CAP_TICKS = (EXTRAPOLATION_CAP_MS / 1000) * TICK_RATE;
/** Two samples further apart than this (ticks) say nothing about speed: no extrapolation from them. */
const MAX_VELOCITY_GAP_TICKS = TICK_RATE;
/** Samples kept per track: a second or more at any rate the relay sends. */
const CAPACITY = 16;
/** A correction (a new sample that disagrees with where the track was running to) fades over ~100 ms. */
const CORRECTION_TIME_CONSTANT_MS = 50;
/** Corrections larger than this are shown at once: gliding that far would look worse. */
const SNAP_DISTANCE = 2;
/** Longest an entity is held instead of stepping back before it glides back, ms (see `steady`). */
export const MAX_HOLD_MS = 1000;

/** Where a track shows its entity. */
export interface Shown {
  x: number;
  y: number;
  z: number;
}

interface Sample {
  tick: number;
  x: number;
  y: number;
  z: number;
}

/**
 * One remote entity's recent samples, in tick order whatever order they arrived in, and where to
 * show it at a render tick: interpolated between the samples around it, extrapolated from the last
 * two for at most {@link EXTRAPOLATION_CAP_MS} past the newest, then held. When a new sample
 * disagrees with where the track was running to, the difference fades out instead of jumping.
 */
abstract class Track<S extends Sample> {
  protected readonly samples: S[] = [];
  private lastRenderTick = Number.NEGATIVE_INFINITY;
  private readonly correction = new FadingOffset(CORRECTION_TIME_CONSTANT_MS, SNAP_DISTANCE);
  /** Where the entity was last shown, once it has been. */
  private readonly shown: Shown = { x: 0, y: 0, z: 0 };
  private hasShown = false;
  /** Which way its course last went (a unit vector; zero before it moved). */
  private readonly heading: Shown = { x: 0, y: 0, z: 0 };
  /** Since when (ms) it is held instead of stepping back; NaN while it is not. */
  private holdingSince = Number.NaN;

  /** Adds a sample; false when it is older than every kept one or a repeat. */
  push(sample: S, now: number): boolean {
    const samples = this.samples;
    let at = samples.length;
    while (at > 0 && samples[at - 1]!.tick > sample.tick) at--;
    if (at > 0 && samples[at - 1]!.tick === sample.tick) return false;
    if (samples.length === CAPACITY && at === 0) return false;
    const newest = samples.at(-1);
    const wasRunningAhead = newest !== undefined && this.lastRenderTick > newest.tick;
    const before = wasRunningAhead ? this.position(this.lastRenderTick, { x: 0, y: 0, z: 0 }) : undefined;
    samples.splice(at, 0, sample);
    if (samples.length > CAPACITY) samples.shift();
    // The track had run past its data: show the new course from where it was, and glide.
    if (before) this.correction.absorb(before, this.position(this.lastRenderTick, { x: 0, y: 0, z: 0 }), now);
    return true;
  }

  /** The newest sample, if any. */
  get newest(): Readonly<S> | undefined {
    return this.samples.at(-1);
  }

  /** Writes where to show the entity at `renderTick` into `out`; false when there is no sample yet. */
  show(renderTick: number, now: number, out: Shown): boolean {
    if (this.samples.length === 0) return false;
    const advancing = renderTick >= this.lastRenderTick;
    this.lastRenderTick = renderTick;
    const [a, b, t] = this.bracket(renderTick);
    blend(a, b, t, out);
    this.correction.fade(now);
    out.x += this.correction.x;
    out.y += this.correction.y;
    out.z += this.correction.z;
    this.steady(a, b, out, now, advancing);
    return true;
  }

  /** Position at a tick, without correction. */
  private position(tick: number, out: Shown): Shown {
    const [a, b, t] = this.bracket(tick);
    return blend(a, b, t, out);
  }

  /**
   * Never shows the entity stepping back while its course goes on or stands still. A correction
   * can: the track ran on through a gap in the samples (a handoff between relays, a stalled sender),
   * and the samples that fill it put the entity behind. Then it holds where it was shown, as a
   * correction that fades like any other, until its course catches up, or for {@link MAX_HOLD_MS}
   * (it did stop short) before gliding back. A course that turns back is shown turning back, and a
   * correction too far to glide is shown at once. Only while time runs forward (`advancing`).
   */
  private steady(a: Sample, b: Sample, out: Shown, now: number, advancing: boolean): void {
    const shown = this.shown;
    const heading = this.heading;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const dz = b.z - a.z;
    if (this.hasShown && advancing) {
      const back = (out.x - shown.x) * heading.x + (out.y - shown.y) * heading.y + (out.z - shown.z) * heading.z;
      const turning = dx * heading.x + dy * heading.y + dz * heading.z < 0;
      const since = Number.isNaN(this.holdingSince) ? now : this.holdingSince;
      if (back < 0 && !turning && now - since < MAX_HOLD_MS && this.correction.shift(-heading.x * back, -heading.y * back, -heading.z * back)) {
        out.x -= heading.x * back;
        out.y -= heading.y * back;
        out.z -= heading.z * back;
        this.holdingSince = since;
      } else if (back >= 0) {
        this.holdingSince = Number.NaN;
      }
    }
    const length = Math.hypot(dx, dy, dz);
    if (length > 0) {
      heading.x = dx / length;
      heading.y = dy / length;
      heading.z = dz / length;
    }
    shown.x = out.x;
    shown.y = out.y;
    shown.z = out.z;
    this.hasShown = true;
  }

  /**
   * The two samples to blend for `tick` and how far between them (0 to 1, or past 1 when
   * extrapolating: at most {@link EXTRAPOLATION_CAP_MS} beyond the newest).
   */
  protected bracket(tick: number): [S, S, number] {
    const samples = this.samples;
    const first = samples[0]!;
    if (tick <= first.tick || samples.length === 1) return [first, first, 0];
    for (let i = samples.length - 1; i > 0; i--) {
      const a = samples[i - 1]!;
      const b = samples[i]!;
      if (tick < a.tick) continue;
      if (tick <= b.tick) return [a, b, (tick - a.tick) / (b.tick - a.tick)];
      // Past the newest sample.
      const gap = b.tick - a.tick;
      if (gap > MAX_VELOCITY_GAP_TICKS || !this.moving(b)) return [b, b, 0];
      return [a, b, 1 + Math.min(tick - b.tick, EXTRAPOLATION_CAP_TICKS) / gap];
    }
    return [first, first, 0];
  }

  /** Whether the entity may still be moving at this sample (it may run on past it). */
  protected moving(_sample: S): boolean {
    return true;
  }

}

export interface AvatarSample extends Sample {
  /** Facing, radians. */
  yaw: number;
  flags: number;
}

/** A remote avatar's track; its facing turns the short way round. */
export class AvatarTrack extends Track<AvatarSample> {
  /** Facing at a render tick (after {@link show} for the same tick). */
  yawAt(renderTick: number): number {
    const [a, b, t] = this.bracket(renderTick);
    return wrapAngle(a.yaw + wrapAngle(b.yaw - a.yaw) * Math.min(t, 1));
  }

  /** Flags of the sample shown. */
  flagsAt(renderTick: number): number {
    const [a, b, t] = this.bracket(renderTick);
    return t < 0.5 ? a.flags : b.flags;
  }
}

export interface BodySample extends Sample {
  rotation: Quat;
  resting: boolean;
}

/** A physical prim's track: rotations blend along the short arc; a body at rest does not run on. */
export class BodyTrack extends Track<BodySample> {
  /** Rotation at a render tick, written into `out`. */
  rotationAt(renderTick: number, out: Quat): Quat {
    const [a, b, t] = this.bracket(renderTick);
    return slerp(a.rotation, b.rotation, Math.min(t, 1), out);
  }

  protected override moving(sample: BodySample): boolean {
    return !sample.resting;
  }
}

/** The point `t` of the way from `a` to `b` (past `b` when `t` > 1), written into `out`. */
function blend(a: Sample, b: Sample, t: number, out: Shown): Shown {
  out.x = a.x + (b.x - a.x) * t;
  out.y = a.y + (b.y - a.y) * t;
  out.z = a.z + (b.z - a.z) * t;
  return out;
}

/** Spherical blend of two unit quaternions along the short arc. */
export function slerp(a: Quat, b: Quat, t: number, out: Quat): Quat {
  let { x, y, z, w } = b;
  let cos = a.x * x + a.y * y + a.z * z + a.w * w;
  if (cos < 0) {
    [x, y, z, w, cos] = [-x, -y, -z, -w, -cos];
  }
  let wa = 1 - t;
  let wb = t;
  if (cos < 0.9995) {
    const angle = Math.acos(cos);
    const sin = Math.sin(angle);
    wa = Math.sin((1 - t) * angle) / sin;
    wb = Math.sin(t * angle) / sin;
  }
  out.x = a.x * wa + x * wb;
  out.y = a.y * wa + y * wb;
  out.z = a.z * wa + z * wb;
  out.w = a.w * wa + w * wb;
  const length = Math.hypot(out.x, out.y, out.z, out.w);
  out.x /= length;
  out.y /= length;
  out.z /= length;
  out.w /= length;
  return out;
}
