import { BatchedMesh, BufferAttribute, BufferGeometry, type Material, type Matrix4, type Vector4 } from "three";
import type { PrimMesh } from "@tessera/prims";
import { FaceLooks, textureBatchMaterial } from "./face-looks.ts";

const INITIAL_INSTANCES = 1024;
const INITIAL_VERTICES = 65_535;
const INITIAL_INDICES = 3 * INITIAL_VERTICES;

/** A mesh's faces selected by `faceMask` (bit i: face i), as one geometry; all faces share the arrays. */
export function faceGeometry(mesh: PrimMesh, faceMask: number): BufferGeometry {
  const geometry = new BufferGeometry();
  const all = mesh.faces.every((face) => faceMask & (1 << face.index));
  if (all) {
    geometry.setAttribute("position", new BufferAttribute(mesh.positions, 3));
    geometry.setAttribute("normal", new BufferAttribute(mesh.normals, 3));
    geometry.setAttribute("uv", new BufferAttribute(mesh.uvs, 2));
    geometry.setIndex(new BufferAttribute(mesh.indices, 1));
    return geometry;
  }
  const faces = mesh.faces.filter((face) => faceMask & (1 << face.index));
  const vertices = faces.reduce((sum, face) => sum + face.vertexCount, 0);
  const indexCount = faces.reduce((sum, face) => sum + face.indexCount, 0);
  const positions = new Float32Array(vertices * 3);
  const normals = new Float32Array(vertices * 3);
  const uvs = new Float32Array(vertices * 2);
  const indices = vertices > 65_535 ? new Uint32Array(indexCount) : new Uint16Array(indexCount);
  let v = 0;
  let i = 0;
  for (const face of faces) {
    positions.set(mesh.positions.subarray(face.vertexStart * 3, (face.vertexStart + face.vertexCount) * 3), v * 3);
    normals.set(mesh.normals.subarray(face.vertexStart * 3, (face.vertexStart + face.vertexCount) * 3), v * 3);
    uvs.set(mesh.uvs.subarray(face.vertexStart * 2, (face.vertexStart + face.vertexCount) * 2), v * 2);
    for (let k = 0; k < face.indexCount; k++) indices[i + k] = mesh.indices[face.indexStart + k]! - face.vertexStart + v;
    v += face.vertexCount;
    i += face.indexCount;
  }
  geometry.setAttribute("position", new BufferAttribute(positions, 3));
  geometry.setAttribute("normal", new BufferAttribute(normals, 3));
  geometry.setAttribute("uv", new BufferAttribute(uvs, 2));
  geometry.setIndex(new BufferAttribute(indices, 1));
  return geometry;
}

/**
 * One material's prims as a single BatchedMesh: one draw call for all of them, each instance culled
 * against the view on its own, each textured from the tier arrays by its {@link FaceLooks} entry.
 * Keeps one geometry per (shape, level of detail, faces) and grows when it runs out of room.
 */
export class PrimBatch {
  readonly mesh: BatchedMesh;
  readonly looks = new FaceLooks(INITIAL_INSTANCES);
  private readonly geometries = new Map<string, number>();
  private maxVertices = INITIAL_VERTICES;
  private maxIndices = INITIAL_INDICES;

  /** `tierArrays`: the texture arrays' uniforms; `seeThrough`: the texture's alpha shows (else only its colour). */
  constructor(material: Material, name: string, tierArrays: readonly { value: unknown }[], seeThrough: boolean) {
    textureBatchMaterial(material, this.looks.uniform, tierArrays, seeThrough);
    this.mesh = new BatchedMesh(INITIAL_INSTANCES, INITIAL_VERTICES, INITIAL_INDICES, material);
    this.mesh.name = name;
    // The batch spans the world: whole-object culling would keep or drop all of it.
    this.mesh.frustumCulled = false;
    this.mesh.perObjectFrustumCulled = true;
  }

  /** The id of the geometry under `key`, added from `build()` the first time it is asked for. */
  geometry(key: string, build: () => BufferGeometry): number {
    const known = this.geometries.get(key);
    if (known !== undefined) return known;
    const geometry = build();
    const vertices = geometry.getAttribute("position").count;
    const indices = geometry.getIndex()!.count;
    if (vertices > this.mesh.unusedVertexCount || indices > this.mesh.unusedIndexCount) {
      const usedVertices = this.maxVertices - this.mesh.unusedVertexCount;
      const usedIndices = this.maxIndices - this.mesh.unusedIndexCount;
      this.maxVertices = Math.max(this.maxVertices * 2, usedVertices + vertices);
      this.maxIndices = Math.max(this.maxIndices * 2, usedIndices + indices);
      this.mesh.setGeometrySize(this.maxVertices, this.maxIndices);
    }
    const id = this.mesh.addGeometry(geometry);
    // The batch copied the arrays.
    geometry.dispose();
    this.geometries.set(key, id);
    return id;
  }

  /** Adds an instance of a geometry, growing the batch when it is full. */
  add(geometryId: number, matrix: Matrix4, color: Vector4): number {
    if (this.mesh.instanceCount >= this.mesh.maxInstanceCount) {
      this.mesh.setInstanceCount(this.mesh.maxInstanceCount * 2);
      this.looks.reserve(this.mesh.maxInstanceCount);
    }
    const instance = this.mesh.addInstance(geometryId);
    this.mesh.setMatrixAt(instance, matrix);
    this.mesh.setColorAt(instance, color);
    return instance;
  }

  remove(instance: number): void {
    this.mesh.deleteInstance(instance);
  }

  get geometryCount(): number {
    return this.geometries.size;
  }

  dispose(): void {
    this.mesh.dispose();
    this.looks.dispose();
  }
}
