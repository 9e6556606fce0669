import { BuildTools } from "@tessera/build";
import type { WorldClient } from "@tessera/sdk";
import { isTyping } from "../input/keyboard.ts";

/**
 * The build keys: B toggles build mode; while building, 1-4 pick the tools, L toggles world and
 * local space; Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, in or out of build mode. None fires
 * while typing in a field. `refused` hears why an undo or redo was refused.
 */
export function listenBuildKeys(tools: BuildTools, client: WorldClient, refused: (error: unknown) => void, target: Window = window): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (isTyping(event.target) || event.repeat || event.altKey) return;
    const key = event.key.toLowerCase();
    if (event.ctrlKey || event.metaKey) {
      if (key === "z" && !event.shiftKey) void client.undo().catch(refused);
      else if (key === "y" || (key === "z" && event.shiftKey)) void client.redo().catch(refused);
      else return;
      event.preventDefault();
      return;
    }
    if (key === "b") return tools.toggleBuilding();
    if (!tools.settings.building) return;
    const tool = BuildTools.toolForKey(event.key);
    if (tool) tools.pickTool(tool);
    else if (key === "l") tools.toggleSpace();
  };
  target.addEventListener("keydown", onKey);
  return () => target.removeEventListener("keydown", onKey);
}
