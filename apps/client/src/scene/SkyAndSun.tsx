import { useFrame } from "@react-three/fiber";
import { useLayoutEffect, useMemo, useRef } from "react";
import { type DirectionalLight, Vector3 } from "three";
import { Sky } from "three/examples/jsm/objects/Sky.js";

/** Direction towards the sun: mid-morning, behind a newcomer's camera (which looks along +z). */
const SUN_DIRECTION = new Vector3(0.5, 0.62, -0.6).normalize();
const SHADOW_EXTENT = 40;
export const HORIZON_COLOUR = "#cfdff0";

/** Physical sky, a sun that casts shadows around `focus`, soft light from sky and ground, and haze. */
export function SkyAndSun({ focus }: { focus: Vector3 }) {
  const sky = useMemo(() => {
    const object = new Sky();
    object.scale.setScalar(10_000);
    const uniforms = object.material.uniforms;
    uniforms.turbidity!.value = 4;
    uniforms.rayleigh!.value = 1.2;
    uniforms.mieCoefficient!.value = 0.004;
    uniforms.mieDirectionalG!.value = 0.8;
    (uniforms.sunPosition!.value as Vector3).copy(SUN_DIRECTION);
    return object;
  }, []);
  const sun = useRef<DirectionalLight>(null);

  useLayoutEffect(() => {
    const light = sun.current;
    if (!light) return;
    const camera = light.shadow.camera;
    camera.left = camera.bottom = -SHADOW_EXTENT;
    camera.right = camera.top = SHADOW_EXTENT;
    camera.near = 1;
    camera.far = 200;
    camera.updateProjectionMatrix();
    return () => sky.material.dispose();
  }, [sky]);

  useFrame(() => {
    const light = sun.current;
    if (!light) return;
    light.target.position.copy(focus);
    light.position.copy(focus).addScaledVector(SUN_DIRECTION, 80);
    light.target.updateMatrixWorld();
  });

  return (
    <>
      <primitive object={sky} />
      <fog attach="fog" args={[HORIZON_COLOUR, 150, 900]} />
      <hemisphereLight args={["#d8e8ff", "#5d6b4a", 0.9]} />
      <directionalLight ref={sun} intensity={2.6} color="#fff4e0" castShadow shadow-mapSize={[2048, 2048]} shadow-bias={-0.0004} shadow-normalBias={0.02} />
    </>
  );
}
