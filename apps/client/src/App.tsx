import { Canvas } from "@react-three/fiber";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { ACESFilmicToneMapping } from "three";
import { z } from "zod";
import { formatIssues, guestNameSchema, viewRadiusSchema } from "@tessera/protocol";
import type { Vec3 } from "@tessera/prims";
import { lagOptionsSchema } from "@tessera/sdk";
import { BuildTools, Selection, snapPoint } from "@tessera/build";
import { BuildNotice } from "./build/build-notice.ts";
import { listenBuildKeys } from "./build/build-keys.ts";
import { BuildPanel } from "./build/BuildPanel.tsx";
import { BuildToolbar } from "./build/BuildToolbar.tsx";
import { focusSelection } from "./build/focus.ts";
import { placeInFront } from "./build/placement.ts";
import type { PrimBatches } from "./prims/prim-batches.ts";
import { Hud } from "./hud/Hud.tsx";
import { KeyboardInput } from "./input/keyboard.ts";
import { useWorldConnection, type ConnectOptions } from "./net/useWorldConnection.ts";
import { registerBuild, registerClient, registerTextures } from "./qa/world-hook.ts";
import { CameraRig } from "./scene/camera-rig.ts";
import { HORIZON_COLOUR } from "./scene/SkyAndSun.tsx";
import { World } from "./scene/World.tsx";
import { DEFAULT_TEXTURE_BUDGET_BYTES, TextureSource } from "./textures/texture-source.ts";

/** `?textures=` : the GPU memory textures may take, MiB. */
const textureBudgetSchema = z.coerce.number().int("the texture budget is a whole number of MiB").min(8, "the texture budget is at least 8 MiB").max(4096, "the texture budget is at most 4096 MiB");

/**
 * What the page's address asks for: `?name=`, `?view=` (the view radius, metres),
 * `?lag=&jitter=&loss=` to simulate a bad network and `?textures=` (the texture budget, MiB).
 */
function fromUrl(): { options: ConnectOptions; textureBudgetBytes: number; notices: string[] } {
  const params = new URLSearchParams(location.search);
  const result: ConnectOptions = {};
  const notices: string[] = [];
  let textureBudgetBytes = DEFAULT_TEXTURE_BUDGET_BYTES;
  const rawBudget = params.get("textures");
  if (rawBudget !== null) {
    const parsed = textureBudgetSchema.safeParse(rawBudget);
    if (parsed.success) textureBudgetBytes = parsed.data * 1024 * 1024;
    else notices.push(`?textures= ignored: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  const rawName = params.get("name");
  if (rawName !== null) {
    const parsed = guestNameSchema.safeParse(rawName);
    if (parsed.success) result.name = parsed.data;
    else notices.push(`?name= ignored: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  const rawView = params.get("view");
  if (rawView !== null) {
    const parsed = viewRadiusSchema.safeParse(Number(rawView));
    if (parsed.success) result.viewRadius = parsed.data;
    else notices.push(`?view= ignored: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  const lagParams = Object.fromEntries(["lag", "jitter", "loss"].filter((key) => params.has(key)).map((key) => [key, params.get(key)]));
  if (Object.keys(lagParams).length > 0) {
    const parsed = lagOptionsSchema.safeParse(lagParams);
    if (parsed.success) result.lag = parsed.data;
    else notices.push(`?lag= ignored: ${formatIssues(parsed.error)}`);
  }
  return { options: result, textureBudgetBytes, notices };
}

export function App() {
  const [{ options, textureBudgetBytes, notices }] = useState(fromUrl);
  // The page's textures live as long as the page (its workers and GPU memory go with it).
  const [textures] = useState(() => new TextureSource({ budgetBytes: textureBudgetBytes }));
  useEffect(() => {
    registerTextures(textures);
    return () => registerTextures(undefined);
  }, [textures]);
  const { client, error } = useWorldConnection(location.origin, options);
  const [keyboard] = useState(() => new KeyboardInput());
  const [rig] = useState(() => new CameraRig());
  const [tools] = useState(() => new BuildTools());
  const [selection] = useState(() => new Selection());
  const [notice] = useState(() => new BuildNotice());
  const [layer] = useState<{ current: PrimBatches | undefined }>(() => ({ current: undefined }));
  const [surface] = useState<{ underPointer?: () => Vec3 | undefined }>(() => ({}));
  const [face, setFace] = useState(-1);
  const building = useSyncExternalStore(
    (listener) => tools.subscribe(listener),
    () => tools.settings.building,
  );
  useEffect(() => keyboard.listen(), [keyboard]);
  // A new selection starts on all faces, and others see it.
  useEffect(
    () =>
      selection.subscribe(() => {
        setFace(-1);
        client?.select(selection.ids);
      }),
    [selection, client],
  );
  useEffect(() => {
    registerBuild(tools, selection);
    return () => registerBuild(undefined, undefined);
  }, [tools, selection]);
  // Prims that go (deleted, or out of every joined tile) leave the selection.
  useEffect(() => client?.prims.listen((diff) => diff.removed.length > 0 && selection.retain((id) => client.prims.get(id) !== undefined)), [client, selection]);
  /** Where a new prim of `height` goes: standing on the surface under the pointer (`under`, a drop), else in front of the avatar; on the builder's grid. */
  const placeAt = useCallback(
    (height: number, under = false) => {
      const surfacePoint = under ? surface.underPointer?.() : undefined;
      if (surfacePoint) return snapPoint({ x: surfacePoint.x, y: surfacePoint.y + height / 2, z: surfacePoint.z }, tools.settings.grid);
      const feet = client?.ownShownPosition;
      return feet ? placeInFront(feet, rig.yaw, height, tools.settings.grid) : undefined;
    },
    [client, rig, tools, surface],
  );
  useEffect(() => {
    if (!client) return;
    return listenBuildKeys({
      tools,
      client,
      selection,
      notice,
      focus: () => focusSelection(rig, selection, layer.current),
      pasteAt: () => surface.underPointer?.() ?? placeAt(0),
    });
  }, [client, tools, selection, notice, rig, layer, surface, placeAt]);
  useEffect(() => {
    registerClient(client);
    return () => registerClient(undefined);
  }, [client]);
  // A client that is done for good (another tab took over, or an operator revoked the player) stops
  // drawing: its scene stands still, and its frames would only take the machine from the live tab.
  const ended = useSyncExternalStore(
    (listener) => client?.subscribe(listener) ?? (() => undefined),
    () => client?.status === "replaced" || client?.status === "revoked",
  );

  return (
    <>
      <Canvas
        frameloop={ended ? "never" : "always"}
        shadows
        dpr={[1, 2]}
        camera={{ fov: 60, near: 0.1, far: 4000, position: [0, 20, -20] }}
        gl={{ antialias: true, toneMapping: ACESFilmicToneMapping, toneMappingExposure: 0.6 }}
        style={{ background: HORIZON_COLOUR }}
      >
        {client && <World client={client} keyboard={keyboard} rig={rig} textures={textures} build={{ tools, selection, notice, layer, onFace: setFace, surface }} />}
      </Canvas>
      <Hud {...(client ? { client } : {})} textures={textures} {...(error ? { error } : {})} notices={notices} />
      {client && (
        <div className="hud">
          <div className="build-dock">
            <BuildToolbar client={client} tools={tools} selection={selection} notice={notice} placeAt={placeAt} />
            {building && <BuildPanel client={client} tools={tools} selection={selection} notice={notice} face={face} onFace={setFace} />}
          </div>
        </div>
      )}
    </>
  );
}
