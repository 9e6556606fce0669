import { BufferAttribute, BufferGeometry, Color, Group, Matrix4, Mesh, MeshBasicMaterial, MeshStandardMaterial, Quaternion, SRGBColorSpace, Sphere, Vector3, Vector4, type Frustum, type Intersection, type Material, type Raycaster } from "three";
import { faceRoles, faceStyleAt, lodFor, presetOf, sameShape, shapeKey, shapeKind, type FaceStyle, type Lod, type Prim, type PrimDiff } from "@tessera/prims";
import { TEXTURE_TIERS, projectedPixels, tierForFace } from "@tessera/textures";
import type { Textures } from "../textures/texture-source.ts";
import { PrimBatch, faceGeometry } from "./prim-batch.ts";
import { meshKey, type Meshes } from "./mesh-source.ts";

/** Which batch a face goes to: lit or full bright, opaque or see-through. */
type MaterialKind = "lit" | "litAlpha" | "bright" | "brightAlpha";

/** Faces of one prim drawn alike: one instance in one batch. */
interface FaceGroup {
  faceMask: number;
  style: FaceStyle;
  kind: MaterialKind;
}

interface Part {
  group: FaceGroup;
  batch: PrimBatch;
  instance: number;
}

interface View {
  prim: Prim;
  groups: FaceGroup[];
  parts: Part[];
  /** World transform as drawn, scale included. */
  readonly matrix: Matrix4;
  /** Where a physical prim is drawn (it glides towards its latest pose) and its latest pose. */
  readonly shown: { position: Vector3; rotation: Quaternion };
  readonly target: { position: Vector3; rotation: Quaternion };
  radius: number;
  /** The level of detail drawn; undefined until its first mesh arrives. */
  lod?: Lod;
  want: Lod;
  /** Index in the LOD sweep. */
  slot: number;
  /** A pose shown instead of the record's while a builder drags the prim (record space: a child's is relative to its root). */
  preview?: Pose;
}

/** A prim's pose as its record holds it. */
export interface Pose {
  position: Vector3;
  rotation: Quaternion;
  scale: Vector3;
}

/** What a ray through the scene hits first: the prim, its face, and where. */
export interface PrimHit {
  id: number;
  face: number;
  point: Vector3;
  distance: number;
}

/** Prims held and drawn, batch instances and geometries; and, counted since the start, batch instances added and removed and instance matrices written. */
export interface BatchStats {
  prims: number;
  drawn: number;
  instances: number;
  geometries: number;
  instancesAdded: number;
  instancesRemoved: number;
  matrixWrites: number;
}

/** Writes where a physical prim is shown now and returns true, or false when it is at its record's pose. */
export type BodyPoses = (id: number, position: Vector3, rotation: Quaternion) => boolean;

export interface PrimBatchesOptions {
  /** Draw every prim at this level of detail instead of choosing by size on screen. */
  fixedLod?: Lod;
  /** Level of detail quality factor: higher picks finer meshes sooner. */
  quality?: number;
  /** Poses of moving physical prims, each frame (interpolated by the client); without it they glide to each new record. */
  bodyPoses?: BodyPoses;
  /** Where textured faces get their textures; without it they show their colours. */
  textures?: Textures & { readonly uniforms: readonly { value: unknown }[] };
  /** Texture detail: the tier asked for is the face's size on screen times this (below 1 for blurrier, cheaper textures). */
  textureBias?: number;
}

/** What the camera sees, for choosing texture tiers: its frustum, and pixels on screen per metre at one metre away. */
export interface Sight {
  frustum: Frustum;
  pixelsPerMetre: number;
}

/** Prims whose level of detail is reconsidered per frame: the whole set every few frames. */
const LOD_SWEEP_PER_FRAME = 2000;
/** Main-thread time per frame for putting arrived meshes into batches, ms. */
const INTEGRATION_BUDGET_MS = 4;
/** Physical prims glide towards each new pose at this rate, per second. */
const FOLLOW_RATE = 12;

const scratchColor = new Color();
const scratchRoot = new Matrix4();
const scratchPosition = new Vector3();
const scratchScale = new Vector3();
const scratchSphere = new Sphere();
/** Stands in for one prim's mesh when finding which face a ray hits. */
const pickMesh = new Mesh();

function styleKey(style: FaceStyle): string {
  const { r, g, b, a } = style.color;
  const look = `${r},${g},${b},${a},${style.fullBright ? 1 : 0}`;
  return style.texture ? `${look},${style.texture},${style.repeats.u},${style.repeats.v},${style.offset.u},${style.offset.v},${style.rotation}` : look;
}

