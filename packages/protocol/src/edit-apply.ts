import {
  DEFAULT_FACE,
  IDENTITY,
  emptyDiff,
  linkedPlacement,
  primSchema,
  relativePlacement,
  sameValue,
  type Placement,
  type Prim,
  type PrimDiff,
} from "@tessera/prims";
import { EditRefusalCode, MAX_LINK_DISTANCE, MAX_LINKSET_PRIMS, type EditOp, type PrimFields } from "./edit.ts";
import { formatIssues } from "./world-config.ts";

/** The prims of the tile an edit is applied to, as they are before it. */
export interface EditScope {
  /** A live prim of the tile. */
  prim(id: number): Prim | undefined;
  /** A root's linked children in the tile. */
  children(rootId: number): Iterable<Prim>;
  /** A prim deleted in this tile that an undo may bring back. */
  tombstone(id: number): Prim | undefined;
  /** Live prims in the tile. */
  readonly count: number;
}

/** Who edits, and the rules of where. */
export interface EditContext {
  /** The editing player (from their token). */
  playerId: string;
  /** A world admin edits any prim and builds anywhere. */
  admin: boolean;
  /** Whether world point (x, z) lies in this tile. */
  inTile(x: number, z: number): boolean;
  /** Whether world point (x, z) lies on the grid. */
  inWorld(x: number, z: number): boolean;
  /** Whether the player may build at world point (x, z) (the rights of the tile there). */
  mayBuild(x: number, z: number): boolean;
  /** Most prims this tile may hold. */
  tileCap: number;
  /** Live prims the player owns in the world, and the most they may. */
  playerPrims: number;
  playerCap: number;
  /** A fresh prim id, or undefined when none is at hand just now. */
  newId(): number | undefined;
}

export type EditOutcome =
  | {
      ok: true;
      diff: PrimDiff;
      /** Ids of the new prims, in the order of the create operations. */
      created: number[];
      /** Roots (with their linksets) that the edit moved out of the tile: they go to the tile they now stand in. */
      leaving: number[];
    }
  | { ok: false; code: EditRefusalCode; message: string };

