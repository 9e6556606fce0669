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
  /** Kilograms, for the impulses a walking avatar gives the physical prims it bumps into. */
  mass: 80,
} as const;

/** How physical prims behave. */
export const PRIM_PHYSICS = {
  /** m/s^2. */
  gravity: 9.81,
  /** kg/m^3: a 0.8 m crate weighs about 100 kg, a 0.7 m ball about 36 kg. */
  density: 200,
  friction: 0.6,
  restitution: 0.2,
  /** Slows sliding and rolling a little, so that things come to rest. */
  linearDamping: 0.1,
  angularDamping: 0.4,
} as const;

/** Height of the walls that close the grid's outer edge. */
export const BOUNDARY_WALL_HEIGHT = 64;
