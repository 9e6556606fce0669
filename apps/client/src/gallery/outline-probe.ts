import { BoxGeometry, EdgesGeometry, LineBasicMaterial, LineSegments, type Matrix4, type Object3D } from "three";
import { SelectionOutline } from "../build/selection-outline.ts";
import type { PrimBatches } from "../prims/prim-batches.ts";
import type { ProbeScenario } from "./probe-scenario.ts";

const COLOUR = "#ffd54a";
/** As {@link SelectionOutline}'s, a little outside the prim. */
const MARGIN = 1.02;

function matricesOf(batches: PrimBatches, ids: readonly number[]): Matrix4[] {
  return ids.map((id) => batches.worldMatrix(id)).filter((matrix): matrix is Matrix4 => matrix !== undefined);
}

/** Ours: the selected prims' boxes rewritten into one line mesh every frame, as build mode does. */
export class OneOutline implements ProbeScenario {
  private readonly batches: PrimBatches;
  private readonly ids: readonly number[];
  private readonly parent: Object3D;
  private readonly outline = new SelectionOutline(COLOUR);

  constructor(batches: PrimBatches, ids: readonly number[], parent: Object3D) {
    this.batches = batches;
    this.ids = ids;
    this.parent = parent;
    parent.add(this.outline.object);
  }

  step(): void {
    this.outline.update(matricesOf(this.batches, this.ids));
  }

  dispose(): void {
    this.parent.remove(this.outline.object);
    this.outline.dispose();
  }
}

/**
 * The baseline: a box of lines per selected prim, each its own object (sharing one geometry and one
 * material) following its prim's world matrix every frame: one draw call per selected prim.
 */
export class OutlinePerPrim implements ProbeScenario {
  private readonly batches: PrimBatches;
  private readonly ids: readonly number[];
  private readonly parent: Object3D;
  private readonly geometry = new EdgesGeometry(new BoxGeometry(MARGIN, MARGIN, MARGIN));
  private readonly material = new LineBasicMaterial({ color: COLOUR, depthTest: false, transparent: true, opacity: 0.9, toneMapped: false });
  private readonly boxes: LineSegments[];

  constructor(batches: PrimBatches, ids: readonly number[], parent: Object3D) {
    this.batches = batches;
    this.ids = ids;
    this.parent = parent;
    this.boxes = ids.map(() => {
      const box = new LineSegments(this.geometry, this.material);
      box.matrixAutoUpdate = false;
      box.renderOrder = 10;
      parent.add(box);
      return box;
    });
  }

  step(): void {
    this.ids.forEach((id, i) => {
      const matrix = this.batches.worldMatrix(id);
      const box = this.boxes[i]!;
      box.visible = matrix !== undefined;
      if (!matrix) return;
      box.matrix.copy(matrix);
      box.matrixWorldNeedsUpdate = true;
    });
  }

  dispose(): void {
    for (const box of this.boxes) this.parent.remove(box);
    this.geometry.dispose();
    this.material.dispose();
  }
}
