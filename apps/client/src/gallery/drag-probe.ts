import { Matrix4, Quaternion, Vector3 } from "three";
import type { Prim } from "@tessera/prims";
import { SelectionDrag } from "../build/drag.ts";
import type { PrimBatches } from "../prims/prim-batches.ts";
import type { ProbeScenario } from "./probe-scenario.ts";

/** The pivot travels this far a frame, m, to and fro along x over {@link SWING_FRAMES} frames. */
const STEP_M = 0.02;
const SWING_FRAMES = 40;

const identity = new Matrix4();
const position = new Vector3();
const rotation = new Quaternion();
const scale = new Vector3();

/** A gizmo drag of one prim, from where it is drawn: the pivot as the gizmo puts it, at the prim's pose without its scale. */
function startDrag(batches: PrimBatches, prim: Prim): { drag: SelectionDrag; pivot: Matrix4 } {
  const drawn = batches.worldMatrix(prim.id);
  if (!drawn) throw new Error(`prim ${prim.id} is not drawn yet`);
  drawn.decompose(position, rotation, scale);
  const pivot = new Matrix4().compose(position, rotation, scale.set(1, 1, 1));
  const drag = new SelectionDrag([prim], (p) => batches.worldMatrix(p.id), () => identity, pivot, undefined, "bench-drag");
  return { drag, pivot };
}

/** The pivot `frame` frames into the drag. */
function pivotAt(start: Matrix4, frame: number, out: Matrix4): Matrix4 {
  const swing = frame % SWING_FRAMES;
  return out.makeTranslation(STEP_M * Math.min(swing, SWING_FRAMES - swing), 0, 0).multiply(start);
}

/** Ours: each frame the pivot moves and the prim is shown at its new pose, as the gizmo does on a pointer move. */
export class PreviewDrag implements ProbeScenario {
  private readonly batches: PrimBatches;
  private readonly prim: Prim;
  private readonly drag: SelectionDrag;
  private readonly start: Matrix4;
  private readonly pivot = new Matrix4();

  constructor(batches: PrimBatches, prim: Prim) {
    this.batches = batches;
    this.prim = prim;
    ({ drag: this.drag, pivot: this.start } = startDrag(batches, prim));
  }

  step(frame: number): void {
    for (const [id, pose] of this.drag.update(pivotAt(this.start, frame, this.pivot))) this.batches.preview(id, pose);
  }

  dispose(): void {
    this.batches.preview(this.prim.id, undefined);
  }
}

/**
 * The baseline: the same drag, but each move is a change of the prim set that the batches take up
 * by emptying and refilling themselves: every prim's instances removed and added again, as a
 * renderer that rebuilds its instanced meshes from the prim list whenever the list changes does.
 * The refill completes within the frame (ours spreads new prims over frames; a rebuild cannot).
 */
export class RebuildDrag implements ProbeScenario {
  private readonly batches: PrimBatches;
  private readonly original: readonly Prim[];
  private readonly index: number;
  private readonly eye: Vector3;
  private readonly drag: SelectionDrag;
  private readonly start: Matrix4;
  private readonly pivot = new Matrix4();
  private shown: readonly Prim[];

  constructor(batches: PrimBatches, prims: readonly Prim[], index: number, eye: Vector3) {
    this.batches = batches;
    this.original = this.shown = prims;
    this.index = index;
    this.eye = eye;
    ({ drag: this.drag, pivot: this.start } = startDrag(batches, prims[index]!));
  }

  step(frame: number): void {
    const pose = this.drag.update(pivotAt(this.start, frame, this.pivot)).get(this.original[this.index]!.id);
    if (!pose) return;
    const prims = [...this.shown];
    prims[this.index] = { ...prims[this.index]!, position: { x: pose.position.x, y: pose.position.y, z: pose.position.z }, rotation: { x: pose.rotation.x, y: pose.rotation.y, z: pose.rotation.z, w: pose.rotation.w } };
    this.rebuild(prims);
  }

  dispose(): void {
    this.rebuild(this.original);
  }

  private rebuild(prims: readonly Prim[]): void {
    this.batches.apply({ removed: [...this.shown], added: [...prims], updated: [] });
    this.shown = prims;
    // Until every prim is back in (a mesh still at the workers would stop the refill: then it waits for them).
    for (let drawn = -1; this.batches.stats.drawn > drawn && this.batches.stats.drawn < prims.length; ) {
      drawn = this.batches.stats.drawn;
      this.batches.update(this.eye, 0);
    }
  }
}
