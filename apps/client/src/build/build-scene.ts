import { Group, Plane, Raycaster, Vector2, Vector3, type Camera, type Matrix4 } from "three";
import type { BuildTools, Selection } from "@tessera/build";
import type { Vec3 } from "@tessera/prims";
import type { WorldClient } from "@tessera/sdk";
import type { PrimBatches } from "../prims/prim-batches.ts";
import { registerPivot, registerScreen } from "../qa/world-hook.ts";
import type { BuildNotice } from "./build-notice.ts";
import { Gizmo } from "./gizmo.ts";
import { boxSelect, Marquee } from "./marquee.ts";
import { OthersLabels } from "./others-labels.ts";
import { SelectionOutline } from "./selection-outline.ts";

/** A press that travels less than this far (px) is a click. */
const CLICK_SLOP = 4;
const OWN_COLOUR = "#ffd54a";
const GROUND = new Plane(new Vector3(0, 1, 0), 0);

export interface BuildSceneHost {
  client: WorldClient;
  tools: BuildTools;
  selection: Selection;
  notice: BuildNotice;
  layer: { current: PrimBatches | undefined };
  /** Face picked in the scene (the panel shows it); -1 when a click selected a whole object. */
  onFace: (face: number) => void;
  /** Filled in here: the point on a prim or the ground under the pointer, while it is over the scene. */
  surface: { underPointer?: () => Vec3 | undefined };
}

/** The prim a click selects: the object it belongs to, or the prim itself when parts are edited. */
function objectOf(client: WorldClient, tools: BuildTools, id: number): number {
  if (tools.settings.parts) return id;
  const prim = client.prims.get(id);
  return prim && prim.root !== 0 ? prim.root : id;
}

/**
 * Build mode in the scene: a click selects a prim (the whole object unless parts are edited; Shift
 * adds or removes), a drag on empty space draws a box selection, outlines show the own selection and
 * other builders' in their colours with their names, and the gizmo moves, turns and sizes the
 * selection. Framework-free: the React component adds {@link group} to the scene and calls
 * {@link frame} every frame.
 */
export class BuildSceneController {
  readonly group = new Group();
  private readonly host: BuildSceneHost;
  private readonly camera: Camera;
  private readonly element: HTMLCanvasElement;
  private readonly gizmo: Gizmo;
  private readonly own = new SelectionOutline(OWN_COLOUR);
  private readonly others: OthersLabels;
  private readonly marquee: Marquee;
  private readonly raycaster = new Raycaster();
  private readonly ndc = new Vector2();
  private press: { x: number; y: number; id: number; shift: boolean } | undefined;
  private hover: { x: number; y: number } | undefined;
  private readonly stop: () => void;

  constructor(camera: Camera, element: HTMLCanvasElement, host: BuildSceneHost) {
    this.camera = camera;
    this.element = element;
    this.host = host;
    this.gizmo = new Gizmo(camera, element, { ...host, batches: () => host.layer.current });
    this.others = new OthersLabels(this.group);
    this.marquee = new Marquee(element.parentElement ?? document.body);
    this.group.add(this.gizmo.controls.getHelper(), this.gizmo.pivot, this.own.object);
    host.surface.underPointer = () => this.underPointer();
    registerScreen((id) => {
      const matrix = host.layer.current?.worldMatrix(id);
      return matrix ? this.toScreen(new Vector3().setFromMatrixPosition(matrix)) : undefined;
    });
    const listeners: [EventTarget, string, (event: never) => void][] = [
      [element, "pointerdown", this.down],
      [window, "pointermove", this.move],
      [window, "pointerup", this.up],
      [window, "keydown", this.key],
      [window, "keyup", this.key],
    ];
    for (const [target, type, listener] of listeners) target.addEventListener(type, listener as EventListener);
    this.stop = () => {
      for (const [target, type, listener] of listeners) target.removeEventListener(type, listener as EventListener);
    };
  }

  /** Once a frame, before rendering. */
  frame(): void {
    const { tools, selection, client } = this.host;
    const batches = this.host.layer.current;
    const building = tools.settings.building;
    this.group.visible = building;
    if (!batches) return;
    this.gizmo.sync();
    registerPivot(building && selection.root !== undefined && this.gizmo.shown ? this.toScreen(this.gizmo.pivot.position) : undefined);
    this.own.update(building ? selection.ids.map((id) => batches.worldMatrix(id)).filter((m): m is Matrix4 => m !== undefined) : []);
    this.others.update(building ? client.selections.list() : [], (id) => batches.worldMatrix(id), this.camera, this.element);
  }

  dispose(): void {
    this.stop();
    delete this.host.surface.underPointer;
    registerPivot(undefined);
    registerScreen(undefined);
    this.gizmo.dispose();
    this.own.dispose();
    this.others.dispose();
    this.marquee.dispose();
  }

  private readonly down = (event: PointerEvent) => {
    if (!this.host.tools.settings.building || event.button !== 0 || this.gizmo.engaged) return;
    this.press = { x: event.clientX, y: event.clientY, id: event.pointerId, shift: event.shiftKey };
  };

  private readonly move = (event: PointerEvent) => {
    this.hover = event.target === this.element ? { x: event.clientX, y: event.clientY } : undefined;
    const press = this.press;
    if (!press || event.pointerId !== press.id) return;
    if (Math.hypot(event.clientX - press.x, event.clientY - press.y) > CLICK_SLOP) this.marquee.show(press.x, press.y, event.clientX, event.clientY);
  };

  private readonly up = (event: PointerEvent) => {
    const press = this.press;
    if (!press || event.pointerId !== press.id) return;
    this.press = undefined;
    const { client, tools, selection } = this.host;
    const batches = this.host.layer.current;
    if (!batches) return this.marquee.hide();
    if (this.marquee.visible) {
      const ids = boxSelect(batches.centres(), this.camera, this.element.getBoundingClientRect(), this.marquee.rect());
      this.marquee.hide();
      selection.pick([...new Set(ids.map((id) => objectOf(client, tools, id)))], press.shift);
      return;
    }
    const hit = batches.pick(this.ray(event.clientX, event.clientY));
    if (!hit) {
      if (!press.shift) selection.clear();
      return;
    }
    const id = objectOf(client, tools, hit.id);
    if (press.shift) selection.toggle(id);
    else selection.select(id);
    this.host.onFace(hit.id === id ? hit.face : -1);
  };

  /** Ctrl held frees the gizmo from the grid. */
  private readonly key = (event: KeyboardEvent) => {
    if (event.key === "Control") this.gizmo.setFree(event.type === "keydown");
  };

  private underPointer(): Vec3 | undefined {
    if (!this.hover) return undefined;
    const ray = this.ray(this.hover.x, this.hover.y);
    const point = this.host.layer.current?.pick(ray)?.point ?? ray.ray.intersectPlane(GROUND, new Vector3());
    return point ? { x: point.x, y: point.y, z: point.z } : undefined;
  }

  private ray(x: number, y: number): Raycaster {
    const rect = this.element.getBoundingClientRect();
    this.raycaster.setFromCamera(this.ndc.set(((x - rect.left) / rect.width) * 2 - 1, -((y - rect.top) / rect.height) * 2 + 1), this.camera);
    return this.raycaster;
  }

  private toScreen(point: Vector3): [number, number] | undefined {
    const rect = this.element.getBoundingClientRect();
    const p = point.clone().project(this.camera);
    if (p.z < -1 || p.z > 1) return undefined;
    return [Math.round(rect.left + ((p.x + 1) / 2) * rect.width), Math.round(rect.top + ((1 - p.y) / 2) * rect.height)];
  }
}