function kindOf(style: FaceStyle): MaterialKind {
  const alpha = style.color.a < 255;
  return style.fullBright ? (alpha ? "brightAlpha" : "bright") : alpha ? "litAlpha" : "lit";
}

function colorOf(style: FaceStyle, out: Vector4): Vector4 {
  scratchColor.setRGB(style.color.r / 255, style.color.g / 255, style.color.b / 255, SRGBColorSpace);
  return out.set(scratchColor.r, scratchColor.g, scratchColor.b, style.color.a / 255);
}

const sameGroups = (a: FaceGroup[], b: FaceGroup[]) =>
  a.length === b.length && a.every((group, i) => group.faceMask === b[i]!.faceMask && group.kind === b[i]!.kind);

/**
 * Draws prims with a handful of draw calls: one BatchedMesh per material kind, an instance per group
 * of alike faces of each prim. Follows a {@link PrimDiff} stream: a moved or recoloured prim touches
 * only its own instances. Picks each prim's level of detail by its size on screen, a slice of the
 * prims per frame, and puts meshes into the batches as they arrive from the workers, within a time
 * budget per frame. Framework-free: the React scene drives it with {@link update} every frame.
 */
export class PrimBatches {
  readonly group = new Group();
  private readonly meshes: Meshes;
  private readonly options: PrimBatchesOptions;
  private readonly batches: Record<MaterialKind, PrimBatch>;
  private readonly views = new Map<number, View>();
  private readonly sweep: View[] = [];
  private readonly children = new Map<number, Set<number>>();
  private readonly waiting = new Set<View>();
  private readonly moving = new Set<View>();
  private readonly physical = new Set<View>();
  private readonly faceCounts = new Map<string, number>();
  /** Which prim each batch instance draws. */
  private readonly instances = new Map<PrimBatch, Map<number, View>>();
  /** Parts whose faces show a texture: their looks follow the texture source. */
  private readonly textured = new Set<Part>();
  private seenTextures = -1;
  private readonly eye = new Vector3();
  private sight: Sight | undefined;
  private sweepAt = 0;
  private seenMeshes = -1;
  /** What changes cost the batches so far (see {@link BatchStats}). */
  private readonly writes = { instancesAdded: 0, instancesRemoved: 0, matrixWrites: 0 };

  constructor(meshes: Meshes, options: PrimBatchesOptions = {}) {
    this.meshes = meshes;
    this.options = options;
    const lit = (transparent: boolean): Material =>
      new MeshStandardMaterial({ roughness: 0.85, metalness: 0, transparent, depthWrite: !transparent });
    const bright = (transparent: boolean): Material => new MeshBasicMaterial({ transparent, depthWrite: !transparent, toneMapped: false });
    const arrays = options.textures?.uniforms ?? TEXTURE_TIERS.map(() => ({ value: null }));
    this.batches = {
      lit: new PrimBatch(lit(false), "prims-lit", arrays, false),
      litAlpha: new PrimBatch(lit(true), "prims-lit-alpha", arrays, true),
      bright: new PrimBatch(bright(false), "prims-bright", arrays, false),
      brightAlpha: new PrimBatch(bright(true), "prims-bright-alpha", arrays, true),
    };
    for (const [kind, batch] of Object.entries(this.batches)) {
      batch.mesh.castShadow = kind === "lit" || kind === "bright";
      batch.mesh.receiveShadow = kind === "lit" || kind === "litAlpha";
      this.group.add(batch.mesh);
    }
  }

  /** Applies a change of the prim set. */
  apply(diff: PrimDiff): void {
    for (const prim of diff.removed) this.remove(prim.id);
    for (const prim of diff.added) this.add(prim);
    for (const [from, to] of diff.updated) this.change(from, to);
  }

  /** Once per frame, before rendering: levels of detail and texture tiers (with `sight`), arrived meshes and textures, moving prims. */
  update(eye: Vector3, deltaS: number, sight?: Sight): void {
    this.eye.copy(eye);
    this.sight = sight;
    this.integrate();
    this.sweepLods();
    this.followBodies();
    this.glide(deltaS);
    this.followTextures();
  }

  /** The first prim a ray hits, and which of its faces (for picking in build mode). */
  pick(raycaster: Raycaster): PrimHit | undefined {
    let nearest: { hit: Intersection; view: View } | undefined;
    for (const [batch, owners] of this.instances) {
      for (const hit of raycaster.intersectObject(batch.mesh, false)) {
        const view = hit.batchId === undefined ? undefined : owners.get(hit.batchId);
        if (view && (!nearest || hit.distance < nearest.hit.distance)) nearest = { hit, view };
      }
    }
    if (!nearest) return undefined;
    const { hit, view } = nearest;
    return { id: view.prim.id, face: this.faceAt(view, raycaster) ?? 0, point: hit.point.clone(), distance: hit.distance };
  }

