import { useFrame, useThree } from "@react-three/fiber";
import { useState } from "react";
import { ResolutionGovernor } from "./resolution-governor.ts";

/** Lowest fraction of a CSS pixel rendered: below this the world turns to mush. */
const MIN_PIXEL_RATIO = 0.5;

/** Applies {@link ResolutionGovernor} to the canvas. */
export function AdaptiveResolution() {
  const setDpr = useThree((state) => state.setDpr);
  const [governor] = useState(() => new ResolutionGovernor({ min: MIN_PIXEL_RATIO, max: Math.min(window.devicePixelRatio, 2) }));
  useFrame((_, delta) => {
    const next = governor.frame(delta * 1000);
    if (next !== undefined) setDpr(next);
  });
  return null;
}