class Refusal extends Error {
  constructor(
    readonly code: EditRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

const refuse = (code: EditRefusalCode, message: string): never => {
  throw new Refusal(code, message);
};

/** The tile's prims with the batch applied so far: changes over the scope, `null` for deleted. */
class Staged {
  readonly changes = new Map<number, Prim | null>();
  constructor(private readonly scope: EditScope) {}

  get(id: number): Prim | undefined {
    const changed = this.changes.get(id);
    return changed === undefined ? this.scope.prim(id) : (changed ?? undefined);
  }

  set(prim: Prim): void {
    this.changes.set(prim.id, prim);
  }

  delete(id: number): void {
    this.changes.set(id, null);
  }

  /** A prim deleted in the tile before the batch, and not made again by it. */
  restorable(id: number): Prim | undefined {
    return this.changes.has(id) || this.scope.prim(id) ? undefined : this.scope.tombstone(id);
  }

  children(rootId: number): Prim[] {
    const children: Prim[] = [];
    for (const child of this.scope.children(rootId)) if (!this.changes.has(child.id)) children.push(child);
    for (const prim of this.changes.values()) if (prim && prim.root === rootId) children.push(prim);
    return children;
  }
}

/** A prim from checked fields, or a refusal saying which rule it breaks. */
function validPrim(candidate: Prim): Prim {
  const parsed = primSchema.safeParse(candidate);
  return parsed.success ? parsed.data : refuse(EditRefusalCode.BadEdit, `prim ${candidate.id}: ${formatIssues(parsed.error)}`);
}

/** Where a prim stands in the world (a child: through its root). */
function worldPlacement(staged: Staged, prim: Prim): Placement {
  if (prim.root === 0) return prim;
  const root = staged.get(prim.root);
  return root ? linkedPlacement(root, prim) : prim;
}

/**
 * Applies a batch of edit operations to a tile's prims, all or nothing: the diff it makes, or why
 * it is refused. Pure: the relay applies it with its rights and caps, and the SDK could show it
 * ahead of the relay's word. The rules, beyond each field's own range:
 * - only a prim's owner (or a world admin) changes, deletes, links or unlinks it; linking needs
 *   ownership of every prim; the world's own prims (owner "") are the admins';
 * - a new prim (its root, if linked) stands in this tile and on ground where the player may build,
 *   within the tile's and the player's prim caps; a root moved into another tile needs the right to
 *   build there too, and leaves this tile for that one;
 * - a linkset is one root (unlinked) and children (linked to it, with none of their own), at most
 *   {@link MAX_LINKSET_PRIMS} prims, each child within {@link MAX_LINK_DISTANCE} of its root.
 */
export function applyEdit(scope: EditScope, ops: readonly EditOp[], context: EditContext): EditOutcome {
  const staged = new Staged(scope);
  const created: number[] = [];
  try {
    for (const op of ops) applyOp(staged, op, context, created);
    return { ok: true, created, ...settle(scope, staged, context) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

function applyOp(staged: Staged, op: EditOp, context: EditContext, created: number[]): void {
  switch (op.op) {
    case "create": {
      let id: number;
      let owner = context.playerId;
      if (op.id !== undefined) {
        const tombstone = staged.restorable(op.id) ?? refuse(EditRefusalCode.NotFound, `prim ${op.id} cannot be brought back here: it is not a prim deleted in this tile`);
        mayEdit(tombstone, context);
        id = op.id;
        owner = tombstone.owner;
      } else {
        id = context.newId() ?? refuse(EditRefusalCode.Unavailable, "no prim ids at hand just now: try again in a moment");
      }
      const { position, shape, rotation = IDENTITY, scale = { x: 1, y: 1, z: 1 }, faces = [DEFAULT_FACE], physical = false, root = 0 } = op.prim;
      const prim = validPrim({ id, owner, position, rotation, scale, shape, faces, physical, root });
      staged.set(prim);
      created.push(id);
      return;
    }
    case "change": {
      const prim = existing(staged, op.id);
      mayEdit(prim, context);
      if (op.from) {
        for (const [field, value] of Object.entries(op.from) as [keyof PrimFields, unknown][]) {
          if (!sameValue(prim[field], value)) refuse(EditRefusalCode.Conflict, `prim ${prim.id}'s ${field} was changed meanwhile`);
        }
      }
      staged.set(validPrim({ ...prim, ...op.to }));
      return;
    }
    case "delete":
      for (const id of op.ids) {
        // Named twice, or a child named after its root: gone already.
        if (staged.changes.get(id) === null) continue;
        const prim = existing(staged, id);
        mayEdit(prim, context);
        for (const child of prim.root === 0 ? staged.children(id) : []) {
          mayEdit(child, context);
          staged.delete(child.id);
        }
        staged.delete(id);
      }
      return;
    case "link": {
      const root = existing(staged, op.root);
      mayEdit(root, context);
      if (root.root !== 0) refuse(EditRefusalCode.BadEdit, `prim ${root.id} is linked to ${root.root}: link to that root, or unlink it first`);
      for (const id of op.children) {
        if (id === root.id) refuse(EditRefusalCode.BadEdit, `prim ${id} cannot be linked to itself`);
        const prim = existing(staged, id);
        mayEdit(prim, context);
        if (prim.root === root.id) continue;
        if (prim.root !== 0) refuse(EditRefusalCode.BadEdit, `prim ${id} is linked to ${prim.root} already: unlink it first`);
        // A root brings its own children along; where each stands is read before any moves.
        const placed = [prim, ...staged.children(id)].map((linked) => [linked, worldPlacement(staged, linked)] as const);
        for (const [linked, world] of placed) {
          mayEdit(linked, context);
          staged.set(validPrim({ ...linked, ...relativePlacement(root, world), root: root.id }));
        }
      }
      return;
    }
    case "unlink":
      for (const id of op.ids) {
        const prim = existing(staged, id);
        mayEdit(prim, context);
        for (const child of prim.root === 0 ? staged.children(id) : [prim]) {
          mayEdit(child, context);
          staged.set(validPrim({ ...child, ...worldPlacement(staged, child), root: 0 }));
        }
      }
      return;
  }
}

function existing(staged: Staged, id: number): Prim {
  return staged.get(id) ?? refuse(EditRefusalCode.NotFound, `prim ${id} is not in this tile`);
}

function mayEdit(prim: Prim, context: EditContext): void {
  if (context.admin || (prim.owner !== "" && prim.owner === context.playerId)) return;
  refuse(EditRefusalCode.NotOwner, prim.owner === "" ? `prim ${prim.id} belongs to the world: only an admin may edit it` : `prim ${prim.id} belongs to someone else`);
}

/** Checks the tile as the batch leaves it (linksets, places, caps) and makes the diff. */
function settle(scope: EditScope, staged: Staged, context: EditContext): { diff: PrimDiff; leaving: number[] } {
  const diff = emptyDiff();
  const leaving = new Set<number>();
  let ownedDelta = 0;
  for (const [id, after] of staged.changes) {
    const before = scope.prim(id);
    if (before?.owner === context.playerId) ownedDelta--;
    if (after?.owner === context.playerId) ownedDelta++;
    if (!after) {
      if (before) diff.removed.push(before);
      const orphan = staged.children(id)[0];
      if (orphan) refuse(EditRefusalCode.BadEdit, `prim ${orphan.id} is linked to ${id}, which the edit deletes: delete or unlink it too`);
      continue;
    }
    if (!before) diff.added.push(after);
    else if (!sameValue(before, after)) diff.updated.push([before, after]);
    else continue;
    const rootId = after.root === 0 ? id : after.root;
    checkLinkset(staged, rootId);
    const root = staged.get(rootId)!;
    const { x, z } = root.position;
    if (!context.inWorld(x, z)) refuse(EditRefusalCode.BadEdit, `prim ${rootId} would stand off the world's grid, at (${x}, ${z})`);
    const moved = before === undefined || before.root !== after.root || !sameValue(before.position, after.position);
    if (!context.inTile(x, z)) {
      if (!before) refuse(EditRefusalCode.WrongTile, `a new prim stands at (${x}, ${z}), outside this tile: create it through the tile it stands in`);
      leaving.add(rootId);
    }
    if (moved && (!before || !context.inTile(x, z)) && !context.mayBuild(x, z)) {
      refuse(EditRefusalCode.NoBuildRights, `you may not build at (${x}, ${z})`);
    }
  }
  const grown = diff.added.length - diff.removed.length;
  if (grown > 0 && scope.count + grown > context.tileCap) refuse(EditRefusalCode.TileFull, `this tile holds at most ${context.tileCap} prims`);
  if (ownedDelta > 0 && context.playerPrims + ownedDelta > context.playerCap) refuse(EditRefusalCode.PlayerCap, `you may own at most ${context.playerCap} prims`);
  return { diff, leaving: [...leaving] };
}

/** A root (unlinked, in this tile) with children that have none of their own, within the size and reach of a linkset. */
function checkLinkset(staged: Staged, rootId: number): void {
  const root = staged.get(rootId) ?? refuse(EditRefusalCode.BadEdit, `prim ${rootId} is not in this tile: a prim is linked only to a root prim of its own tile`);
  if (root.root !== 0) refuse(EditRefusalCode.BadEdit, `prim ${rootId} is linked to ${root.root}: a child cannot be a root of others`);
  const children = staged.children(rootId);
  if (children.length + 1 > MAX_LINKSET_PRIMS) refuse(EditRefusalCode.BadEdit, `a linkset holds at most ${MAX_LINKSET_PRIMS} prims`);
  for (const child of children) {
    const grandchild = staged.children(child.id)[0];
    if (grandchild) refuse(EditRefusalCode.BadEdit, `prim ${grandchild.id} is linked to ${child.id}, a child: link it to the root`);
    if (Math.hypot(child.position.x, child.position.y, child.position.z) > MAX_LINK_DISTANCE) {
      refuse(EditRefusalCode.BadEdit, `prim ${child.id} would stand more than ${MAX_LINK_DISTANCE} m from its root`);
    }
  }
}
