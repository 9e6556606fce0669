import { Matrix4, Object3D, Quaternion, Vector3, type Camera } from "three";
import { TransformControls } from "three/examples/jsm/controls/TransformControls.js";
import type { BuildTools, Selection } from "@tessera/build";
import type { Prim } from "@tessera/prims";
import { EDIT_LIMITS } from "@tessera/protocol";
import type { WorldClient } from "@tessera/sdk";
import type { PrimBatches } from "../prims/prim-batches.ts";
import type { BuildNotice } from "./build-notice.ts";
import { SelectionDrag } from "./drag.ts";

/** A drag sends its prims' poses this often at most, ms (others see the prims move while it lasts). */
const SEND_MS = 100;
/** Edits a second a drag of many prims keeps to, within the relay's rate limit (`EDIT_LIMITS`) with room for others. */
const DRAG_EDITS_PER_SECOND = 0.75 * EDIT_LIMITS.batchesPerSecond;

export interface GizmoHost {
  client: WorldClient;
  selection: Selection;
  tools: BuildTools;
  notice: BuildNotice;
  batches(): PrimBatches | undefined;
}

const MODES = { move: "translate", rotate: "rotate", scale: "scale" } as const;
const position = new Vector3();
const rotation = new Quaternion();
const scale = new Vector3();
let drags = 0;

/** A prim's drawn world pose without its scale. */
function poseOf(matrix: Matrix4): Matrix4 {
  matrix.decompose(position, rotation, scale);
  return new Matrix4().compose(position, rotation, scale.set(1, 1, 1));
}

/**
 * The move, rotate and scale gizmo (three's TransformControls) on the selection: it sits on the last
 * selected prim (the root-to-be, as in Second Life), in world or local axes, snapping to the
 * builder's grid and angle step unless Ctrl is held. A drag shows the prims moving at once, sends
 * their poses a few times a second and ends as one undo step; a refusal puts them back and says why.
 */
export class Gizmo {
  readonly controls: TransformControls;
  readonly pivot = new Object3D();
  private readonly host: GizmoHost;
  private drag: { run: SelectionDrag; sentAt: number; every: number; dirty: boolean; refused: boolean; trailing?: ReturnType<typeof setTimeout> } | undefined;
  private free = false;
  private readonly stop: () => void;

  constructor(camera: Camera, element: HTMLElement, host: GizmoHost) {
    this.host = host;
    this.controls = new TransformControls(camera, element);
    this.controls.attach(this.pivot);
    this.controls.addEventListener("mouseDown", () => this.begin());
    this.controls.addEventListener("objectChange", () => this.move());
    this.controls.addEventListener("mouseUp", () => this.end());
    // A new tool or selection takes effect before the next frame: a click right after is judged by it.
    const stops = [host.tools.subscribe(() => this.sync()), host.selection.subscribe(() => this.sync())];
    this.stop = () => stops.forEach((stop) => stop());
  }

  /** Whether the pointer is on a handle (a click there is the gizmo's, not a selection). */
  get engaged(): boolean {
    return this.controls.dragging || (this.controls.enabled && this.controls.axis !== null);
  }

  /** Whether the gizmo is on the selection now. */
  get shown(): boolean {
    return this.controls.enabled;
  }

  /** Ctrl held: moves, turns and sizes go free of the grid. */
  setFree(free: boolean): void {
    this.free = free;
  }

  /** Once a frame: follows the selection and the tool settings (not while dragging). */
  sync(): void {
    if (this.controls.dragging) return;
    const { building, tool, space, grid, angle } = this.host.tools.settings;
    const anchor = this.host.selection.root;
    const matrix = anchor === undefined ? undefined : this.host.batches()?.worldMatrix(anchor);
    const shown = building && tool !== "select" && matrix !== undefined;
    this.controls.enabled = shown;
    this.controls.getHelper().visible = shown;
    if (!shown) return;
    this.controls.setMode(MODES[tool]);
    this.controls.setSpace(tool === "scale" ? "local" : space);
    this.controls.translationSnap = this.free ? null : grid;
    this.controls.rotationSnap = this.free ? null : (angle * Math.PI) / 180;
    matrix.decompose(this.pivot.position, this.pivot.quaternion, scale);
    this.pivot.scale.set(1, 1, 1);
    this.pivot.updateMatrixWorld(true);
  }

  dispose(): void {
    this.stop();
    this.controls.detach();
    this.controls.dispose();
  }

  /** The selected prims a drag moves: a child whose root is selected too moves with its root. */
  private movable(): Prim[] {
    const { prims } = this.host.client;
    const selected = new Set(this.host.selection.ids);
    const out: Prim[] = [];
    for (const id of selected) {
      const prim = prims.get(id);
      if (prim && !(prim.root !== 0 && selected.has(prim.root))) out.push(prim);
    }
    return out;
  }

  private begin(): void {
    const batches = this.host.batches();
    if (!batches) return;
    const identity = new Matrix4();
    const run = new SelectionDrag(
      this.movable(),
      (prim) => batches.worldMatrix(prim.id),
      (prim) => {
        const root = prim.root === 0 ? undefined : batches.worldMatrix(prim.root);
        return root ? poseOf(root) : identity;
      },
      this.pivot.matrixWorld.clone(),
      this.free ? undefined : this.host.tools.settings.grid,
      `drag-${++drags}`,
    );
    // A large selection takes several edits a send: send less often.
    const edits = Math.ceil(run.ids.length / EDIT_LIMITS.opsPerBatch);
    this.drag = { run, sentAt: performance.now(), every: Math.max(SEND_MS, (1000 * edits) / DRAG_EDITS_PER_SECOND), dirty: false, refused: false };
  }

  private move(): void {
    const drag = this.drag;
    const batches = this.host.batches();
    if (!drag || drag.refused || !batches) return;
    this.pivot.updateMatrixWorld(true);
    const stretch = this.controls.mode === "scale" ? this.pivot.scale.clone() : undefined;
    const unscaled = new Matrix4().compose(this.pivot.position, this.pivot.quaternion, scale.set(1, 1, 1));
    for (const [id, pose] of drag.run.update(unscaled, stretch)) batches.preview(id, pose);
    drag.dirty = true;
    const wait = drag.every - (performance.now() - drag.sentAt);
    if (wait <= 0) this.send(drag);
    // A drag that pauses still shows where it is, a moment later.
    else drag.trailing ??= setTimeout(() => drag === this.drag && drag.dirty && !drag.refused && this.send(drag), wait);
  }

  private end(): void {
    const drag = this.drag;
    this.drag = undefined;
    if (!drag) return;
    if (drag.dirty && !drag.refused) this.send(drag);
    // The edits just sent show the prims where the drag left them.
    this.release(drag);
  }

  private send(drag: NonNullable<Gizmo["drag"]>): void {
    clearTimeout(drag.trailing);
    delete drag.trailing;
    drag.sentAt = performance.now();
    drag.dirty = false;
    const ops = drag.run.ops();
    if (ops.length === 0) return;
    this.host.client.editAll(ops, { squash: drag.run.squash }).catch((error: unknown) => {
      if (drag.refused) return;
      drag.refused = true;
      this.release(drag);
      this.host.notice.refused(error);
    });
  }

  private release(drag: NonNullable<Gizmo["drag"]>): void {
    const batches = this.host.batches();
    for (const id of drag.run.ids) batches?.preview(id, undefined);
  }
}
