import { Canvas } from "@react-three/fiber";
import { useEffect, useState } from "react";
import { ACESFilmicToneMapping } from "three";
import { guestNameSchema } from "@tessera/protocol";
import { Hud } from "./hud/Hud.tsx";
import { KeyboardInput } from "./input/keyboard.ts";
import { useWorldConnection } from "./net/useWorldConnection.ts";
import { registerClient } from "./qa/world-hook.ts";
import { CameraRig } from "./scene/camera-rig.ts";
import { HORIZON_COLOUR } from "./scene/SkyAndSun.tsx";
import { World } from "./scene/World.tsx";

/** `?name=` if it is a valid guest name; otherwise why it was ignored. */
function nameFromUrl(): { name?: string; notice?: string } {
  const raw = new URLSearchParams(location.search).get("name");
  if (raw === null) return {};
  const parsed = guestNameSchema.safeParse(raw);
  return parsed.success ? { name: parsed.data } : { notice: `?name= ignored: ${parsed.error.issues[0]?.message ?? "invalid"}` };
}

export function App() {
  const [{ name, notice }] = useState(nameFromUrl);
  const { client, error } = useWorldConnection(location.origin, name);
  const [keyboard] = useState(() => new KeyboardInput());
  const [rig] = useState(() => new CameraRig());
  useEffect(() => keyboard.listen(), [keyboard]);
  useEffect(() => {
    registerClient(client);
    return () => registerClient(undefined);
  }, [client]);

  return (
    <>
      <Canvas
        shadows
        dpr={[1, 2]}
        camera={{ fov: 60, near: 0.1, far: 4000, position: [0, 20, -20] }}
        gl={{ antialias: true, toneMapping: ACESFilmicToneMapping, toneMappingExposure: 0.6 }}
        style={{ background: HORIZON_COLOUR }}
      >
        {client && <World client={client} keyboard={keyboard} rig={rig} />}
      </Canvas>
      <Hud {...(client ? { client } : {})} {...(error ? { error } : {})} {...(notice ? { notice } : {})} />
    </>
  );
}
