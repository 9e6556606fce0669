import { BoxGeometry, Color, Frustum, Group, Matrix4, Mesh, MeshStandardMaterial, SRGBColorSpace, Sphere, Texture, Vector3, type PerspectiveCamera } from "three";
import { makePrim, presetShape, seededRandom, solidFace, type Prim } from "@tessera/prims";
import { TEXTURE_TIERS, textureUrl, tierAtLeast, type TextureTier } from "@tessera/textures";
import { yawRotation } from "@tessera/worldgen";

/** Where the textured field's camera stands and looks: along +z, a little down, over the field. */
export const TEXTURED_EYE = new Vector3(0, 2, 0);
export const TEXTURED_TARGET = new Vector3(0, 0, 40);
/** Vertical field of view of the textured field's camera, degrees. */
export const TEXTURED_FOV = 60;
/** Nearest and furthest prim, metres from the eye (along the ground). */
export const NEAREST_M = 3;
export const FURTHEST_M = 150;
/** Half the angle the prims are spread over either side of the view's centre, degrees (the view spans about ±45° at 16:9). */
const SPREAD_DEGREES = 38;

/**
 * `count` textured boxes for the texture benchmark, all in view of {@link TEXTURED_EYE}: 1 to 4 m
 * (none wider than half its distance, so that none fills the view), at distances spread evenly from
 * {@link NEAREST_M} to {@link FURTHEST_M} m, not overlapping, each with all faces showing one of
 * `ids` (repeats 1), the textures dealt out evenly and at random, so that each is seen near and far.
 * Deterministic.
 */
export function texturedField(count: number, ids: readonly string[]): Prim[] {
  if (ids.length === 0) throw new RangeError("the textured field needs at least one texture");
  const random = seededRandom(20270214);
  // Each texture on count / ids.length prims, dealt at random.
  const deal = Array.from({ length: count }, (_, i) => i % ids.length);
  for (let i = deal.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deal[i], deal[j]] = [deal[j]!, deal[i]!];
  }
  const placed: { x: number; z: number; r: number }[] = [];
  return Array.from({ length: count }, (_, i) => {
    const distance = NEAREST_M + ((FURTHEST_M - NEAREST_M) * (i + random())) / count;
    const size = Math.min(1 + 3 * random(), distance / 2);
    const footprint = size * 0.75;
    let x = 0;
    let z = 0;
    // A bearing where it overlaps no box placed so far, if one of a few tries finds one.
    for (let attempt = 0; attempt < 24; attempt++) {
      const bearing = ((random() * 2 - 1) * SPREAD_DEGREES * Math.PI) / 180;
      x = TEXTURED_EYE.x + Math.sin(bearing) * distance;
      z = TEXTURED_EYE.z + Math.cos(bearing) * distance;
      if (placed.every((other) => Math.hypot(other.x - x, other.z - z) > other.r + footprint)) break;
    }
    placed.push({ x, z, r: footprint });
    const face = { ...solidFace(255, 255, 255), texture: ids[deal[i]!]! };
    return makePrim(i + 1, presetShape("box"), { x, y: size / 2, z }, { scale: { x: size, y: size, z: size }, rotation: yawRotation(random() * 90), faces: [face] });
  });
}

/** Pixels on screen a metre covers at a metre's distance, as PrimLayer works it out. */
export function pixelsPerMetre(drawingBufferHeight: number, fovDegrees: number): number {
  return drawingBufferHeight / 2 / Math.tan((fovDegrees * Math.PI) / 360);
}

/**
 * The tier each texture of the field calls for: the largest over the faces showing it of the tier
 * that covers the face's size on screen, by the rule PrimBatches.seeTextures applies (size over
 * distance from the eye to the prim's bounding sphere, bias 1), to check what the streaming reached.
 */
