/**
 * What is shown minus where the data puts it, fading out: a jump in the data (a correction) is taken
 * up here and becomes a glide. Past `snapDistance` a jump is shown at once.
 */
export class FadingOffset {
  private readonly value = { x: 0, y: 0, z: 0 };
  private fadedAt = 0;
  private readonly timeConstantMs: number;
  private readonly snapDistance: number;

  constructor(timeConstantMs: number, snapDistance: number) {
    this.timeConstantMs = timeConstantMs;
    this.snapDistance = snapDistance;
  }

  get x(): number {
    return this.value.x;
  }

  get y(): number {
    return this.value.y;
  }

  get z(): number {
    return this.value.z;
  }

  /** Decays the offset to `now` (ms). */
  fade(now: number): this {
    const decay = Math.exp(-Math.max(0, now - this.fadedAt) / this.timeConstantMs);
    this.fadedAt = now;
    this.value.x *= decay;
    this.value.y *= decay;
    this.value.z *= decay;
    return this;
  }

  /** The data jumped: what was shown at `before` would now be shown at `after`. Keep showing `before`. */
  absorb(before: { x: number; y: number; z: number }, after: { x: number; y: number; z: number }, now: number): void {
    this.fade(now);
    const x = this.x + before.x - after.x;
    const y = this.y + before.y - after.y;
    const z = this.z + before.z - after.z;
    const far = Math.hypot(x, y, z) > this.snapDistance;
    this.value.x = far ? 0 : x;
    this.value.y = far ? 0 : y;
    this.value.z = far ? 0 : z;
  }

  /** Adds to the offset; false (and nothing changes) when that would take it past `snapDistance`. */
  shift(x: number, y: number, z: number): boolean {
    if (Math.hypot(this.value.x + x, this.value.y + y, this.value.z + z) > this.snapDistance) return false;
    this.value.x += x;
    this.value.y += y;
    this.value.z += z;
    return true;
  }

  clear(): void {
    this.value.x = this.value.y = this.value.z = 0;
  }
}
