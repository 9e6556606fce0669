import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { ANGLE_STEPS, GRID_SIZES, TOOLS, type BuildTools, type Selection, type Tool } from "@tessera/build";
import { PRESET_NAMES, presetShape, type PresetName, type Vec3 } from "@tessera/prims";
import type { WorldClient } from "@tessera/sdk";
import type { BuildNotice } from "./build-notice.ts";
import { paste } from "./object-actions.ts";

const TOOL_LABELS: Record<Tool, string> = { select: "Select", move: "Move", rotate: "Rotate", scale: "Scale" };

export interface BuildToolbarProps {
  client: WorldClient;
  tools: BuildTools;
  selection: Selection;
  notice: BuildNotice;
  /** Where a new prim (or a paste) of `height` goes: in front of the avatar, or (`under`) on the surface under the pointer. */
  placeAt: (height: number, under?: boolean) => Vec3 | undefined;
}

/** How often the toolbar looks again at whether the player may build where they stand, ms. */
const RIGHTS_LOOK_MS = 500;

/** Whether the player may build in the tile they stand in, as its room said (undefined: not said yet). */
function useMayBuildHere(client: WorldClient): boolean | undefined {
  const [may, setMay] = useState<boolean | undefined>();
  useEffect(() => {
    const look = () => {
      const at = client.ownShownPosition;
      setMay(at ? client.mayBuildAt(at.x, at.z) : undefined);
    };
    const timer = setInterval(look, RIGHTS_LOOK_MS);
    return () => clearInterval(timer);
  }, [client]);
  return may;
}

/**
 * The build toolbar (top right): the Build button (or B); while building, the tools (1-4), world or
 * local axes (L), whole objects or their parts (P), the grid and angle steps, a palette of every prim
 * preset (a click makes one in front of the avatar, a drag onto the scene makes it there) and Paste, and whether the player may build in the tile they stand in. A refused edit shows
 * a short message under it.
 */
export function BuildToolbar({ client, tools, selection, notice, placeAt }: BuildToolbarProps) {
  const settings = useSyncExternalStore(
    (listener) => tools.subscribe(listener),
    () => tools.settings,
  );
  const message = useSyncExternalStore(
    (listener) => notice.subscribe(listener),
    () => notice.current,
  );
  const mayBuild = useMayBuildHere(client);

  const make = (preset: PresetName, under = false) => {
    const position = placeAt(1, under);
    if (!position) return;
    client.editAll([{ op: "create", prim: { position, shape: presetShape(preset) } }]).then(
      (created) => selection.pick(created),
      (error: unknown) => notice.refused(error),
    );
  };
  // A preset carried from the palette and let go over the scene is made where it is let go.
  const carried = useRef<PresetName>(undefined);
  useEffect(() => {
    const drop = (event: PointerEvent) => {
      const preset = carried.current;
      carried.current = undefined;
      if (preset && event.target instanceof HTMLCanvasElement) make(preset, true);
    };
    window.addEventListener("pointerup", drop);
    return () => window.removeEventListener("pointerup", drop);
  });
  const pasteHere = () => {
    const at = placeAt(0);
    if (at) paste(client, selection, at).catch((error: unknown) => notice.refused(error));
  };

  return (
    <div className="build-toolbar" data-testid="build-toolbar">
      <button type="button" className="build-toggle" aria-pressed={settings.building} data-testid="build-toggle" onClick={() => tools.toggleBuilding()}>
        Build <kbd>B</kbd>
      </button>
      {settings.building && (
        <>
          {mayBuild !== undefined && (
            <div className={mayBuild ? "build-rights" : "build-rights build-denied"} data-testid="build-rights" role="status">
              {mayBuild ? "You may build here" : "You may not build in this tile"}
            </div>
          )}
          <div className="build-group" role="group" aria-label="Tools">
            {TOOLS.map((tool, i) => (
              <button key={tool} type="button" aria-pressed={settings.tool === tool} data-testid={`tool-${tool}`} onClick={() => tools.pickTool(tool)}>
                {TOOL_LABELS[tool]} <kbd>{i + 1}</kbd>
              </button>
            ))}
            <button type="button" data-testid="space-toggle" aria-label={`Axes: ${settings.space}`} onClick={() => tools.toggleSpace()}>
              {settings.space === "world" ? "World" : "Local"} <kbd>L</kbd>
            </button>
            <button type="button" data-testid="parts-toggle" aria-pressed={settings.parts} onClick={() => tools.toggleParts()}>
              Parts <kbd>P</kbd>
            </button>
          </div>
          <div className="build-group" role="group" aria-label="Snapping">
            <label className="snap">
              Grid m
              <input type="number" data-testid="grid-size" aria-label="Grid size, metres" min={GRID_SIZES.min} max={GRID_SIZES.max} step={0.01} value={settings.grid} onChange={(event) => event.target.value !== "" && tools.setGrid(Number(event.target.value))} />
            </label>
            <label className="snap">
              Angle °
              <input type="number" data-testid="angle-step" aria-label="Angle step, degrees" min={ANGLE_STEPS.min} max={ANGLE_STEPS.max} step={1} value={settings.angle} onChange={(event) => event.target.value !== "" && tools.setAngle(Number(event.target.value))} />
            </label>
          </div>
          <div className="build-group build-palette" role="group" aria-label="Make a prim">
            {PRESET_NAMES.map((preset) => (
              <button key={preset} type="button" data-testid={`palette-${preset}`} title="Click: in front of you; drag onto the scene: there" onPointerDown={() => (carried.current = preset)} onClick={() => make(preset)}>
                {preset}
              </button>
            ))}
            <button type="button" data-testid="action-paste" onClick={pasteHere}>
              Paste <kbd>Ctrl+V</kbd>
            </button>
          </div>
        </>
      )}
      {message && (
        <div className="build-message" role="status" data-testid="build-message">
          {message}
        </div>
      )}
    </div>
  );
}
