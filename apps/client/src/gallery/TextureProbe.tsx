import { Canvas, useFrame, useThree } from "@react-three/fiber";
import { useEffect, useMemo, useRef, useState } from "react";
import { ACESFilmicToneMapping, type PerspectiveCamera } from "three";
import type { Prim } from "@tessera/prims";
import { PrimSet } from "@tessera/sdk";
import { FLOOR_TIER, type TextureTier } from "@tessera/textures";
import { PrimLayer } from "../prims/PrimLayer.tsx";
import { TextureSource } from "../textures/texture-source.ts";
import {
  LoadClock,
  NaiveTextures,
  TEXTURED_EYE,
  TEXTURED_FOV,
  TEXTURED_TARGET,
  pixelsPerMetre,
  primsInView,
  texturedField,
  tierCounts,
  wantedTiers,
  type TextureFrame,
} from "./texture-bench.ts";

/** What the benchmark hands the page: the uploaded textures' ids and, for ours, the GPU budget and whether large tiers may come GPU-compressed. */
export interface TextureBenchStart {
  ids: string[];
  budgetBytes: number;
  compressed: boolean;
}

/** One texture of the scene: the tier its faces call for and the best one it shows now (0: none yet). */
export interface TextureHeld {
  id: string;
  wanted: TextureTier;
  held: TextureTier | 0;
}

/** Where a run stands, from its start: the texture benchmark polls it until `settledMs` is set. */
export interface TextureBenchReport {
  renderer: "ours" | "naive";
  prims: number;
  /** Distinct textures in the scene, and how many show on their faces now (any tier). */
  textures: number;
  shown: number;
  /** Prims in the camera's view (all of them, by construction). */
  inView: number;
  elapsedMs: number;
  frames: number;
  /** Longest time between two frames, ms. */
  worstFrameMs: number;
  /** From the start until every texture of the scene showed, and until they last changed before settling, ms (null: not yet). */
  allShownMs: number | null;
  settledMs: number | null;
  /** The same two moments in frames drawn from the start (null: not yet). */
  allShownFrames: number | null;
  settledFrames: number | null;
  /** When what the faces show last changed, ms from the start: where a run that never settles went quiet. */
  lastChangeMs: number;
  /** Response body bytes of the texture fetches, and how many fetches. */
  bytesFetched: number;
  fetched: number;
  failed: number;
  /** GPU texture bytes allocated (ours: the tier arrays' layers, used or not) and in use. */
  gpuBytes: number;
  /** Textures whose best tier is GPU-compressed (ours only). */
  compressed: number;
  usedBytes: number;
  /** Ours only. */
  budgetBytes: number | null;
  queued: number;
  inFlight: number;
  /** Textures by the best tier they show now, and by the tier their faces call for. */
  tiers: Record<TextureTier, number>;
  wanted: Record<TextureTier, number>;
  perTexture: TextureHeld[];
  /** Of the last frame drawn. */
  drawCalls: number;
  triangles: number;
  /** Textures three.js holds on the GPU (ours: the tier arrays and the batches' own data textures). */
  rendererTextures: number;
}

declare global {
  interface Window {
    /** Set on the gallery's textured page (`?textured=N&renderer=ours|naive`): starts a run, reports how it goes. */
    __textureBench?: {
      /** Builds the scene with these textures and starts loading them (ours: within `budgetBytes`). */
      start(options: TextureBenchStart): void;
      /** Null until started. */
      report(): TextureBenchReport | null;
    };
  }
}

/** A started run: its prims, what loads their textures, and its clock. Made in `start`, so that nothing is made twice or disposed early. */
interface Run {
  prims: Prim[];
  ids: string[];
  source: { kind: "ours"; textures: TextureSource } | { kind: "naive"; textures: NaiveTextures };
  clock: LoadClock;
}

/** What a run's frame shows. */
function frameOf(run: Run): TextureFrame {
  if (run.source.kind === "naive") {
    const naive = run.source.textures;
    return { shown: naive.stats.loaded, version: naive.version, busy: naive.busy };
  }
  const textures = run.source.textures;
  const held = new Set(textures.list().map(({ id }) => id));
  const { inFlight, fetched } = textures.stats;
  // Both only grow: their sum changes when either does (a fetch arriving, a tier placed or dropped).
  // Textures still queued with nothing in flight wait for memory the budget does not have: that is settled.
  return { shown: run.ids.filter((id) => held.has(id)).length, version: textures.version + fetched, busy: inFlight > 0 };
}

