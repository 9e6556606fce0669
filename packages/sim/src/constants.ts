/** Avatar body and movement tuning, the same on relay and client. Lengths in metres, times in seconds. */
export const AVATAR = {
  /** Capsule radius. */
  radius: 0.35,
  /** Half the length of the capsule's straight part. */
  halfHeight: 0.55,
  /** Feet to top of head: 2 * (halfHeight + radius). */
  height: 1.8,
  walkSpeed: 3.2,
  runSpeed: 6.5,
  jumpSpeed: 6.2,
  gravity: 20,
  maxFallSpeed: 45,
  /** Steps up to this height are climbed without jumping. */
  maxStepHeight: 0.45,
  maxClimbSlopeRad: (50 * Math.PI) / 180,
  snapToGround: 0.3,
} as const;

/** Height of the walls that close the grid's outer edge. */
export const BOUNDARY_WALL_HEIGHT = 64;
