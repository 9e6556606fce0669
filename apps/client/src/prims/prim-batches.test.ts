import { describe, expect, it } from "vitest";
import { Frustum, Matrix4, PerspectiveCamera, Quaternion, Raycaster, Vector3, Vector4, type BatchedMesh } from "three";
import { generatePrimMesh, makePrim, normalizeShape, presetShape, solidFace, type Lod, type Prim, type PrimMesh, type PrimShape } from "@tessera/prims";
import type { Meshes } from "./mesh-source.ts";
import type { PrimBatch } from "./prim-batch.ts";
import { PrimBatches } from "./prim-batches.ts";

/** Meshes made on the spot: what the workers do, without workers. */
class MeshesNow implements Meshes {
  version = 0;
  requests = 0;
  private readonly meshes = new Map<string, PrimMesh>();
  get(key: string) {
    return this.meshes.get(key);
  }
  request(key: string, shape: PrimShape, lod: Lod) {
    this.requests++;
    this.meshes.set(key, generatePrimMesh(shape, lod));
    this.version++;
  }
}

const FAR = new Vector3(0, 50, -400);

function setUp(prims: Prim[]) {
  const meshes = new MeshesNow();
  const batches = new PrimBatches(meshes);
  batches.apply({ added: prims, updated: [], removed: [] });
  // Meshes are asked for in one frame and put in in the next ones, a few milliseconds' worth a frame
  // (fewer prims a frame on a busy machine): until every prim is drawn.
  for (let i = 0; i < 4 || (batches.stats.drawn < prims.length && i < 1000); i++) batches.update(FAR, 1 / 60);
  const batch = (name: string) => batches.group.children.find((child) => child.name === name) as BatchedMesh;
  return { meshes, batches, batch };
}

/** Every instance's matrix and colour, in instance order. */
function snapshot(mesh: BatchedMesh): { matrices: number[][]; colours: number[][] } {
  const matrices: number[][] = [];
  const colours: number[][] = [];
  const matrix = new Matrix4();
  const colour = new Vector4();
  for (let i = 0; i < mesh.instanceCount; i++) {
    matrices.push(mesh.getMatrixAt(i, matrix).toArray());
    mesh.getColorAt(i, colour);
    colours.push(colour.toArray());
  }
  return { matrices, colours };
}

const changed = (a: number[][], b: number[][]) => a.filter((row, i) => row.some((value, j) => value !== b[i]![j])).length;

const grid = (count: number) =>
  Array.from({ length: count }, (_, i) => makePrim(i + 1, presetShape(i % 2 ? "box" : "cylinder"), { x: (i % 20) * 3, y: 0.5, z: Math.floor(i / 20) * 3 }, { faces: [solidFace(200, 100, 50)] }));

