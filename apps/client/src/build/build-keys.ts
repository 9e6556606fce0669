import { BuildTools, type Selection } from "@tessera/build";
import type { Vec3 } from "@tessera/prims";
import type { WorldClient } from "@tessera/sdk";
import { isTyping } from "../input/keyboard.ts";
import type { BuildNotice } from "./build-notice.ts";
import { copied, copy, duplicate, paste, remove } from "./object-actions.ts";

export interface BuildKeysHost {
  tools: BuildTools;
  client: WorldClient;
  selection: Selection;
  notice: BuildNotice;
  /** F: the camera on the selection (or back on the avatar). */
  focus: () => void;
  /** Where a paste puts the copied prims' anchor. */
  pasteAt: () => Vec3 | undefined;
}

/**
 * The build keys: B toggles build mode; while building, 1-4 pick the tools, L toggles world and
 * local axes, P edits parts of linked objects, F focuses the selection, Escape clears it, Delete
 * deletes it, Ctrl+D duplicates, Ctrl+C and Ctrl+V copy and paste (also between tabs); Ctrl+Z
 * undoes, Ctrl+Shift+Z and Ctrl+Y redo, in or out of build mode. None fires while typing in a field.
 */
export function listenBuildKeys(host: BuildKeysHost, target: Window = window): () => void {
  const { tools, client, selection, notice } = host;
  const refused = (error: unknown) => notice.refused(error);
  const onKey = (event: KeyboardEvent) => {
    if (isTyping(event.target) || event.repeat || event.altKey) return;
    const key = event.key.toLowerCase();
    const building = tools.settings.building;
    if (event.ctrlKey || event.metaKey) {
      if (key === "z" && !event.shiftKey) void client.undo().catch(refused);
      else if (key === "y" || (key === "z" && event.shiftKey)) void client.redo().catch(refused);
      else if (building && key === "d") void duplicate(client, selection, tools.settings.grid).catch(refused);
      else if (building && key === "c") notice.show(copied(copy(client, selection)));
      else if (building && key === "v") {
        const at = host.pasteAt();
        if (at) void paste(client, selection, at).catch(refused);
      } else return;
      event.preventDefault();
      return;
    }
    if (key === "b") return tools.toggleBuilding();
    if (!building) return;
    const tool = BuildTools.toolForKey(event.key);
    if (tool) tools.pickTool(tool);
    else if (key === "l") tools.toggleSpace();
    else if (key === "p") tools.toggleParts();
    else if (key === "f") host.focus();
    else if (key === "escape") selection.clear();
    else if (key === "delete" || key === "backspace") void remove(client, selection).catch(refused);
  };
  target.addEventListener("keydown", onKey);
  return () => target.removeEventListener("keydown", onKey);
}
