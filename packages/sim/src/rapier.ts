import RAPIER from "@dimforge/rapier3d-compat";

let loading: Promise<typeof RAPIER> | undefined;

/** Loads Rapier's WebAssembly once per process or page (it is embedded: nothing is fetched). */
export function loadRapier(): Promise<typeof RAPIER> {
  loading ??= RAPIER.init().then(() => RAPIER);
  return loading;
}

export type Rapier = typeof RAPIER;