describe("PrimBatches", () => {
  it("draws each prim as one instance per look of its faces, in one batch per material kind", () => {
    const twoTone = makePrim(2, presetShape("box"), { x: 3, y: 0, z: 0 }, { faces: [solidFace(255, 0, 0), solidFace(0, 0, 255)] });
    const glass = makePrim(3, presetShape("sphere"), { x: 6, y: 0, z: 0 }, { faces: [solidFace(200, 220, 255, 100)] });
    const lamp = makePrim(4, presetShape("sphere"), { x: 9, y: 0, z: 0 }, { faces: [{ ...solidFace(255, 240, 200), fullBright: true }] });
    const { batches, batch } = setUp([makePrim(1, presetShape("box"), { x: 0, y: 0, z: 0 }), twoTone, glass, lamp]);
    expect(batches.stats).toMatchObject({ prims: 4, drawn: 4 });
    // The two-tone box: face 0 red, face 1 blue, faces 2-5 red like faces[0]: two looks, two instances.
    expect(batch("prims-lit").instanceCount).toBe(1 + 2);
    expect(batch("prims-lit-alpha").instanceCount).toBe(1);
    expect(batch("prims-bright").instanceCount).toBe(1);
    expect(batch("prims-bright-alpha").instanceCount).toBe(0);
    expect(batches.list().map((p) => p.shape).sort()).toEqual(["box", "box", "sphere", "sphere"]);
  });

  it("moves or recolours one prim without touching any other", () => {
    const prims = grid(200);
    const { meshes, batches, batch } = setUp(prims);
    const lit = batch("prims-lit");
    const before = snapshot(lit);
    const geometries = batches.stats.geometries;
    const requests = meshes.requests;

    const moved: Prim = { ...prims[57]!, position: { x: 100, y: 5, z: -3 } };
    batches.apply({ added: [], updated: [[prims[57]!, moved]], removed: [] });
    const afterMove = snapshot(lit);
    expect(changed(before.matrices, afterMove.matrices)).toBe(1);
    expect(changed(before.colours, afterMove.colours)).toBe(0);

    const recoloured: Prim = { ...moved, faces: [solidFace(10, 200, 10)] };
    batches.apply({ added: [], updated: [[moved, recoloured]], removed: [] });
    const afterColour = snapshot(lit);
    expect(changed(afterMove.matrices, afterColour.matrices)).toBe(0);
    expect(changed(afterMove.colours, afterColour.colours)).toBe(1);

    expect(lit.instanceCount).toBe(200);
    expect(batches.stats.geometries).toBe(geometries);
    expect(meshes.requests).toBe(requests);
  });

  it("draws a new shape afresh, and frees a removed prim's instance", () => {
    const prims = grid(10);
    const { batches, batch } = setUp(prims);
    const torus: Prim = { ...prims[0]!, shape: normalizeShape({ ...presetShape("torus"), hollow: 0.3 }) };
    batches.apply({ added: [], updated: [[prims[0]!, torus]], removed: [] });
    for (let i = 0; i < 3; i++) batches.update(FAR, 1 / 60);
    expect(batches.list().find((p) => p.id === 1)?.shape).toBe("torus");
    batches.apply({ added: [], updated: [], removed: [prims[1]!, prims[2]!] });
    expect(batch("prims-lit").instanceCount).toBe(8);
    expect(batches.stats.prims).toBe(8);
  });

  it("picks finer levels of detail as the eye comes closer", () => {
    const sphere = makePrim(1, presetShape("sphere"), { x: 0, y: 0, z: 0 });
    const { batches } = setUp([sphere]);
    expect(batches.list()[0]!.lod).toBe(0);
    for (let i = 0; i < 3; i++) batches.update(new Vector3(0, 0, 1.5), 1 / 60);
    expect(batches.list()[0]!.lod).toBe(3);
    // Radius 0.87 m (a unit sphere's box), 20 m away: a ratio of 0.043.
    for (let i = 0; i < 3; i++) batches.update(new Vector3(0, 0, 20), 1 / 60);
    expect(batches.list()[0]!.lod).toBe(1);
  });

  it("lets a physical prim glide to its new pose instead of jumping", () => {
    const crate = makePrim(1, presetShape("box"), { x: 0, y: 0.5, z: 0 }, { physical: true });
    const { batches } = setUp([crate]);
    const pushed: Prim = { ...crate, position: { x: 0, y: 0.5, z: 1 } };
    batches.apply({ added: [], updated: [[crate, pushed]], removed: [] });
    batches.update(FAR, 1 / 60);
    const z = batches.list()[0]!.position[2];
    expect(z).toBeGreaterThan(0);
    expect(z).toBeLessThan(0.5);
    for (let i = 0; i < 120; i++) batches.update(FAR, 1 / 60);
    expect(batches.list()[0]!.position[2]).toBeCloseTo(1, 6);
  });

  it("draws a linked child where its root is, and moves it with the root", () => {
    const root = makePrim(1, presetShape("box"), { x: 10, y: 0, z: 0 });
    const child = makePrim(2, presetShape("sphere"), { x: 0, y: 2, z: 0 }, { root: 1 });
    const { batches } = setUp([child, root]);
    expect(batches.list().find((p) => p.id === 2)?.position).toEqual([10, 2, 0]);
    batches.apply({ added: [], updated: [[root, { ...root, position: { x: 20, y: 1, z: 0 } }]], removed: [] });
    expect(batches.list().find((p) => p.id === 2)?.position).toEqual([20, 3, 0]);
  });

  it("picks the nearest prim a ray hits and the face it hits, and shows a dragged prim where it is previewed, writing only its own instances", () => {
    const near = makePrim(1, presetShape("box"), { x: 0, y: 0, z: 0 });
    const far = makePrim(2, presetShape("box"), { x: 0, y: 0, z: 5 });
    const { batches } = setUp([near, far]);
    const along = new Raycaster(new Vector3(0, 0, -10), new Vector3(0, 0, 1));
    const down = new Raycaster(new Vector3(0, 10, 0), new Vector3(0, -1, 0));
    const front = batches.pick(along);
    expect(front).toMatchObject({ id: 1 });
    expect(front!.point.z).toBeCloseTo(-0.5, 5);
    const top = batches.pick(down);
    expect(top).toMatchObject({ id: 1 });
    // The box's front and top are different faces.
    expect(top!.face).not.toBe(front!.face);
    expect(batches.pick(new Raycaster(new Vector3(50, 0, -10), new Vector3(0, 0, 1)))).toBeUndefined();

    const before = batches.stats;
    batches.preview(1, { position: new Vector3(10, 0, 0), rotation: new Quaternion(), scale: new Vector3(1, 1, 1) });
    expect(new Vector3().setFromMatrixPosition(batches.worldMatrix(1)!).x).toBe(10);
    expect(batches.pick(along)).toMatchObject({ id: 2 });
    expect(batches.stats).toMatchObject({ instancesAdded: before.instancesAdded, instancesRemoved: before.instancesRemoved, matrixWrites: before.matrixWrites + 1 });
    batches.preview(1, undefined);
    expect(batches.pick(along)).toMatchObject({ id: 1 });
  });
});

