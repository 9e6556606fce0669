import { useThree } from "@react-three/fiber";
import { useEffect } from "react";

export interface BenchFrames {
  /** Main-thread time of each frame: scene updates (levels of detail, batching) and draw submission, ms. */
  frameMs: number[];
  calls: number;
  triangles: number;
  /** JS heap in use after the frames, bytes (Chromium only). */
  heapBytes?: number;
}

declare global {
  interface Window {
    /** Set on the gallery's field page: renders frames on demand and times them. */
    __bench?: { frames(count: number): Promise<BenchFrames> };
  }
}

/** Lets the benchmark drive the frame loop (`frameloop="never"`) one frame at a time and time each. */
export function BenchProbe() {
  const advance = useThree((state) => state.advance);
  const gl = useThree((state) => state.gl);
  useEffect(() => {
    window.__bench = {
      async frames(count) {
        const frameMs: number[] = [];
        for (let i = 0; i < count; i++) {
          const start = performance.now();
          advance(start);
          frameMs.push(performance.now() - start);
          // Let workers' replies and the browser's own work in between frames.
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
        const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
        return { frameMs, calls: gl.info.render.calls, triangles: gl.info.render.triangles, ...(memory ? { heapBytes: memory.usedJSHeapSize } : {}) };
      },
    };
    return () => {
      delete window.__bench;
    };
  }, [advance, gl]);
  return null;
}
