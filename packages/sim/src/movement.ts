import { Keys } from "@tessera/protocol";
import { AVATAR } from "./constants.ts";

/**
 * Horizontal velocity wanted by a set of keys, for a heading `yaw` (radians, 0 = +z, PI/2 = +x).
 * Diagonals are normalised so that they are not faster than straight lines.
 */
export function desiredVelocity(keys: number, yaw: number): { x: number; z: number } {
  const forward = (keys & Keys.Forward ? 1 : 0) - (keys & Keys.Back ? 1 : 0);
  const right = (keys & Keys.Right ? 1 : 0) - (keys & Keys.Left ? 1 : 0);
  if (forward === 0 && right === 0) return { x: 0, z: 0 };
  const sin = Math.sin(yaw);
  const cos = Math.cos(yaw);
  // forward = (sin, cos); right = forward x up = (-cos, sin)
  let x = forward * sin - right * cos;
  let z = forward * cos + right * sin;
  const length = Math.hypot(x, z);
  const speed = keys & Keys.Run ? AVATAR.runSpeed : AVATAR.walkSpeed;
  x = (x / length) * speed;
  z = (z / length) * speed;
  return { x, z };
}
