import { useEffect, useState } from "react";
import { BufferAttribute, BufferGeometry, Color, Group, Mesh, MeshStandardMaterial, SRGBColorSpace, Vector3 } from "three";
import { generatePrimMesh, lodFor, type Lod, type Prim } from "@tessera/prims";
import { meshKey } from "../prims/mesh-source.ts";

/**
 * The baseline the benchmark compares {@link PrimBatches} with: one Mesh and one material per prim,
 * as a scene graph is usually built. Geometries are shared per (shape, level of detail) and each
 * prim's level of detail is chosen once, from the same rule, so that only the batching differs.
 */
export function NaivePrims({ prims, eye }: { prims: readonly Prim[]; eye: Vector3 }) {
  const [group] = useState(() => new Group());
  useEffect(() => {
    const geometries = new Map<string, BufferGeometry>();
    for (const prim of prims) {
      const centre = new Vector3(prim.position.x, prim.position.y, prim.position.z);
      const lod: Lod = lodFor(0.5 * Math.hypot(prim.scale.x, prim.scale.y, prim.scale.z), centre.distanceTo(eye));
      const key = meshKey(prim.shape, lod);
      let geometry = geometries.get(key);
      if (!geometry) {
        const mesh = generatePrimMesh(prim.shape, lod);
        geometry = new BufferGeometry();
        geometry.setAttribute("position", new BufferAttribute(mesh.positions, 3));
        geometry.setAttribute("normal", new BufferAttribute(mesh.normals, 3));
        geometry.setAttribute("uv", new BufferAttribute(mesh.uvs, 2));
        geometry.setIndex(new BufferAttribute(mesh.indices, 1));
        geometries.set(key, geometry);
      }
      const { r, g, b, a } = prim.faces[0]!.color;
      const material = new MeshStandardMaterial({ color: new Color().setRGB(r / 255, g / 255, b / 255, SRGBColorSpace), roughness: 0.85, transparent: a < 255, opacity: a / 255 });
      const object = new Mesh(geometry, material);
      object.position.copy(centre);
      object.quaternion.set(prim.rotation.x, prim.rotation.y, prim.rotation.z, prim.rotation.w);
      object.scale.set(prim.scale.x, prim.scale.y, prim.scale.z);
      object.castShadow = object.receiveShadow = true;
      group.add(object);
    }
    return () => {
      for (const child of [...group.children]) {
        group.remove(child);
        ((child as Mesh).material as MeshStandardMaterial).dispose();
      }
      for (const geometry of geometries.values()) geometry.dispose();
    };
  }, [group, prims, eye]);
  return <primitive object={group} />;
}
