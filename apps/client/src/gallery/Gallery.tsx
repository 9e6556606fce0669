import { Canvas, useThree } from "@react-three/fiber";
import { useEffect, useMemo, useRef, useState } from "react";
import { ACESFilmicToneMapping, Vector3 } from "three";
import { IDENTITY, makePrim, presetShape, solidFace, type Lod, type Prim } from "@tessera/prims";
import { PrimSet } from "@tessera/sdk";
import { PRESET_SHOWCASE, VARIANT_SHOWCASE, yawRotation, type ShowcaseShape } from "@tessera/worldgen";
import { PrimLayer } from "../prims/PrimLayer.tsx";
import type { PrimBatches } from "../prims/prim-batches.ts";
import { registerRenderer } from "../qa/world-hook.ts";
import { NAME_TAG_HEIGHT, nameTagTexture } from "../scene/textures.ts";
import { BenchProbe } from "./BenchProbe.tsx";
import { BuildProbe } from "./BuildProbe.tsx";
import { FIELD_SIZE, primField } from "./field.ts";
import { NaivePrims } from "./NaivePrims.tsx";
import { TexturedField } from "./TextureProbe.tsx";

const COLUMNS = 6;
const SPACING = 3.2;
const COLOURS: [number, number, number][] = [[217, 83, 79], [240, 173, 78], [92, 184, 92], [91, 192, 222], [66, 139, 202], [155, 89, 182]];

interface Cell {
  name: string;
  x: number;
  z: number;
}

/** Every preset, then every variant, on pedestals in rows of {@link COLUMNS}. */
function showcase(): { prims: Prim[]; cells: Cell[] } {
  const shapes: ShowcaseShape[] = [...PRESET_SHOWCASE, ...VARIANT_SHOWCASE];
  const prims: Prim[] = [];
  const cells: Cell[] = [];
  shapes.forEach(({ name, shape }, i) => {
    // The camera looks along +z, so +x is on the left: the first column goes furthest to +x.
    const x = ((COLUMNS - 1) / 2 - (i % COLUMNS)) * SPACING;
    const z = Math.floor(i / COLUMNS) * SPACING;
    const [r, g, b] = COLOURS[i % COLOURS.length]!;
    prims.push(makePrim(2 * i + 1, presetShape("box"), { x, y: 0.2, z }, { scale: { x: 1.8, y: 0.4, z: 1.8 }, faces: [solidFace(120, 118, 112)] }));
    // Circle paths revolve about x: turn them to face the camera.
    const rotation = shape.path === "circle" ? yawRotation(90) : IDENTITY;
    const y = shape.path === "circle" && shape.pathEnd <= 0.5 ? 0.4 : 1.15;
    prims.push(makePrim(2 * i + 2, shape, { x, y, z }, { scale: { x: 1.5, y: 1.5, z: 1.5 }, rotation, faces: [solidFace(r, g, b)] }));
    cells.push({ name, x, z });
  });
  return { prims, cells };
}

function primSetOf(prims: readonly Prim[]): PrimSet {
  const set = new PrimSet();
  set.put(prims);
  return set;
}

function Label({ cell }: { cell: Cell }) {
  const tag = useMemo(() => nameTagTexture(cell.name), [cell.name]);
  useEffect(() => () => tag.texture.dispose(), [tag]);
  const height = NAME_TAG_HEIGHT * 0.9;
  return (
    // Drawn over everything: the rows in front would hide the labels of the rows behind.
    <sprite position={[cell.x, 0.55, cell.z - 1.05]} scale={[height * tag.aspect, height, 1]} renderOrder={10}>
      <spriteMaterial map={tag.texture} transparent depthWrite={false} depthTest={false} />
    </sprite>
  );
}

function Lights({ shadowExtent }: { shadowExtent: number }) {
  return (
    <>
      <hemisphereLight args={["#e6eeff", "#6d6a60", 1.1]} />
      <directionalLight
        position={[shadowExtent * 0.4, shadowExtent, -shadowExtent * 0.6]}
        intensity={2.4}
        castShadow
        shadow-mapSize={[2048, 2048]}
        shadow-camera-left={-shadowExtent}
        shadow-camera-right={shadowExtent}
        shadow-camera-top={shadowExtent}
        shadow-camera-bottom={-shadowExtent}
        shadow-camera-far={shadowExtent * 4}
        shadow-bias={-0.0004}
      />
    </>
  );
}