  /** A prim's world transform as drawn (scale included), or undefined when it is not drawn. */
  worldMatrix(id: number): Matrix4 | undefined {
    const view = this.views.get(id);
    return view?.lod === undefined ? undefined : view.matrix;
  }

  /** Shows a prim (and its linked children) at `pose` instead of its record's until called with undefined. */
  preview(id: number, pose: Pose | undefined): void {
    const view = this.views.get(id);
    if (!view) return;
    if (pose) view.preview = pose;
    else delete view.preview;
    this.compose(view);
  }

  /** World centres of the prims drawn now, for a box selection. */
  *centres(): IterableIterator<[number, Vector3]> {
    const centre = new Vector3();
    for (const [id, view] of this.views) if (view.lod !== undefined) yield [id, centre.setFromMatrixPosition(view.matrix)];
  }

  /** Prims drawn now, for the QA hook. */
  list(): { id: number; owner: string; shape: string; position: [number, number, number]; root: number; lod: Lod }[] {
    const out: { id: number; owner: string; shape: string; position: [number, number, number]; root: number; lod: Lod }[] = [];
    for (const [id, view] of this.views) {
      if (view.lod === undefined) continue;
      const p = scratchPosition.setFromMatrixPosition(view.matrix);
      out.push({ id, owner: view.prim.owner, shape: presetOf(view.prim.shape) ?? shapeKind(view.prim.shape), position: [p.x, p.y, p.z], root: view.prim.root, lod: view.lod });
    }
    return out;
  }

  get stats(): BatchStats {
    let drawn = 0;
    for (const view of this.views.values()) if (view.lod !== undefined) drawn++;
    const batches = Object.values(this.batches);
    return {
      prims: this.views.size,
      drawn,
      instances: batches.reduce((sum, batch) => sum + batch.mesh.instanceCount, 0),
      geometries: batches.reduce((sum, batch) => sum + batch.geometryCount, 0),
      ...this.writes,
    };
  }

  dispose(): void {
    for (const batch of Object.values(this.batches)) {
      batch.dispose();
      batch.mesh.material.dispose();
    }
    this.views.clear();
  }

  private add(prim: Prim): void {
    const view: View = {
      prim,
      groups: this.groupsOf(prim),
      parts: [],
      matrix: new Matrix4(),
      shown: { position: new Vector3(), rotation: new Quaternion() },
      target: { position: new Vector3(), rotation: new Quaternion() },
      radius: 0,
      want: 0,
      slot: this.sweep.length,
    };
    this.views.set(prim.id, view);
    this.sweep.push(view);
    if (prim.physical) this.physical.add(view);
    if (prim.root !== 0) {
      let set = this.children.get(prim.root);
      if (!set) this.children.set(prim.root, (set = new Set()));
      set.add(prim.id);
    }
    this.setPose(view, true);
    view.want = this.lodFor(view);
    this.waiting.add(view);
    // Its mesh may be ready already: look at the waiting prims again.
    this.seenMeshes = -1;
  }

  /** Which face of a view's mesh the ray crosses first. */
  private faceAt(view: View, raycaster: Raycaster): number | undefined {
    const mesh = view.lod === undefined ? undefined : this.meshes.get(meshKey(view.prim.shape, view.lod));
    if (!mesh) return undefined;
    const geometry = new BufferGeometry();
    geometry.setAttribute("position", new BufferAttribute(mesh.positions, 3));
    geometry.setIndex(new BufferAttribute(mesh.indices, 1));
    pickMesh.geometry = geometry;
    pickMesh.matrixWorld.copy(view.matrix);
    const hit = raycaster.intersectObject(pickMesh, false)[0];
    if (hit?.faceIndex == null) return undefined;
    const index = hit.faceIndex * 3;
    return mesh.faces.find((face) => index >= face.indexStart && index < face.indexStart + face.indexCount)?.index;
  }

  private remove(id: number): void {
    const view = this.views.get(id);
    if (!view) return;
    this.dropParts(view);
    this.views.delete(id);
    this.waiting.delete(view);
    this.moving.delete(view);
    this.physical.delete(view);
    const last = this.sweep.pop()!;
    if (last !== view) {
      this.sweep[view.slot] = last;
      last.slot = view.slot;
    }
    if (view.prim.root !== 0) this.children.get(view.prim.root)?.delete(id);
  }

