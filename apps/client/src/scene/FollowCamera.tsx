import { useFrame, useThree } from "@react-three/fiber";
import { useEffect } from "react";
import { Vector3 } from "three";
import type { CameraRig } from "./camera-rig.ts";

const LOOK_HEIGHT = 1.5;
const eye = new Vector3();
const lookAt = new Vector3();

/**
 * Third-person camera behind the own avatar, or on what build mode focuses: drag to orbit (in build
 * mode the right or middle button: the left one selects), wheel to zoom.
 */
export function FollowCamera({ rig, focus, building }: { rig: CameraRig; focus: Vector3; building: () => boolean }) {
  const camera = useThree((state) => state.camera);
  const element = useThree((state) => state.gl.domElement);

  useEffect(() => {
    let dragging: number | undefined;
    let last = { x: 0, y: 0 };
    const down = (event: PointerEvent) => {
      if (building() && event.button === 0) return;
      dragging = event.pointerId;
      last = { x: event.clientX, y: event.clientY };
      element.setPointerCapture(event.pointerId);
    };
    const move = (event: PointerEvent) => {
      if (event.pointerId !== dragging) return;
      rig.orbit(event.clientX - last.x, event.clientY - last.y);
      last = { x: event.clientX, y: event.clientY };
    };
    const up = (event: PointerEvent) => {
      if (event.pointerId === dragging) dragging = undefined;
    };
    const wheel = (event: WheelEvent) => {
      event.preventDefault();
      rig.zoom(event.deltaY);
    };
    element.addEventListener("pointerdown", down);
    element.addEventListener("pointermove", move);
    element.addEventListener("pointerup", up);
    element.addEventListener("pointercancel", up);
    element.addEventListener("wheel", wheel, { passive: false });
    element.addEventListener("contextmenu", (event) => event.preventDefault());
    return () => {
      element.removeEventListener("pointerdown", down);
      element.removeEventListener("pointermove", move);
      element.removeEventListener("pointerup", up);
      element.removeEventListener("pointercancel", up);
      element.removeEventListener("wheel", wheel);
    };
  }, [element, rig, building]);

  useFrame(() => {
    if (rig.target) lookAt.set(rig.target.x, rig.target.y, rig.target.z);
    else lookAt.set(focus.x, focus.y + LOOK_HEIGHT, focus.z);
    rig.eye(lookAt, eye);
    camera.position.copy(eye);
    camera.lookAt(lookAt);
  });
  return null;
}
