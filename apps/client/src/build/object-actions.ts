import { z } from "zod";
import { snapLength, type Selection } from "@tessera/build";
import type { Prim, Vec3 } from "@tessera/prims";
import { MAX_LINKSET_PRIMS, formatIssues, primDraftSchema, type EditOp, type PrimDraft } from "@tessera/protocol";
import type { WorldClient } from "@tessera/sdk";

/** Where copied prims wait for a paste: this origin's local storage, so another tab pastes them too. */
export const CLIPBOARD_KEY = "tessera.clipboard";
/** Objects one copy holds at most. */
const MAX_COPIED_OBJECTS = 64;

/** Copied prims: objects (a root and its children, as their records hold them), roots placed relative to the copy's anchor. */
const clipboardSchema = z
  .object({
    format: z.literal("tessera-prims/1"),
    objects: z
      .array(z.object({ root: primDraftSchema, children: z.array(primDraftSchema).max(MAX_LINKSET_PRIMS - 1) }).strict())
      .min(1)
      .max(MAX_COPIED_OBJECTS),
  })
  .strict();
type Clipboard = z.infer<typeof clipboardSchema>;

/** An object of the selection: its root and linked children. */
interface SelectedObject {
  root: Prim;
  children: Prim[];
}

let actions = 0;

function draftOf(prim: Prim, position: Vec3 = prim.position): PrimDraft {
  return { position, rotation: prim.rotation, scale: prim.scale, shape: prim.shape, faces: prim.faces, physical: prim.physical };
}

/** The objects the selection holds, each once, the last selected last. */
function selectedObjects(client: WorldClient, selection: Selection): SelectedObject[] {
  const roots = new Map<number, Prim>();
  for (const id of selection.ids) {
    const prim = client.prims.get(id);
    const root = prim && prim.root !== 0 ? client.prims.get(prim.root) : prim;
    if (root) {
      roots.delete(root.id);
      roots.set(root.id, root);
    }
  }
  return [...roots.values()].map((root) => ({ root, children: client.prims.childrenOf(root.id) }));
}

/**
 * Makes copies of objects: their roots first (one edit per tile and batch), then each copy's
 * children under the new root's id, all one undo step. Selects the copies.
 */
async function make(client: WorldClient, selection: Selection, objects: readonly { root: PrimDraft; children: readonly PrimDraft[] }[]): Promise<void> {
  const squash = `make-${++actions}`;
  const created = await client.editAll(
    objects.map((object): EditOp => ({ op: "create", prim: object.root })),
    { squash },
  );
  const children = objects.flatMap((object, i) => object.children.map((child): EditOp => ({ op: "create", prim: { ...child, root: created[i]! } })));
  if (children.length > 0) await client.editAll(children, { squash });
  selection.pick(created);
}

/** Ctrl+D: copies of the selected objects, each beside its original (one root's width and a grid step along x). */
export async function duplicate(client: WorldClient, selection: Selection, grid: number): Promise<void> {
  const objects = selectedObjects(client, selection);
  if (objects.length === 0) return;
  await make(
    client,
    selection,
    objects.map(({ root, children }) => ({
      root: draftOf(root, { x: snapLength(root.position.x + root.scale.x + grid), y: root.position.y, z: root.position.z }),
      children: children.map((child) => draftOf(child)),
    })),
  );
}

/** Delete: the selected objects (a selected child alone when parts are edited). */
export async function remove(client: WorldClient, selection: Selection): Promise<void> {
  if (selection.size === 0) return;
  await client.editAll([{ op: "delete", ids: [...selection.ids] }]);
  selection.clear();
}

/** Link: the selection into one object whose root is the last selected prim. */
export async function link(client: WorldClient, selection: Selection): Promise<void> {
  const root = selection.root;
  const children = selection.ids.filter((id) => id !== root);
  if (root === undefined || children.length === 0) throw new Error("select two prims or more to link them (the last selected becomes the root)");
  await client.edit([{ op: "link", root, children }]);
  selection.select(root);
}

/** Unlink: every selected object comes apart into single prims. */
export async function unlink(client: WorldClient, selection: Selection): Promise<void> {
  if (selection.size === 0) return;
  await client.editAll([{ op: "unlink", ids: [...selection.ids] }]);
}

/** Ctrl+C: the selected objects to the clipboard, placed relative to the last selected. */
export function copy(client: WorldClient, selection: Selection, storage: Storage = localStorage): number {
  const objects = selectedObjects(client, selection);
  const anchor = objects.at(-1)?.root.position;
  if (!anchor) return 0;
  const clipboard: Clipboard = {
    format: "tessera-prims/1",
    objects: objects.slice(-MAX_COPIED_OBJECTS).map(({ root, children }) => ({
      root: draftOf(root, { x: root.position.x - anchor.x, y: root.position.y - anchor.y, z: root.position.z - anchor.z }),
      children: children.map((child) => draftOf(child)),
    })),
  };
  storage.setItem(CLIPBOARD_KEY, JSON.stringify(clipboard));
  return clipboard.objects.length;
}

/** What the toolbar says after a copy of `count` objects. */
export function copied(count: number): string {
  return count === 0 ? "nothing selected to copy" : `${count} object(s) copied`;
}

/** Ctrl+V: the copied objects again, their anchor standing on `at`; refused with a clear error when the clipboard holds no prims. */
export async function paste(client: WorldClient, selection: Selection, at: Vec3, storage: Storage = localStorage): Promise<void> {
  const text = storage.getItem(CLIPBOARD_KEY);
  if (text === null) throw new Error("nothing copied yet: select prims and press Ctrl+C");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("the clipboard does not hold prims");
  }
  const parsed = clipboardSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the clipboard does not hold prims: ${formatIssues(parsed.error)}`);
  // The anchor (the last copied object) stands on the point, not half in it.
  const lift = (parsed.data.objects.at(-1)!.root.scale?.y ?? 1) / 2;
  await make(
    client,
    selection,
    parsed.data.objects.map(({ root, children }) => ({
      root: { ...root, position: { x: at.x + root.position.x, y: at.y + lift + root.position.y, z: at.z + root.position.z } },
      children,
    })),
  );
}