export function wantedTiers(prims: readonly Prim[], eye: Vector3, perMetre: number): Map<string, TextureTier> {
  const wanted = new Map<string, TextureTier>();
  const centre = new Vector3();
  for (const prim of prims) {
    const { x, y, z } = prim.scale;
    const radius = 0.5 * Math.hypot(x, y, z);
    const distance = Math.max(centre.set(prim.position.x, prim.position.y, prim.position.z).distanceTo(eye) - radius, 0.25);
    const pixels = (Math.max(x, y, z) * perMetre) / distance;
    for (const face of prim.faces) {
      if (!face.texture) continue;
      const repeats = Math.max(Math.abs(face.repeats.u), Math.abs(face.repeats.v), 0.01);
      const tier = tierAtLeast(pixels / repeats);
      if (tier > (wanted.get(face.texture) ?? 0)) wanted.set(face.texture, tier);
    }
  }
  return wanted;
}

/** How many of `prims` the camera's view holds, whole or in part (their bounding spheres, as PrimBatches tests them). */
export function primsInView(prims: readonly Prim[], camera: PerspectiveCamera): number {
  camera.updateMatrixWorld();
  const frustum = new Frustum().setFromProjectionMatrix(new Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse));
  const sphere = new Sphere();
  return prims.filter((prim) => {
    sphere.center.set(prim.position.x, prim.position.y, prim.position.z);
    sphere.radius = 0.5 * Math.hypot(prim.scale.x, prim.scale.y, prim.scale.z);
    return frustum.intersectsSphere(sphere);
  }).length;
}

/** GPU bytes of a w x h RGBA8 texture with its mipmaps (a third more), as tierBytes counts them. */
export const rgbaBytes = (width: number, height: number) => Math.ceil((width * height * 4 * 4) / 3);

/** What a run's textures are doing in one frame: which of the scene's textures show, whether anything changed, whether work is left. */
export interface TextureFrame {
  /** Textures of the scene that show on their faces (any tier). */
  shown: number;
  /** Changes whenever what the faces show changes (a texture arriving, going up or down a tier). */
  version: number;
  /** Fetches queued or under way. */
  busy: boolean;
}

/** Frames, and time, nothing may change (with nothing to fetch) before the textures count as settled. */
export const SETTLE_FRAMES = 20;
export const SETTLE_MS = 1000;

/**
 * Times a run's loading from its frames: when every texture of the scene first shows, and when the
 * textures last changed before they settled (nothing queued or in flight, nothing changed for
 * {@link SETTLE_FRAMES} frames and {@link SETTLE_MS}). A frame's state is stamped with the time the
 * next frame starts, after the frame that drew it: a texture upload the renderer does while drawing
 * (the baseline's) counts as loading.
 */
export class LoadClock {
  readonly startedAt: number;
  private readonly textures: number;
  private pending: TextureFrame | undefined;
  private lastVersion = Number.NaN;
  private lastChangeAt: number;
  private quietFrames = 0;
  private lastFrameAt: number;
  frames = 0;
  /** The longest time between two frames since the start, ms: how long loading stalled the page at worst. */
  worstFrameMs = 0;
  allShownMs: number | undefined;
  settledMs: number | undefined;
  /** The same moments in frames from the start: a measure the renderer's speed (here software) does not scale. */
  allShownFrames: number | undefined;
  settledFrames: number | undefined;
  private lastChangeFrame = 0;

  constructor(textures: number, startedAt: number) {
    this.textures = textures;
    this.startedAt = this.lastChangeAt = this.lastFrameAt = startedAt;
  }

  /** When what the faces show last changed, ms from the start (settled or not). */
  get lastChangeMs(): number {
    return this.lastChangeAt - this.startedAt;
  }

  /** At the start of each frame: `now`, and the state the frame is about to draw. */
  frame(now: number, state: TextureFrame): void {
    this.frames++;
    this.worstFrameMs = Math.max(this.worstFrameMs, now - this.lastFrameAt);
    this.lastFrameAt = now;
    const drawn = this.pending;
    this.pending = { ...state };
    if (!drawn) return;
    if (drawn.shown >= this.textures && this.allShownMs === undefined) {
      this.allShownMs = now - this.startedAt;
      this.allShownFrames = this.frames - 1;
    }
    if (drawn.version !== this.lastVersion) {
      this.lastVersion = drawn.version;
      this.lastChangeAt = now;
      this.lastChangeFrame = this.frames - 1;
      this.quietFrames = 0;
      this.settledMs = this.settledFrames = undefined;
      return;
    }
    this.quietFrames++;
    if (this.settledMs === undefined && !drawn.busy && drawn.shown >= this.textures && this.quietFrames >= SETTLE_FRAMES && now - this.lastChangeAt >= SETTLE_MS) {
      this.settledMs = this.lastChangeAt - this.startedAt;
      this.settledFrames = this.lastChangeFrame;
    }
  }
}