/** A texture source that records what faces want and hands out slots the test sets. */
class TexturesNow {
  version = 0;
  readonly uniforms = [{ value: null }, { value: null }, { value: null }, { value: null }];
  readonly slots = new Map<string, { array: number; layer: number }>();
  readonly seen = new Map<string, { tier: number; priority: number; visible: boolean }>();
  passes = 0;
  slot(id: string) {
    return this.slots.get(id);
  }
  beginPass() {
    this.passes++;
    this.seen.clear();
  }
  see(id: string, tier: 32 | 128 | 512 | 1024, priority: number, visible: boolean) {
    this.seen.set(id, { tier, priority, visible });
  }
}

describe("PrimBatches with textures", () => {
  const BRICK = "B".repeat(32);
  const textured = (id: number, z: number, repeats = 1) =>
    makePrim(id, presetShape("box"), { x: 0, y: 0, z }, { scale: { x: 2, y: 2, z: 2 }, faces: [{ ...solidFace(255, 255, 255), texture: BRICK, repeats: { u: repeats, v: repeats } }] });
  // A 60° view 720 px high, looking along +z from the origin.
  const camera = new PerspectiveCamera(60, 16 / 9, 0.1, 1000);
  camera.lookAt(0, 0, 1);
  camera.updateMatrixWorld();
  const sight = { frustum: new Frustum().setFromProjectionMatrix(new Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse)), pixelsPerMetre: 360 / Math.tan(Math.PI / 6) };

  function run(prims: Prim[]) {
    const textures = new TexturesNow();
    const batches = new PrimBatches(new MeshesNow(), { textures });
    batches.apply({ added: prims, updated: [], removed: [] });
    for (let i = 0; i < 4; i++) batches.update(new Vector3(0, 0, 0), 1 / 60, sight);
    return { textures, batches };
  }

  it("asks for the tier that covers a textured face on screen, per repeat, and whether it is in view", () => {
    // A 2 m box 6 m ahead, 4.3 m from its bounding sphere: about 290 px, so 512 px; repeated 4 times, 128 px.
    expect(run([textured(1, 6)]).textures.seen.get(BRICK)).toMatchObject({ tier: 512, visible: true });
    expect(run([textured(1, 6, 4)]).textures.seen.get(BRICK)).toMatchObject({ tier: 128, visible: true });
    expect(run([textured(1, 200)]).textures.seen.get(BRICK)).toMatchObject({ tier: 32, visible: true });
    expect(run([textured(1, -10)]).textures.seen.get(BRICK)).toMatchObject({ visible: false });
    // A face of its colour alone asks for nothing.
    expect(run([makePrim(1, presetShape("box"), { x: 0, y: 0, z: 4 })]).textures.seen.size).toBe(0);
  });

  it("points a textured instance at its texture's layer once it is on the GPU, without a new instance", () => {
    const { textures, batches } = run([textured(1, 4)]);
    // The lit batch's looks: [tier array, layer, ...] per instance (the box's one instance is the first).
    const looks = () => (batches as unknown as { batches: { lit: PrimBatch } }).batches.lit.looks.uniform.value.image.data as Float32Array;
    expect(looks()[0]).toBe(-1);
    const added = batches.stats.instancesAdded;
    textures.slots.set(BRICK, { array: 2, layer: 5 });
    textures.version++;
    batches.update(new Vector3(0, 0, 0), 1 / 60, sight);
    expect([...looks().slice(0, 2)]).toEqual([2, 5]);
    expect(batches.stats.instancesAdded).toBe(added);
  });
});
