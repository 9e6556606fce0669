export { LOD_COUNT, lodFor, type Lod } from "./lod.ts";
export { faceRoles, type FaceRole } from "./faces.ts";
export { generatePrimMesh, type PrimFace, type PrimMesh } from "./assembly.ts";
export { MAX_CELLS, primCollider, type PrimCollider } from "./collider.ts";
export { meshVolume, weldMesh, type WeldedMesh } from "./weld.ts";
