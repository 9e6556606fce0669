import type { ColliderDesc } from "@dimforge/rapier3d-compat";
import { primCollider, type Placement, type Prim } from "@tessera/prims";
import type { Rapier } from "./rapier.ts";

/**
 * The Rapier colliders of one prim: its shape at its scale (one collider, or one per convex cell of
 * a shape that is not convex), at `placement` (none: at the origin of the body they are attached to).
 * A moving body gets no triangle mesh (Rapier does not collide two of them): it gets the mesh's hull.
 */
export function primColliderDescs(rapier: Rapier, prim: Prim, placement: Placement | undefined, moving: boolean): ColliderDesc[] {
  const shape = primCollider(prim.shape, prim.scale);
  const box = () => rapier.ColliderDesc.cuboid(prim.scale.x / 2, prim.scale.y / 2, prim.scale.z / 2);
  let descs: ColliderDesc[];
  switch (shape.kind) {
    case "cuboid":
      descs = [rapier.ColliderDesc.cuboid(shape.halfExtents.x, shape.halfExtents.y, shape.halfExtents.z)];
      break;
    case "cylinder":
      descs = [rapier.ColliderDesc.cylinder(shape.halfHeight, shape.radius)];
      break;
    case "cone":
      descs = [rapier.ColliderDesc.cone(shape.halfHeight, shape.radius)];
      break;
    case "ball":
      descs = [rapier.ColliderDesc.ball(shape.radius)];
      break;
    case "convex":
      // A hull of points that all lie in a plane (a prim squashed flat) has no volume: use its box.
      descs = [rapier.ColliderDesc.convexHull(shape.points) ?? box()];
      break;
    case "compound":
      descs = shape.parts.map((part) => rapier.ColliderDesc.convexHull(part)).filter((desc) => desc !== null);
      if (descs.length === 0) descs = [box()];
      break;
    case "trimesh":
      if (moving) {
        descs = [rapier.ColliderDesc.convexHull(shape.vertices) ?? box()];
        break;
      }
      // Fixed internal edges: a capsule sliding along the mesh does not catch on the seams between triangles.
      descs = [rapier.ColliderDesc.trimesh(shape.vertices, shape.indices, rapier.TriMeshFlags.FIX_INTERNAL_EDGES | rapier.TriMeshFlags.MERGE_DUPLICATE_VERTICES)];
      break;
  }
  if (placement) for (const desc of descs) desc.setTranslation(placement.position.x, placement.position.y, placement.position.z).setRotation(placement.rotation);
  return descs;
}
