import { useFrame, useThree } from "@react-three/fiber";
import { useEffect, useRef, useState } from "react";
import { Group, Vector3 } from "three";
import type { Lod } from "@tessera/prims";
import type { PrimSet } from "@tessera/sdk";
import { registerPrims } from "../qa/world-hook.ts";
import { MeshSource } from "./mesh-source.ts";
import { PrimBatches, type BodyPoses } from "./prim-batches.ts";

const eye = new Vector3();

/**
 * Draws a {@link PrimSet}: binds {@link PrimBatches} and its mesh workers to the scene and the frame
 * loop. `layer` (when given) holds the batches for build mode's picking and previews.
 */
export function PrimLayer({ prims, fixedLod, quality, bodyPoses, layer: shared }: { prims: PrimSet; fixedLod?: Lod; quality?: number; bodyPoses?: BodyPoses; layer?: { current: PrimBatches | undefined } }) {
  const camera = useThree((state) => state.camera);
  const [root] = useState(() => new Group());
  const own = useRef<PrimBatches>(undefined);
  const layer = shared ?? own;
  useEffect(() => {
    const meshes = new MeshSource();
    const batches = new PrimBatches(meshes, {
      ...(fixedLod !== undefined ? { fixedLod } : {}),
      ...(quality !== undefined ? { quality } : {}),
      ...(bodyPoses ? { bodyPoses } : {}),
    });
    batches.apply({ added: [...prims.values()], updated: [], removed: [] });
    const stop = prims.listen((diff) => batches.apply(diff));
    root.add(batches.group);
    layer.current = batches;
    registerPrims(batches);
    return () => {
      stop();
      registerPrims(undefined);
      layer.current = undefined;
      root.remove(batches.group);
      batches.dispose();
      meshes.dispose();
    };
  }, [root, prims, fixedLod, quality, bodyPoses, layer]);
  useFrame((_, delta) => layer.current?.update(camera.getWorldPosition(eye), delta));
  return <primitive object={root} />;
}
