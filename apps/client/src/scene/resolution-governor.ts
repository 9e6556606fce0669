export interface ResolutionGovernorOptions {
  /** Lowest pixel ratio it will render at. */
  min: number;
  /** Highest pixel ratio (the display's). */
  max: number;
  /** Frames slower than this on average, over a window, lower the resolution. */
  slowMs?: number;
  /** Frames faster than this on average raise it again. */
  fastMs?: number;
  /** Length of the averaging window. */
  windowMs?: number;
}

/**
 * Dynamic resolution: renders fewer pixels when frames are slow (a machine without a GPU renders in
 * software) and more when there is headroom. Slow and fast thresholds are far apart, so the ratio
 * settles instead of oscillating.
 */
export class ResolutionGovernor {
  ratio: number;
  private readonly options: Required<ResolutionGovernorOptions>;
  private elapsed = 0;
  private frames = 0;

  constructor(options: ResolutionGovernorOptions) {
    this.options = { slowMs: 1000 / 24, fastMs: 1000 / 50, windowMs: 1000, ...options };
    this.ratio = options.max;
  }

  /** Counts one frame of `deltaMs`; returns the new pixel ratio when it changes. */
  frame(deltaMs: number): number | undefined {
    this.elapsed += deltaMs;
    this.frames++;
    if (this.elapsed < this.options.windowMs) return undefined;
    const average = this.elapsed / this.frames;
    this.elapsed = 0;
    this.frames = 0;
    const { min, max, slowMs, fastMs } = this.options;
    let next = this.ratio;
    if (average > slowMs) next = Math.max(min, this.ratio * 0.75);
    else if (average < fastMs) next = Math.min(max, this.ratio * 1.15);
    if (Math.abs(next - this.ratio) < 1e-3) return undefined;
    this.ratio = next;
    return next;
  }
}
