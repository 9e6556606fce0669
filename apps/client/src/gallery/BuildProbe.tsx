import { useFrame, useThree } from "@react-three/fiber";
import { useEffect, useRef } from "react";
import { Vector3 } from "three";
import type { Prim } from "@tessera/prims";
import type { BatchStats, PrimBatches } from "../prims/prim-batches.ts";
import { PreviewDrag, RebuildDrag } from "./drag-probe.ts";
import { OneOutline, OutlinePerPrim } from "./outline-probe.ts";
import type { ProbeScenario } from "./probe-scenario.ts";

/** What the field does each frame: nothing; one prim dragged, ours or rebuilding the batches; a selection outlined, ours or a box per prim. */
export type BuildScenario = "idle" | "drag" | "drag-rebuild" | "outline" | "outline-per-prim";

declare global {
  interface Window {
    /** Set on the gallery's field page (batched): build-mode work per frame, for the build benchmark. */
    __buildBench?: {
      /** From the next frame on, does `scenario`'s work each frame (`selected`: how many prims the outline scenarios select). */
      start(scenario: BuildScenario, selected: number): void;
      stop(): void;
      stats(): BatchStats;
      /** Waits until the GPU has drawn every frame asked for so far: a frame timed after it does not wait for another's backlog. */
      settle(): void;
    };
  }
}

const pixel = new Uint8Array(4);

/** `count` prims spread over the field. */
function spread(prims: readonly Prim[], count: number): number[] {
  const stride = Math.max(1, Math.floor(prims.length / count));
  return prims.filter((_, i) => i % stride === 0).slice(0, count).map((prim) => prim.id);
}

/** Lets the benchmark add build mode's work to the frames it drives through BenchProbe, and wait for the GPU between them. */
export function BuildProbe({ prims, layer }: { prims: readonly Prim[]; layer: { current: PrimBatches | undefined } }) {
  const scene = useThree((state) => state.scene);
  const camera = useThree((state) => state.camera);
  const gl = useThree((state) => state.gl);
  const running = useRef<{ scenario: ProbeScenario; frame: number }>(undefined);
  useEffect(() => {
    const batchesNow = () => {
      if (!layer.current) throw new Error("the field is not drawn yet");
      return layer.current;
    };
    const make = (scenario: BuildScenario, selected: number): ProbeScenario => {
      const batches = batchesNow();
      const dragged = Math.floor(prims.length / 2);
      switch (scenario) {
        case "idle":
          return { step() {}, dispose() {} };
        case "drag":
          return new PreviewDrag(batches, prims[dragged]!);
        case "drag-rebuild":
          return new RebuildDrag(batches, prims, dragged, camera.getWorldPosition(new Vector3()));
        case "outline":
          return new OneOutline(batches, spread(prims, selected), scene);
        case "outline-per-prim":
          return new OutlinePerPrim(batches, spread(prims, selected), scene);
      }
    };
    const stop = () => {
      running.current?.scenario.dispose();
      running.current = undefined;
    };
    window.__buildBench = {
      start(scenario, selected) {
        stop();
        running.current = { scenario: make(scenario, selected), frame: 0 };
      },
      stop,
      stats: () => batchesNow().stats,
      settle: () => {
        // Reading a pixel back waits for every command before it (finish() does not, in Chromium).
        const context = gl.getContext();
        context.readPixels(0, 0, 1, 1, context.RGBA, context.UNSIGNED_BYTE, pixel);
      },
    };
    return () => {
      stop();
      delete window.__buildBench;
    };
  }, [prims, layer, scene, camera, gl]);
  useFrame(() => {
    const run = running.current;
    if (run) run.scenario.step(run.frame++);
  });
  return null;
}