  private change(from: Prim, to: Prim): void {
    const view = this.views.get(to.id);
    if (!view) return;
    view.prim = to;
    const groups = this.groupsOf(to);
    if (!sameShape(from.shape, to.shape) || !sameGroups(view.groups, groups) || from.root !== to.root) {
      // A new shape or a new split of faces: draw it afresh.
      this.remove(to.id);
      this.add(to);
      return;
    }
    view.groups = groups;
    view.parts.forEach((part, i) => {
      part.group = groups[i]!;
      part.batch.mesh.setColorAt(part.instance, colorOf(part.group.style, new Vector4()));
      this.dress(part);
    });
    this.setPose(view, !to.physical);
  }

  /** Faces split by how they look, one group per look. */
  private groupsOf(prim: Prim): FaceGroup[] {
    const key = shapeKey(prim.shape);
    let count = this.faceCounts.get(key);
    if (count === undefined) this.faceCounts.set(key, (count = faceRoles(prim.shape).length));
    const groups = new Map<string, FaceGroup>();
    for (let face = 0; face < count; face++) {
      const style = faceStyleAt(prim, face);
      const look = styleKey(style);
      const group = groups.get(look);
      if (group) group.faceMask |= 1 << face;
      else groups.set(look, { faceMask: 1 << face, style, kind: kindOf(style) });
    }
    return [...groups.values()];
  }

  /** Takes up a prim's pose: at once, or (physical prims) as a target to glide to. */
  private setPose(view: View, snap: boolean): void {
    const { position, rotation, scale } = view.prim;
    view.target.position.set(position.x, position.y, position.z);
    view.target.rotation.set(rotation.x, rotation.y, rotation.z, rotation.w);
    if (snap || view.parts.length === 0) {
      view.shown.position.copy(view.target.position);
      view.shown.rotation.copy(view.target.rotation);
      this.moving.delete(view);
    } else {
      this.moving.add(view);
    }
    view.radius = 0.5 * Math.hypot(scale.x, scale.y, scale.z);
    this.compose(view);
  }

  /** The drawn world matrix from the shown pose (and the root's, for a linked child); children follow. */
  private compose(view: View): void {
    const { scale, root } = view.prim;
    if (view.preview) view.matrix.compose(view.preview.position, view.preview.rotation, view.preview.scale);
    else view.matrix.compose(view.shown.position, view.shown.rotation, scratchScale.set(scale.x, scale.y, scale.z));
    const rootView = root !== 0 ? this.views.get(root) : undefined;
    if (rootView) {
      const rootPose = rootView.preview ?? rootView.shown;
      view.matrix.premultiply(scratchRoot.compose(rootPose.position, rootPose.rotation, scratchScale.set(1, 1, 1)));
    }
    for (const part of view.parts) part.batch.mesh.setMatrixAt(part.instance, view.matrix);
    this.writes.matrixWrites += view.parts.length;
    for (const id of this.children.get(view.prim.id) ?? []) {
      const child = this.views.get(id);
      if (child) this.compose(child);
    }
  }

  private lodFor(view: View): Lod {
    if (this.options.fixedLod !== undefined) return this.options.fixedLod;
    const distance = scratchPosition.setFromMatrixPosition(view.matrix).distanceTo(this.eye);
    return lodFor(view.radius, Math.max(distance, 1e-3), this.options.quality);
  }

  /** Puts prims whose meshes have arrived into the batches, within the frame's budget. */
  private integrate(): void {
    if (this.waiting.size === 0 || this.meshes.version === this.seenMeshes) return;
    const started = performance.now();
    let pending = false;
    for (const view of this.waiting) {
      const key = meshKey(view.prim.shape, view.want);
      const mesh = this.meshes.get(key);
      if (!mesh) {
        this.meshes.request(key, view.prim.shape, view.want);
        pending = true;
        continue;
      }
      const shape = shapeKey(view.prim.shape);
      const color = new Vector4();
      view.parts = view.groups.map((group) => {
        const batch = this.batches[group.kind];
        const geometry = batch.geometry(`${shape}#${view.want}#${group.faceMask}`, () => faceGeometry(mesh, group.faceMask));
        const instance = batch.add(geometry, view.matrix, colorOf(group.style, color));
        this.ownersOf(batch).set(instance, view);
        this.writes.instancesAdded++;
        this.writes.matrixWrites++;
        const part = { group, batch, instance };
        this.dress(part);
        return part;
      });
      view.lod = view.want;
      this.waiting.delete(view);
      if (performance.now() - started > INTEGRATION_BUDGET_MS) {
        pending = true;
        break;
      }
    }
    // Nothing more can come in until another mesh arrives.
    if (!pending) this.seenMeshes = this.meshes.version;
  }

