import type { ColliderDesc } from "@dimforge/rapier3d-compat";
import { primCollider, type Prim } from "@tessera/prims";
import type { Rapier } from "./rapier.ts";

/**
 * The Rapier collider for one prim of a linkset: its shape at its scale, placed at the prim's
 * transform relative to the linkset's body (the root sits at the body's origin).
 */
export function primColliderDesc(rapier: Rapier, prim: Prim, isRoot: boolean, dynamic: boolean): ColliderDesc {
  const shape = primCollider(prim.shape, prim.scale, { dynamic });
  let desc: ColliderDesc | null;
  switch (shape.kind) {
    case "cuboid":
      desc = rapier.ColliderDesc.cuboid(shape.halfExtents.x, shape.halfExtents.y, shape.halfExtents.z);
      break;
    case "cylinder":
      desc = rapier.ColliderDesc.cylinder(shape.halfHeight, shape.radius);
      break;
    case "cone":
      desc = rapier.ColliderDesc.cone(shape.halfHeight, shape.radius);
      break;
    case "ball":
      desc = rapier.ColliderDesc.ball(shape.radius);
      break;
    case "convex":
      desc = rapier.ColliderDesc.convexHull(shape.points);
      break;
    case "trimesh":
      desc = rapier.ColliderDesc.trimesh(shape.vertices, shape.indices);
      break;
  }
  // A hull of points that all lie in a plane (a prim squashed flat) has no volume: use its box.
  desc ??= rapier.ColliderDesc.cuboid(prim.scale.x / 2, prim.scale.y / 2, prim.scale.z / 2);
  if (!isRoot) desc.setTranslation(prim.position.x, prim.position.y, prim.position.z).setRotation(prim.rotation);
  return desc;
}
