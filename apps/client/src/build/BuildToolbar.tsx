import { useEffect, useState, useSyncExternalStore } from "react";
import { TOOLS, type BuildTools, type Selection, type Tool } from "@tessera/build";
import { PRESET_NAMES, presetShape, type PresetName } from "@tessera/prims";
import { EditError, type WorldClient } from "@tessera/sdk";
import type { CameraRig } from "../scene/camera-rig.ts";
import { listenBuildKeys } from "./build-keys.ts";
import { placeInFront } from "./placement.ts";

/** A refusal stays on screen this long, ms. */
const MESSAGE_MS = 5000;

const TOOL_LABELS: Record<Tool, string> = { select: "Select", move: "Move", rotate: "Rotate", scale: "Scale" };

/** Why an edit did not happen, in a few words for the toolbar. */
function describe(error: unknown): string {
  return error instanceof EditError ? error.reason : `the edit failed: ${(error as Error).message}`;
}

/**
 * The build toolbar (top right): the Build button (or B); while building, the tools (1-4), world or
 * local space (L) and a palette of every prim preset, made in front of the avatar. A refused edit
 * shows a short message under it.
 */
export function BuildToolbar({ client, tools, selection, rig }: { client: WorldClient; tools: BuildTools; selection: Selection; rig: CameraRig }) {
  const settings = useSyncExternalStore(
    (listener) => tools.subscribe(listener),
    () => tools.settings,
  );
  const [message, setMessage] = useState<string | undefined>();
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(undefined), MESSAGE_MS);
    return () => clearTimeout(timer);
  }, [message]);
  useEffect(() => listenBuildKeys(tools, client, (error) => setMessage(describe(error))), [tools, client]);

  const make = (preset: PresetName) => {
    const feet = client.ownShownPosition;
    if (!feet) return;
    const position = placeInFront(feet, rig.yaw, 1, settings.grid);
    client.edit([{ op: "create", prim: { position, shape: presetShape(preset) } }]).then(
      ({ created }) => selection.pick(created),
      (error: unknown) => setMessage(describe(error)),
    );
  };

  return (
    <div className="build-toolbar" data-testid="build-toolbar">
      <button type="button" className="build-toggle" aria-pressed={settings.building} data-testid="build-toggle" onClick={() => tools.toggleBuilding()}>
        Build <kbd>B</kbd>
      </button>
      {settings.building && (
        <>
          <div className="build-group" role="group" aria-label="Tools">
            {TOOLS.map((tool, i) => (
              <button key={tool} type="button" aria-pressed={settings.tool === tool} data-testid={`tool-${tool}`} onClick={() => tools.pickTool(tool)}>
                {TOOL_LABELS[tool]} <kbd>{i + 1}</kbd>
              </button>
            ))}
            <button type="button" data-testid="space-toggle" aria-label={`Axes: ${settings.space}`} onClick={() => tools.toggleSpace()}>
              {settings.space === "world" ? "World" : "Local"} <kbd>L</kbd>
            </button>
          </div>
          <div className="build-group build-palette" role="group" aria-label="Make a prim">
            {PRESET_NAMES.map((preset) => (
              <button key={preset} type="button" data-testid={`palette-${preset}`} onClick={() => make(preset)}>
                {preset}
              </button>
            ))}
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
