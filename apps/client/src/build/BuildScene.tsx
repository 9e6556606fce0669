import { useFrame, useThree } from "@react-three/fiber";
import { useEffect, useRef, useState } from "react";
import { Group } from "three";
import { BuildSceneController, type BuildSceneHost } from "./build-scene.ts";

export type BuildSceneProps = BuildSceneHost;

/** Binds {@link BuildSceneController} (picking, box selection, outlines, the gizmo) to the scene and the frame loop. */
export function BuildScene({ client, tools, selection, notice, layer, onFace, surface }: BuildSceneProps) {
  const camera = useThree((state) => state.camera);
  const element = useThree((state) => state.gl.domElement);
  const [root] = useState(() => new Group());
  const controller = useRef<BuildSceneController>(undefined);
  useEffect(() => {
    const made = new BuildSceneController(camera, element, { client, tools, selection, notice, layer, onFace, surface });
    root.add(made.group);
    controller.current = made;
    return () => {
      controller.current = undefined;
      root.remove(made.group);
      made.dispose();
    };
  }, [camera, element, client, tools, selection, notice, layer, onFace, surface, root]);
  useFrame(() => controller.current?.frame());
  return <primitive object={root} />;
}