function Floor({ size, centre }: { size: number; centre: [number, number, number] }) {
  return (
    <mesh rotation-x={-Math.PI / 2} position={centre} receiveShadow>
      <planeGeometry args={[size, size]} />
      <meshStandardMaterial color="#d9d6cf" roughness={1} />
    </mesh>
  );
}

function RegisterRenderer() {
  const gl = useThree((state) => state.gl);
  useEffect(() => {
    registerRenderer(gl);
    return () => registerRenderer(undefined);
  }, [gl]);
  return null;
}

const SHOWCASE_TARGET = new Vector3(0, 0, 5.2);

function Showcase({ lod }: { lod?: Lod }) {
  const [{ set, cells }] = useState(() => {
    const { prims, cells } = showcase();
    return { set: primSetOf(prims), cells };
  });
  return (
    <Canvas
      shadows
      camera={{ fov: 45, position: [0, 14, -9] }}
      gl={{ antialias: true, toneMapping: ACESFilmicToneMapping, toneMappingExposure: 0.75 }}
      onCreated={({ camera }) => camera.lookAt(SHOWCASE_TARGET)}
      style={{ background: "#eef2f6" }}
    >
      <RegisterRenderer />
      <Lights shadowExtent={16} />
      <Floor size={80} centre={[0, 0, 5]} />
      <PrimLayer prims={set} {...(lod !== undefined ? { fixedLod: lod } : {})} />
      {cells.map((cell) => (
        <Label key={cell.name} cell={cell} />
      ))}
    </Canvas>
  );
}

const FIELD_EYE = new Vector3(FIELD_SIZE / 2, 90, -45);
const FIELD_TARGET = new Vector3(FIELD_SIZE / 2, 0, FIELD_SIZE * 0.45);

/** A field of `count` prims for the renderer benchmarks, drawn batched (with build mode's work on call) or one mesh per prim. */
function Field({ count, naive }: { count: number; naive: boolean }) {
  const prims = useMemo(() => primField(count), [count]);
  const set = useMemo(() => primSetOf(prims), [prims]);
  const layer = useRef<PrimBatches>(undefined);
  return (
    <Canvas
      frameloop="never"
      shadows
      camera={{ fov: 60, position: FIELD_EYE.toArray(), far: 2000 }}
      gl={{ antialias: true, toneMapping: ACESFilmicToneMapping, toneMappingExposure: 0.75 }}
      onCreated={({ camera }) => camera.lookAt(FIELD_TARGET)}
      style={{ background: "#eef2f6" }}
    >
      <RegisterRenderer />
      <Lights shadowExtent={FIELD_SIZE * 0.75} />
      <Floor size={FIELD_SIZE * 2} centre={[FIELD_SIZE / 2, 0, FIELD_SIZE / 2]} />
      {naive ? (
        <NaivePrims prims={prims} eye={FIELD_EYE} />
      ) : (
        <>
          <PrimLayer prims={set} layer={layer} />
          <BuildProbe prims={prims} layer={layer} />
        </>
      )}
      <BenchProbe />
    </Canvas>
  );
}

function parseLod(value: string | null): Lod | undefined {
  return value === "0" || value === "1" || value === "2" || value === "3" ? (Number(value) as Lod) : undefined;
}

/**
 * The prim gallery (`/gallery.html`): every preset and variant on a pedestal, `?lod=0..3` to see one
 * level of detail. `?field=N&renderer=batched|naive` shows N prims instead, for the renderer benchmarks;
 * `?textured=N&renderer=ours|naive` N textured boxes, for the texture benchmark (TextureProbe.tsx).
 */
export function Gallery() {
  const params = new URLSearchParams(location.search);
  const textured = Number(params.get("textured") ?? 0);
  if (Number.isInteger(textured) && textured > 0) return <TexturedField count={textured} naive={params.get("renderer") === "naive"} />;
  const field = Number(params.get("field") ?? 0);
  if (Number.isInteger(field) && field > 0) return <Field count={field} naive={params.get("renderer") === "naive"} />;
  return <Showcase {...(parseLod(params.get("lod")) !== undefined ? { lod: parseLod(params.get("lod"))! } : {})} />;
}
