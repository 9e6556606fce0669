import type { Quat } from "./rotation.ts";
import type { Vec3 } from "./prim.ts";

/** A position and a rotation: of a prim in the world, or of a linked child relative to its root. */
export interface Placement {
  position: Vec3;
  rotation: Quat;
}

/** q * r. */
function multiply(q: Readonly<Quat>, r: Readonly<Quat>): Quat {
  return {
    x: q.w * r.x + q.x * r.w + q.y * r.z - q.z * r.y,
    y: q.w * r.y - q.x * r.z + q.y * r.w + q.z * r.x,
    z: q.w * r.z + q.x * r.y - q.y * r.x + q.z * r.w,
    w: q.w * r.w - q.x * r.x - q.y * r.y - q.z * r.z,
  };
}

const conjugate = (q: Readonly<Quat>): Quat => ({ x: -q.x, y: -q.y, z: -q.z, w: q.w });

/** v rotated by the unit quaternion q (q v q*). */
function rotate(q: Readonly<Quat>, v: Readonly<Vec3>): Vec3 {
  const ix = q.w * v.x + q.y * v.z - q.z * v.y;
  const iy = q.w * v.y + q.z * v.x - q.x * v.z;
  const iz = q.w * v.z + q.x * v.y - q.y * v.x;
  const iw = -q.x * v.x - q.y * v.y - q.z * v.z;
  return {
    x: ix * q.w + iw * -q.x + iy * -q.z - iz * -q.y,
    y: iy * q.w + iw * -q.y + iz * -q.x - ix * -q.z,
    z: iz * q.w + iw * -q.z + ix * -q.y - iy * -q.x,
  };
}

/** A linked child's placement in the world: its position and rotation are relative to its root's. */
export function linkedPlacement(root: Readonly<Placement>, child: Readonly<Placement>): Placement {
  const offset = rotate(root.rotation, child.position);
  return {
    position: { x: root.position.x + offset.x, y: root.position.y + offset.y, z: root.position.z + offset.z },
    rotation: multiply(root.rotation, child.rotation),
  };
}

/** The inverse of {@link linkedPlacement}: a placement in the world, relative to `root`. */
export function relativePlacement(root: Readonly<Placement>, world: Readonly<Placement>): Placement {
  const inverse = conjugate(root.rotation);
  const d = { x: world.position.x - root.position.x, y: world.position.y - root.position.y, z: world.position.z - root.position.z };
  return { position: rotate(inverse, d), rotation: multiply(inverse, world.rotation) };
}
