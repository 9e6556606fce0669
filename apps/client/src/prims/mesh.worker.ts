import { generatePrimMesh, type Lod, type PrimMesh, type PrimShape } from "@tessera/prims";

/** A mesh the page asks for, by its cache key. */
export interface MeshRequest {
  key: string;
  shape: PrimShape;
  lod: Lod;
}

export interface MeshReply {
  key: string;
  mesh: PrimMesh;
}

/** The worker's global scope (the DOM typings describe a window, not a worker). */
const scope = self as unknown as {
  onmessage: (event: MessageEvent<MeshRequest>) => void;
  postMessage(message: MeshReply, transfer: Transferable[]): void;
};

scope.onmessage = (event) => {
  const { key, shape, lod } = event.data;
  const mesh = generatePrimMesh(shape, lod);
  const reply: MeshReply = { key, mesh };
  // Hand the arrays over rather than copying them.
  scope.postMessage(reply, [mesh.positions.buffer, mesh.normals.buffer, mesh.uvs.buffer, mesh.indices.buffer]);
};