  /** Reconsiders the level of detail of a slice of the prims. */
  private sweepLods(): void {
    const count = Math.min(LOD_SWEEP_PER_FRAME, this.sweep.length);
    for (let i = 0; i < count; i++) {
      this.sweepAt = (this.sweepAt + 1) % this.sweep.length;
      if (this.sweepAt === 0) this.options.textures?.beginPass();
      const view = this.sweep[this.sweepAt]!;
      if (view.lod === undefined) continue;
      this.seeTextures(view);
      view.want = this.lodFor(view);
      if (view.want === view.lod) continue;
      const key = meshKey(view.prim.shape, view.want);
      const mesh = this.meshes.get(key);
      if (!mesh) {
        this.meshes.request(key, view.prim.shape, view.want);
        continue;
      }
      const shape = shapeKey(view.prim.shape);
      for (const part of view.parts) {
        const geometry = part.batch.geometry(`${shape}#${view.want}#${part.group.faceMask}`, () => faceGeometry(mesh, part.group.faceMask));
        part.batch.mesh.setGeometryIdAt(part.instance, geometry);
      }
      view.lod = view.want;
    }
  }

  /** Shows physical prims where the pose source has them. */
  private followBodies(): void {
    const poses = this.options.bodyPoses;
    if (!poses) return;
    for (const view of this.physical) {
      if (!poses(view.prim.id, view.shown.position, view.shown.rotation)) continue;
      this.moving.delete(view);
      this.compose(view);
    }
  }

  /** Moves physical prims a step towards their latest poses. */
  private glide(deltaS: number): void {
    const blend = 1 - Math.exp(-FOLLOW_RATE * Math.min(deltaS, 0.1));
    for (const view of this.moving) {
      view.shown.position.lerp(view.target.position, blend);
      view.shown.rotation.slerp(view.target.rotation, blend);
      if (view.shown.position.distanceToSquared(view.target.position) < 1e-8 && view.shown.rotation.angleTo(view.target.rotation) < 1e-4) {
        view.shown.position.copy(view.target.position);
        view.shown.rotation.copy(view.target.rotation);
        this.moving.delete(view);
      }
      this.compose(view);
    }
  }

  private ownersOf(batch: PrimBatch): Map<number, View> {
    let owners = this.instances.get(batch);
    if (!owners) this.instances.set(batch, (owners = new Map<number, View>()));
    return owners;
  }

  /**
   * Tells the texture source what a drawn prim's textured faces want: the tier that covers their
   * size on screen (per repeat of the texture), how large they are, and whether they are in view.
   */
  private seeTextures(view: View): void {
    const textures = this.options.textures;
    if (!textures || !this.sight || !view.groups.some((group) => group.style.texture)) return;
    const centre = scratchSphere.center.setFromMatrixPosition(view.matrix);
    scratchSphere.radius = view.radius;
    const visible = this.sight.frustum.intersectsSphere(scratchSphere);
    const { x, y, z } = view.prim.scale;
    // The prim's largest side, from its nearest surface: what its largest face covers at most.
    const pixels = projectedPixels(Math.max(x, y, z), centre.distanceTo(this.eye) - view.radius, this.sight.pixelsPerMetre);
    for (const { style } of view.groups) {
      if (!style.texture) continue;
      const repeats = Math.max(Math.abs(style.repeats.u), Math.abs(style.repeats.v));
      textures.see(style.texture, tierForFace(pixels, repeats, this.options.textureBias), pixels, visible);
    }
  }

  /** Points a part's instance at its texture's best tier on the GPU now (or none), with its faces' mapping. */
  private dress(part: Part): void {
    const { style } = part.group;
    if (style.texture) this.textured.add(part);
    else this.textured.delete(part);
    part.batch.looks.set(part.instance, style.texture ? this.options.textures?.slot(style.texture) : undefined, style);
  }

  /** When textures arrived or were dropped, re-points the textured parts; uploads the looks that changed. */
  private followTextures(): void {
    const textures = this.options.textures;
    if (textures && textures.version !== this.seenTextures) {
      this.seenTextures = textures.version;
      for (const part of this.textured) this.dress(part);
    }
    for (const batch of Object.values(this.batches)) batch.looks.flush();
  }

  private dropParts(view: View): void {
    for (const part of view.parts) {
      part.batch.remove(part.instance);
      this.instances.get(part.batch)?.delete(part.instance);
      this.textured.delete(part);
    }
    this.writes.instancesRemoved += view.parts.length;
    view.parts = [];
    view.lod = undefined;
  }
}
