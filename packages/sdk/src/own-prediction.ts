import { MotionFlags, TICK_DT, type OwnMotion } from "@tessera/protocol";
import type { AvatarBody, AvatarMotionState, SimWorld } from "@tessera/sim";
import { FadingOffset } from "./fading-offset.ts";
import { RollingRate, RollingSamples } from "./rolling.ts";

/** The own avatar's state as a snapshot tells it, ready to reset a prediction to. */
export function stateFromSnapshot(own: OwnMotion): AvatarMotionState {
  return {
    x: own.x,
    y: own.y,
    z: own.z,
    vy: own.vy,
    facing: own.yaw,
    grounded: (own.flags & MotionFlags.Grounded) !== 0,
    running: (own.flags & MotionFlags.Running) !== 0,
  };
}

interface PendingInput {
  seq: number;
  keys: number;
  yaw: number;
  /** The predicted state after this input; undefined while there was nothing to predict from. */
  after?: AvatarMotionState;
  /** Whether `after` was predicted against a complete static world (only then is it measured). */
  settled?: boolean;
}

/** Inputs kept for replay: ten seconds, far more than any round trip. */
const MAX_PENDING = 300;
/** A reconciliation that moves the prediction by more than this counts as a correction, metres. */
export const CORRECTION_THRESHOLD = 0.01;
/** The visual error fades with this time constant: nearly gone after ~100 ms. */
const ERROR_TIME_CONSTANT_MS = 40;
/** Errors larger than this are not glided away but shown at once, metres. */
const SNAP_DISTANCE = 2;

/**
 * Client-side prediction of the own avatar. Every input is simulated at once with the same step the
 * relay runs ({@link SimWorld.stepAvatar}); when the relay acknowledges input `ack` with its state,
 * the avatar is reset to that state and the inputs after `ack` are replayed. The difference the
 * reset makes to the shown position fades over about 100 ms (or snaps past 2 m), so corrections do
 * not jump. Between ticks the shown position runs on at the avatar's speed, so a key press shows in
 * the very next frame.
 */
export class OwnPrediction {
  private readonly sim: SimWorld;
  private body: AvatarBody | undefined;
  private pending: PendingInput[] = [];
  private readonly previous = { x: 0, y: 0, z: 0 };
  private steppedAt = 0;
  private readonly error = new FadingOffset(ERROR_TIME_CONSTANT_MS, SNAP_DISTANCE);
  /** |predicted - relay's| at each acknowledgement, metres. */
  readonly errors = new RollingSamples(900);
  /** Acknowledgements that corrected the prediction, over the last minute. */
  readonly corrections: RollingRate;

  constructor(sim: SimWorld, now: number) {
    this.sim = sim;
    this.corrections = new RollingRate(60_000, now);
  }

  /** Whether the relay has told where the avatar is (predictions start from there). */
  get ready(): boolean {
    return this.body !== undefined;
  }

  /** The predicted state after the newest input. */
  get state(): Readonly<AvatarMotionState> | undefined {
    return this.body?.state;
  }

  /** Simulates one tick of input at once; `settled`: the static world around the avatar is complete. */
  step(seq: number, keys: number, yaw: number, now: number, settled = true): void {
    const input: PendingInput = { seq, keys, yaw, settled };
    this.pending.push(input);
    if (this.pending.length > MAX_PENDING) this.pending.shift();
    if (!this.body) return;
    const s = this.body.state;
    this.previous.x = s.x;
    this.previous.y = s.y;
    this.previous.z = s.z;
    this.sim.stepAvatar(this.body, keys, yaw);
    input.after = { ...s };
    this.steppedAt = now;
  }

  /**
   * The relay simulated inputs up to `ack` and the avatar is at `authoritative`: measure how far the
   * prediction was off (when it was made against a complete world), reset to the relay's state and
   * replay what it has not simulated yet (`settled`: the world is complete now).
   */
  reconcile(ack: number, authoritative: AvatarMotionState, now: number, settled = true): void {
    while (this.pending.length > 0 && this.pending[0]!.seq < ack) this.pending.shift();
    const acknowledged = this.pending[0]?.seq === ack ? this.pending.shift() : undefined;
    if (!this.body) {
      this.body = this.sim.addAvatar(authoritative, authoritative.facing);
      this.sim.placeAvatar(this.body, authoritative);
      this.replay(settled);
      this.steppedAt = now;
      return;
    }
    const before = this.shown(now, { x: 0, y: 0, z: 0 });
    if (acknowledged?.after && acknowledged.settled) {
      const off = Math.hypot(acknowledged.after.x - authoritative.x, acknowledged.after.y - authoritative.y, acknowledged.after.z - authoritative.z);
      this.errors.add(off);
      if (off > CORRECTION_THRESHOLD) this.corrections.add(1, now);
    }
    this.sim.placeAvatar(this.body, authoritative);
    this.replay(settled);
    // Keep showing the avatar where it was; the difference fades out.
    this.error.absorb(before, this.shown(now, { x: 0, y: 0, z: 0 }), now);
  }

  /** The avatar was shown at `from` (not predicted): show the prediction from there on, gliding to it. */
  takeOver(from: { x: number; y: number; z: number }, now: number): void {
    this.error.clear();
    this.error.absorb(from, this.shown(now, { x: 0, y: 0, z: 0 }), now);
  }

  /** Where to show the avatar now: the prediction, run on since its tick, plus the fading error. */
  shown(now: number, out: { x: number; y: number; z: number }): { x: number; y: number; z: number } {
    const s = this.body?.state;
    if (!s) return out;
    this.error.fade(now);
    // Run on for at most one tick, at the speed of the last one.
    const ahead = Math.min(Math.max(0, now - this.steppedAt) / 1000, TICK_DT) / TICK_DT;
    out.x = s.x + (s.x - this.previous.x) * ahead + this.error.x;
    out.y = s.y + (s.y - this.previous.y) * ahead + this.error.y;
    out.z = s.z + (s.z - this.previous.z) * ahead + this.error.z;
    return out;
  }

  /** Forgets the avatar and every input (a new session: seqs start again). */
  reset(): void {
    if (this.body) this.sim.removeAvatar(this.body);
    this.body = undefined;
    this.pending = [];
    this.error.clear();
  }

  /** Replays the inputs the relay has not simulated yet, from the body's state. */
  private replay(settled: boolean): void {
    const body = this.body!;
    const s = body.state;
    this.previous.x = s.x;
    this.previous.y = s.y;
    this.previous.z = s.z;
    for (const input of this.pending) {
      this.previous.x = s.x;
      this.previous.y = s.y;
      this.previous.z = s.z;
      this.sim.stepAvatar(body, input.keys, input.yaw);
      input.after = { ...s };
      input.settled = settled;
    }
  }
}
