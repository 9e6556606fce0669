import { useFrame } from "@react-three/fiber";
import { useRef } from "react";
import { TICK_DT } from "@tessera/protocol";
import type { WorldClient } from "@tessera/sdk";
import type { KeyboardInput } from "../input/keyboard.ts";
import type { CameraRig } from "./camera-rig.ts";

/**
 * Ticks sent for one frame at most: a second's worth, so that input keeps real time down to 1 fps
 * (a slow machine walks as far as a fast one). Longer stalls (a hidden tab) are dropped.
 */
const MAX_TICKS_PER_FRAME = 30;
/** Before everything else in the frame: what is drawn follows this frame's input. */
const FIRST = -1;

/**
 * Samples the keyboard once per simulation tick and sends it as a numbered input (predicted at once),
 * then brings what the client shows up to this frame. A change of keys does not wait for the next
 * tick: it is sent and predicted in this very frame.
 */
export function InputLoop({ client, keyboard, rig }: { client: WorldClient; keyboard: KeyboardInput; rig: CameraRig }) {
  const accumulated = useRef(0);
  const lastKeys = useRef(0);
  useFrame((_, delta) => {
    const keys = keyboard.keys();
    accumulated.current += delta;
    if (keys !== lastKeys.current && accumulated.current < TICK_DT) accumulated.current = TICK_DT;
    lastKeys.current = keys;
    // Walking takes the camera back to the avatar from what build mode focused.
    if (keys !== 0) rig.release();
    let ticks = 0;
    while (accumulated.current >= TICK_DT && ticks < MAX_TICKS_PER_FRAME) {
      client.sendInput(keys, rig.yaw);
      accumulated.current -= TICK_DT;
      ticks++;
    }
    if (ticks === MAX_TICKS_PER_FRAME) accumulated.current = 0;
    client.frame();
  }, FIRST);
  return null;
}
