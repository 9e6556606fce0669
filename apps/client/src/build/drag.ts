import { Matrix4, Quaternion, Vector3 } from "three";
import { snapPoint, snapScale } from "@tessera/build";
import type { Prim } from "@tessera/prims";
import type { EditOp } from "@tessera/protocol";
import type { Pose } from "../prims/prim-batches.ts";

/** What a drag started from: one prim's record and its world transform then. */
interface Start {
  prim: Prim;
  /** World position and rotation, without scale. */
  world: Matrix4;
  /** Its root's world pose (a linked child's record is relative to it), or identity. */
  parent: Matrix4;
  scale: Vector3;
}

const scratchDelta = new Matrix4();
const scratchWorld = new Matrix4();
const scratchParent = new Matrix4();
const scratchScale = new Vector3();
const scratchOffset = new Vector3();
const scratchRotation = new Quaternion();
const unitScale = new Vector3(1, 1, 1);

/**
 * One drag of the gizmo over a selection: the pivot's transform at the start and now gives every
 * selected prim's new pose, shown at once (as a preview) and sent as edits a few times a second, all
 * squashed into one undo step. Moves and turns carry each prim rigidly with the pivot; scaling
 * stretches each prim's own size and its distance from the pivot by the pivot's scale. Sizes land on
 * the builder's grid; positions on the prims' millimetre grid (the gizmo snaps them to the grid).
 */
export class SelectionDrag {
  /** Edits of this drag squash into one undo step under this key. */
  readonly squash: string;
  private readonly starts: Start[];
  private readonly pivotInverse: Matrix4;
  private readonly pivotRotation = new Quaternion();
  private readonly grid: number | undefined;
  private poses = new Map<number, Pose>();

  constructor(prims: readonly Prim[], worldOf: (prim: Prim) => Matrix4 | undefined, parentOf: (prim: Prim) => Matrix4, pivot: Matrix4, grid: number | undefined, squash: string) {
    this.squash = squash;
    this.grid = grid;
    this.pivotInverse = pivot.clone().invert();
    pivot.decompose(scratchOffset, this.pivotRotation, scratchScale);
    this.starts = [];
    for (const prim of prims) {
      const drawn = worldOf(prim);
      if (!drawn) continue;
      const position = new Vector3();
      const rotation = new Quaternion();
      drawn.decompose(position, rotation, scratchScale);
      this.starts.push({ prim, world: new Matrix4().compose(position, rotation, unitScale), parent: parentOf(prim), scale: new Vector3(prim.scale.x, prim.scale.y, prim.scale.z) });
    }
  }

  /** The poses (record space) for the pivot's transform now; `stretch` is the scale tool's factor per pivot axis. */
  update(pivot: Matrix4, stretch?: Vector3): ReadonlyMap<number, Pose> {
    scratchDelta.multiplyMatrices(pivot, this.pivotInverse);
    const poses = new Map<number, Pose>();
    for (const start of this.starts) {
      const pose: Pose = { position: new Vector3(), rotation: new Quaternion(), scale: start.scale.clone() };
      scratchWorld.multiplyMatrices(scratchDelta, start.world);
      if (stretch) {
        // Stretch the prim's distance from the pivot along the pivot's axes, and its size along its own.
        scratchOffset.setFromMatrixPosition(start.world).applyMatrix4(this.pivotInverse).multiply(stretch).applyMatrix4(pivot);
        scratchWorld.setPosition(scratchOffset);
        pose.scale.multiply(stretch);
        const snapped = snapScale(pose.scale, this.grid);
        pose.scale.set(snapped.x, snapped.y, snapped.z);
      }
      scratchWorld.premultiply(scratchParent.copy(start.parent).invert());
      scratchWorld.decompose(pose.position, pose.rotation, scratchScale);
      const snapped = snapPoint(pose.position);
      pose.position.set(snapped.x, snapped.y, snapped.z);
      pose.rotation.normalize();
      poses.set(start.prim.id, pose);
    }
    this.poses = poses;
    return poses;
  }

  /** The changes that take the prims to the poses of the last {@link update}: only the fields the drag changed. */
  ops(): EditOp[] {
    const ops: EditOp[] = [];
    for (const { prim } of this.starts) {
      const pose = this.poses.get(prim.id);
      if (!pose) continue;
      const to: Extract<EditOp, { op: "change" }>["to"] = {};
      const { position, rotation, scale } = pose;
      if (!position.equals(scratchOffset.set(prim.position.x, prim.position.y, prim.position.z))) to.position = { x: position.x, y: position.y, z: position.z };
      if (Math.abs(rotation.dot(scratchRotation.set(prim.rotation.x, prim.rotation.y, prim.rotation.z, prim.rotation.w))) < 1 - 1e-9) {
        to.rotation = { x: rotation.x, y: rotation.y, z: rotation.z, w: rotation.w };
      }
      if (!scale.equals(scratchScale.set(prim.scale.x, prim.scale.y, prim.scale.z))) to.scale = { x: scale.x, y: scale.y, z: scale.z };
      if (Object.keys(to).length > 0) ops.push({ op: "change", id: prim.id, to });
    }
    return ops;
  }

  get ids(): number[] {
    return this.starts.map((start) => start.prim.id);
  }
}