/** What the baseline has loaded: bytes and images fetched, and each texture's decoded size. */
export interface NaiveStats {
  bytesFetched: number;
  fetched: number;
  failed: number;
  /** Textures on their materials. */
  loaded: number;
  /** GPU bytes of the loaded textures (RGBA8 and mipmaps, at the size they decoded to). */
  gpuBytes: number;
}

/**
 * The baseline the benchmark compares TextureSource with: every texture fetched whole (the top
 * tier, 1024 px), all at once, decoded with createImageBitmap and put on its own
 * MeshStandardMaterial; one Mesh (a shared unit box) per prim. Faces are white until their texture
 * comes, as in ours. Bytes are counted as ours counts them: the size of each response's body.
 */
export class NaiveTextures {
  readonly group = new Group();
  readonly stats: NaiveStats = { bytesFetched: 0, fetched: 0, failed: 0, loaded: 0, gpuBytes: 0 };
  private readonly materials = new Map<string, MeshStandardMaterial>();
  private readonly held = new Map<string, TextureTier>();
  private readonly geometry = new BoxGeometry(1, 1, 1);
  private readonly abort = new AbortController();

  constructor(prims: readonly Prim[], anisotropy = 4) {
    for (const prim of prims) {
      const id = prim.faces[0]!.texture;
      let material = this.materials.get(id);
      if (!material) this.materials.set(id, (material = new MeshStandardMaterial({ color: new Color().setRGB(1, 1, 1, SRGBColorSpace), roughness: 0.85 })));
      const mesh = new Mesh(this.geometry, material);
      mesh.position.set(prim.position.x, prim.position.y, prim.position.z);
      mesh.quaternion.set(prim.rotation.x, prim.rotation.y, prim.rotation.z, prim.rotation.w);
      mesh.scale.set(prim.scale.x, prim.scale.y, prim.scale.z);
      this.group.add(mesh);
    }
    for (const [id, material] of this.materials) void this.load(id, material, anisotropy);
  }

  /** Changes whenever a texture arrives or fails. */
  get version(): number {
    return this.stats.loaded + this.stats.failed;
  }

  get busy(): boolean {
    return this.version < this.materials.size;
  }

  /** The textures on their materials, with the size each decoded to. */
  shown(): [string, TextureTier][] {
    return [...this.held];
  }

  dispose(): void {
    this.abort.abort();
    for (const material of this.materials.values()) {
      material.map?.dispose();
      material.dispose();
    }
    this.geometry.dispose();
  }

  private async load(id: string, material: MeshStandardMaterial, anisotropy: number): Promise<void> {
    try {
      const response = await fetch(textureUrl(id, 1024), { signal: this.abort.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      this.stats.bytesFetched += blob.size;
      this.stats.fetched++;
      const image = await createImageBitmap(blob, { imageOrientation: "flipY", premultiplyAlpha: "none", colorSpaceConversion: "none" });
      if (this.abort.signal.aborted) return image.close();
      const texture = new Texture(image);
      texture.colorSpace = SRGBColorSpace;
      texture.flipY = false;
      texture.anisotropy = anisotropy;
      texture.needsUpdate = true;
      material.map = texture;
      material.needsUpdate = true;
      this.stats.loaded++;
      this.held.set(id, image.width as TextureTier);
      this.stats.gpuBytes += rgbaBytes(image.width, image.height);
    } catch {
      if (!this.abort.signal.aborted) this.stats.failed++;
    }
  }
}

/** Textures per tier, every tier listed. */
export function tierCounts(tiers: Iterable<TextureTier>): Record<TextureTier, number> {
  const counts = Object.fromEntries(TEXTURE_TIERS.map((tier) => [tier, 0])) as Record<TextureTier, number>;
  for (const tier of tiers) counts[tier]++;
  return counts;
}
