import type { ColliderDesc } from "@dimforge/rapier3d-compat";
import { primCollider, type Prim, type Quat, type Vec3 } from "@tessera/prims";
import type { Rapier } from "./rapier.ts";

/** Where a collider sits: in the world, or relative to the body it is attached to. */
export interface Placement {
  position: Vec3;
  rotation: Quat;
}

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

/** A linked child's placement in the world: its position and rotation are relative to its root's. */
export function linkedPlacement(root: Placement, child: Placement): Placement {
  const q = root.rotation;
  const { x, y, z } = child.position;
  // v' = q v q*, expanded.
  const ix = q.w * x + q.y * z - q.z * y;
  const iy = q.w * y + q.z * x - q.x * z;
  const iz = q.w * z + q.x * y - q.y * x;
  const iw = -q.x * x - q.y * y - q.z * z;
  const c = child.rotation;
  return {
    position: {
      x: root.position.x + ix * q.w + iw * -q.x + iy * -q.z - iz * -q.y,
      y: root.position.y + iy * q.w + iw * -q.y + iz * -q.x - ix * -q.z,
      z: root.position.z + iz * q.w + iw * -q.z + ix * -q.y - iy * -q.x,
    },
    rotation: {
      x: q.w * c.x + q.x * c.w + q.y * c.z - q.z * c.y,
      y: q.w * c.y - q.x * c.z + q.y * c.w + q.z * c.x,
      z: q.w * c.z + q.x * c.y - q.y * c.x + q.z * c.w,
      w: q.w * c.w - q.x * c.x - q.y * c.y - q.z * c.z,
    },
  };
}
