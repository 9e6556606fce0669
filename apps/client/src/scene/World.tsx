import { useFrame, useThree } from "@react-three/fiber";
import { useCallback, useEffect, useState } from "react";
import { Vector3 } from "three";
import type { WorldClient } from "@tessera/sdk";
import { BuildScene, type BuildSceneProps } from "../build/BuildScene.tsx";
import type { KeyboardInput } from "../input/keyboard.ts";
import { countFrame, registerRenderer } from "../qa/world-hook.ts";
import { AdaptiveResolution } from "./AdaptiveResolution.tsx";
import { Avatars } from "./Avatars.tsx";
import type { CameraRig } from "./camera-rig.ts";
import { FollowCamera } from "./FollowCamera.tsx";
import { Ground } from "./Ground.tsx";
import { InputLoop } from "./InputLoop.tsx";
import { PrimLayer } from "../prims/PrimLayer.tsx";
import type { BodyPoses } from "../prims/prim-batches.ts";
import { SkyAndSun } from "./SkyAndSun.tsx";
import type { TextureSource } from "../textures/texture-source.ts";

export interface WorldProps {
  client: WorldClient;
  keyboard: KeyboardInput;
  rig: CameraRig;
  textures: TextureSource;
  build: Omit<BuildSceneProps, "client">;
}

/** Everything in the 3D scene once the player is connected. */
export function World({ client, keyboard, rig, textures, build }: WorldProps) {
  const [focus] = useState(() => new Vector3(client.world.spawn.x, 0, client.world.spawn.z));
  const bodyPoses = useCallback<BodyPoses>((id, position, rotation) => client.bodyPose(id, position, rotation), [client]);
  const gl = useThree((state) => state.gl);
  useEffect(() => {
    registerRenderer(gl);
    return () => registerRenderer(undefined);
  }, [gl]);
  useFrame(countFrame);
  const tools = build.tools;
  const building = useCallback(() => tools.settings.building, [tools]);
  return (
    <>
      <AdaptiveResolution />
      <SkyAndSun focus={focus} />
      <Ground world={client.world} />
      <PrimLayer prims={client.prims} bodyPoses={bodyPoses} textures={textures} layer={build.layer} />
      <BuildScene client={client} {...build} />
      <Avatars client={client} focus={focus} />
      <FollowCamera rig={rig} focus={focus} building={building} />
      <InputLoop client={client} keyboard={keyboard} rig={rig} />
    </>
  );
}