/** Times the run's frames and answers `report()`; the last frame's draw calls as three counted them. */
function TextureProbe({ run, reportRef }: { run: Run; reportRef: { current: (() => TextureBenchReport) | undefined } }) {
  const gl = useThree((state) => state.gl);
  const camera = useThree((state) => state.camera) as PerspectiveCamera;
  const drawn = useRef({ calls: 0, triangles: 0 });
  useEffect(() => {
    const wanted = wantedTiers(run.prims, TEXTURED_EYE, pixelsPerMetre(gl.getContext().drawingBufferHeight, camera.fov));
    reportRef.current = () => {
      const { clock, source } = run;
      const frame = frameOf(run);
      let held: Map<string, TextureTier>;
      let figures: Pick<TextureBenchReport, "bytesFetched" | "fetched" | "failed" | "gpuBytes" | "usedBytes" | "budgetBytes" | "queued" | "inFlight" | "compressed">;
      if (source.kind === "ours") {
        const stats = source.textures.stats;
        held = new Map(source.textures.list().map(({ id, tier }) => [id, tier]));
        figures = { ...stats };
      } else {
        const stats = source.textures.stats;
        held = new Map(source.textures.shown());
        figures = { bytesFetched: stats.bytesFetched, fetched: stats.fetched, failed: stats.failed, gpuBytes: stats.gpuBytes, usedBytes: stats.gpuBytes, budgetBytes: null, queued: 0, inFlight: run.ids.length - source.textures.version, compressed: 0 };
      }
      const perTexture = run.ids.map((id) => ({ id, wanted: wanted.get(id) ?? FLOOR_TIER, held: held.get(id) ?? (0 as const) }));
      return {
        renderer: source.kind,
        prims: run.prims.length,
        textures: run.ids.length,
        shown: frame.shown,
        inView: primsInView(run.prims, camera),
        elapsedMs: performance.now() - clock.startedAt,
        frames: clock.frames,
        worstFrameMs: clock.worstFrameMs,
        allShownMs: clock.allShownMs ?? null,
        settledMs: clock.settledMs ?? null,
        allShownFrames: clock.allShownFrames ?? null,
        settledFrames: clock.settledFrames ?? null,
        lastChangeMs: clock.lastChangeMs,
        ...figures,
        tiers: tierCounts(perTexture.flatMap(({ held }) => (held ? [held] : []))),
        wanted: tierCounts(perTexture.map(({ wanted }) => wanted)),
        perTexture,
        drawCalls: drawn.current.calls,
        triangles: drawn.current.triangles,
        rendererTextures: gl.info.memory.textures,
      };
    };
    return () => {
      reportRef.current = undefined;
    };
  }, [run, reportRef, gl, camera]);
  useFrame(() => {
    // Counted by the last render (three resets them as each render starts).
    drawn.current = { calls: gl.info.render.calls, triangles: gl.info.render.triangles };
    run.clock.frame(performance.now(), frameOf(run));
  });
  return null;
}

function OursPrims({ run, textures }: { run: Run; textures: TextureSource }) {
  const set = useMemo(() => {
    const set = new PrimSet();
    set.put(run.prims);
    return set;
  }, [run]);
  return <PrimLayer prims={set} textures={textures} />;
}

/**
 * The texture benchmark's page (`/gallery.html?textured=N&renderer=ours|naive`): N boxes from 3 to
 * 150 m away, all in view, each face showing one of the textures `__textureBench.start` names;
 * ours streams them with a {@link TextureSource} into the prim batches, the baseline loads each
 * whole onto its own material ({@link NaiveTextures}). Renders continuously, as the world does.
 */
export function TexturedField({ count, naive }: { count: number; naive: boolean }) {
  const [run, setRun] = useState<Run>();
  const reportRef = useRef<() => TextureBenchReport>(undefined);
  useEffect(() => {
    window.__textureBench = {
      start({ ids, budgetBytes, compressed }) {
        const startedAt = performance.now();
        const prims = texturedField(count, ids);
        const source = naive ? { kind: "naive" as const, textures: new NaiveTextures(prims) } : { kind: "ours" as const, textures: new TextureSource({ budgetBytes, compressed }) };
        setRun({ prims, ids: [...new Set(ids)], source, clock: new LoadClock(new Set(ids).size, startedAt) });
      },
      report: () => reportRef.current?.() ?? null,
    };
    return () => {
      delete window.__textureBench;
    };
  }, [count, naive]);
  useEffect(() => () => run?.source.textures.dispose(), [run]);
  return (
    <Canvas
      camera={{ fov: TEXTURED_FOV, position: TEXTURED_EYE.toArray(), near: 0.1, far: 1000 }}
      gl={{ antialias: true, toneMapping: ACESFilmicToneMapping, toneMappingExposure: 0.75 }}
      onCreated={({ camera }) => camera.lookAt(TEXTURED_TARGET)}
      style={{ background: "#eef2f6" }}
    >
      <hemisphereLight args={["#e6eeff", "#6d6a60", 1.1]} />
      <directionalLight position={[60, 120, -40]} intensity={2.4} />
      <mesh rotation-x={-Math.PI / 2} position={[0, 0, 80]}>
        <planeGeometry args={[400, 400]} />
        <meshStandardMaterial color="#d9d6cf" roughness={1} />
      </mesh>
      {run?.source.kind === "ours" && <OursPrims run={run} textures={run.source.textures} />}
      {run?.source.kind === "naive" && <primitive object={run.source.textures.group} />}
      {run && <TextureProbe run={run} reportRef={reportRef} />}
    </Canvas>
  );
}
