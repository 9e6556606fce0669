import { Box3, Vector3 } from "three";
import type { Selection } from "@tessera/build";
import type { PrimBatches } from "../prims/prim-batches.ts";
import type { CameraRig } from "../scene/camera-rig.ts";

const UNIT_BOX = new Box3(new Vector3(-0.5, -0.5, -0.5), new Vector3(0.5, 0.5, 0.5));

/** F: the camera looks at the whole selection (or, with nothing selected, at the avatar again). */
export function focusSelection(rig: CameraRig, selection: Selection, batches: PrimBatches | undefined): void {
  const bounds = new Box3();
  for (const id of selection.ids) {
    const matrix = batches?.worldMatrix(id);
    if (matrix) bounds.union(UNIT_BOX.clone().applyMatrix4(matrix));
  }
  if (bounds.isEmpty()) return rig.release();
  rig.focusOn(bounds.getCenter(new Vector3()), bounds.getSize(new Vector3()).length() / 2);
}
