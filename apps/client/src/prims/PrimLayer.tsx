import { useFrame, useThree } from "@react-three/fiber";
import { useEffect, useRef, useState } from "react";
import { Frustum, Group, Matrix4, Vector2, Vector3, type PerspectiveCamera } from "three";
import type { Lod } from "@tessera/prims";
import type { PrimSet } from "@tessera/sdk";
import { registerPrims } from "../qa/world-hook.ts";
import { MeshSource } from "./mesh-source.ts";
import { PrimBatches, type BodyPoses, type Sight } from "./prim-batches.ts";
import type { TextureSource } from "../textures/texture-source.ts";

const eye = new Vector3();
const viewProjection = new Matrix4();
const drawingBuffer = new Vector2();
const sight: Sight = { frustum: new Frustum(), pixelsPerMetre: 1 };

/**
 * Draws a {@link PrimSet}: binds {@link PrimBatches} and its mesh workers to the scene and the frame
 * loop, and (given `textures`) streams its faces' textures. `layer` (when given) holds the batches
 * for build mode's picking and previews.
 */
export function PrimLayer({
  prims,
  fixedLod,
  quality,
  bodyPoses,
  textures,
  layer: shared,
}: {
  prims: PrimSet;
  fixedLod?: Lod;
  quality?: number;
  bodyPoses?: BodyPoses;
  textures?: TextureSource;
  layer?: { current: PrimBatches | undefined };
}) {
  const camera = useThree((state) => state.camera);
  const gl = useThree((state) => state.gl);
  const [root] = useState(() => new Group());
  const own = useRef<PrimBatches>(undefined);
  const layer = shared ?? own;
  useEffect(() => {
    const meshes = new MeshSource();
    const batches = new PrimBatches(meshes, {
      ...(fixedLod !== undefined ? { fixedLod } : {}),
      ...(quality !== undefined ? { quality } : {}),
      ...(bodyPoses ? { bodyPoses } : {}),
      ...(textures ? { textures } : {}),
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
  }, [root, prims, fixedLod, quality, bodyPoses, textures, layer]);
  useFrame((_, delta) => {
    textures?.update(gl);
    viewProjection.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
    sight.frustum.setFromProjectionMatrix(viewProjection);
    // Pixels a metre covers at a metre's distance: half the drawing buffer's height over tan(fov / 2).
    const fov = (camera as PerspectiveCamera).fov ?? 60;
    sight.pixelsPerMetre = gl.getDrawingBufferSize(drawingBuffer).y / 2 / Math.tan((fov * Math.PI) / 360);
    layer.current?.update(camera.getWorldPosition(eye), delta, sight);
  });
  return <primitive object={root} />;
}
