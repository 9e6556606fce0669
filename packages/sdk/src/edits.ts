import { z } from "zod";
import { MAX_PRIM_ID, squashDiffs, type Prim, type PrimDiff } from "@tessera/prims";
import {
  EDIT_LIMITS,
  editOpSchema,
  EditRefusalCode,
  applyEdit,
  editMessageSchema,
  formatIssues,
  gridBounds,
  sameTile,
  tileId,
  tileOf,
  type EditMessage,
  type EditOp,
  type EditResult,
  type EditScope,
  type WorldInfo,
} from "@tessera/protocol";
import { splitOps } from "./edit-split.ts";
import type { PrimSet } from "./prim-set.ts";
import type { TileLink } from "./tile-link.ts";
import type { TileSet } from "./tile-set.ts";

/** An edit the relay (or the client, before sending it) refused: nothing changed. */
export class EditError extends Error {
  override name = "EditError";
  readonly code: EditRefusalCode;
  /** What was wrong, for people (the message is this after the code). */
  readonly reason: string;
  constructor(code: EditRefusalCode, reason: string) {
    super(`${code}: ${reason}`);
    this.code = code;
    this.reason = reason;
  }
}

/** An edit the relay acknowledged. */
export interface EditDone {
  /** The ids the relay gave the new prims, in the order of the create operations. */
  created: number[];
  /** What the edit did, with the relay's ids (as the client saw the prims when it sent it). */
  diff: PrimDiff;
}

export interface EditStats {
  /** Sent and not yet answered. */
  pending: number;
  acknowledged: number;
  refused: number;
  lastRefusal: { code: EditRefusalCode; message: string } | undefined;
}

/** What the edits need from the client. */
export interface EditorHost {
  readonly playerId: string;
  readonly world: WorldInfo;
  readonly prims: PrimSet;
  readonly links: TileSet;
  /** Sends an edit to a tile's room. */
  send(link: TileLink, message: EditMessage): void;
}

interface Waiting {
  link: TileLink;
  diff: PrimDiff;
  /** The stand-in ids of the edit's new prims, in create order. */
  standIns: number[];
  resolve: (done: EditDone) => void;
  reject: (error: EditError) => void;
}

/** Operations {@link Editor.editAll} takes at once: what a drag of a large selection sends. */
const MAX_OPS_AT_ONCE = 16 * EDIT_LIMITS.opsPerBatch;
const editOpsSchema = z.array(editOpSchema).min(1, "an edit needs at least one operation").max(MAX_OPS_AT_ONCE, `at most ${MAX_OPS_AT_ONCE} operations at once`);

/** New prims are shown under stand-in ids from here up until the relay names them (relay ids stay far below). */
export const STAND_IN_IDS = 0xf000_0000;
/** Prims this client deleted that an undo may bring back, at most. */
const DELETED_KEPT = 1000;

/**
 * The player's edits: each is checked and shown at once (as the relay would apply it, rights
 * aside), sent to the tile that holds its prims, and settled by the relay's answer: acknowledged
 * (the relay's version of the prims shows) or refused (the prims show as the relay has them).
 */
export class Editor {
  private readonly host: EditorHost;
  private readonly waiting = new Map<number, Waiting>();
  /** Prims this client deleted, by id, oldest first: an undo brings them back. */
  private readonly deleted = new Map<number, Prim>();
  private nextId = 0;
  private nextStandIn = STAND_IN_IDS;
  private acknowledged = 0;
  private refused = 0;
  private lastRefusal: EditStats["lastRefusal"];

  constructor(host: EditorHost) {
    this.host = host;
  }

  stats(): EditStats {
    return { pending: this.waiting.size, acknowledged: this.acknowledged, refused: this.refused, lastRefusal: this.lastRefusal };
  }

  /**
   * Sends a batch of operations on the prims of one tile (see `EditOp`); resolves when the relay has
   * applied and saved it, rejects with an {@link EditError} when it (or this client) refuses it.
   */
  edit(ops: readonly unknown[]): Promise<EditDone> {
    const id = ++this.nextId;
    return new Promise<EditDone>((resolve, reject) => {
      const parsed = editMessageSchema.safeParse({ id, ops });
      if (!parsed.success) throw new EditError(EditRefusalCode.BadEdit, formatIssues(parsed.error));
      const message = parsed.data;
      const link = this.route(message.ops);
      const { tileSize, grid } = this.host.world;
      const world = gridBounds(grid, tileSize);
      const standIns: number[] = [];
      // As the relay will apply it; rights and caps are the relay's to judge.
      const outcome = applyEdit(this.scope(link), message.ops, {
        playerId: this.host.playerId,
        admin: true,
        inTile: (x, z) => sameTile(tileOf(x, z, tileSize), link.tile),
        inWorld: (x, z) => x >= world.minX && x < world.maxX && z >= world.minZ && z < world.maxZ,
        mayBuild: () => true,
        tileCap: Infinity,
        playerPrims: 0,
        playerCap: Infinity,
        newId: () => {
          const standIn = this.nextStandIn < MAX_PRIM_ID ? this.nextStandIn++ : (this.nextStandIn = STAND_IN_IDS);
          standIns.push(standIn);
          return standIn;
        },
      });
      if (!outcome.ok) throw new EditError(outcome.code, outcome.message);
      this.waiting.set(id, { link, diff: outcome.diff, standIns, resolve, reject });
      this.host.prims.showPending(id, outcome.diff);
      this.host.send(link, message);
    }).catch((error: unknown) => {
      if (error instanceof EditError) this.noteRefusal(error);
      throw error;
    });
  }

  /**
   * Operations on prims of any tiles, as many edits as they take (one per tile and batch of
   * `EDIT_LIMITS.opsPerBatch`): each edit is all or nothing, the whole is not. Resolves with what
   * every edit did (new prims' ids in the order of the create operations); when some are refused,
   * `refused` holds the first refusal and `done` what the others did.
   */
  async editAll(ops: readonly unknown[]): Promise<{ done: EditDone; refused?: EditError }> {
    const parsed = editOpsSchema.safeParse(ops);
    if (!parsed.success) throw this.noteRefusal(new EditError(EditRefusalCode.BadEdit, formatIssues(parsed.error)));
    const batches = splitOps(
      parsed.data.flatMap((op) => this.perTile(op)),
      (op) => this.linksOf(op)[0]?.id ?? "",
    );
    const settled = await Promise.allSettled(batches.map((batch) => this.edit(batch)));
    const createdBy = new Map<EditOp, number>();
    const diffs: PrimDiff[] = [];
    let refused: EditError | undefined;
    settled.forEach((outcome, i) => {
      if (outcome.status === "rejected") {
        refused ??= outcome.reason instanceof EditError ? outcome.reason : new EditError(EditRefusalCode.Unavailable, String(outcome.reason));
        return;
      }
      diffs.push(outcome.value.diff);
      const creates = batches[i]!.filter((op) => op.op === "create");
      creates.forEach((op, k) => createdBy.set(op, outcome.value.created[k]!));
    });
    const created = parsed.data.flatMap((op) => (createdBy.has(op) ? [createdBy.get(op)!] : []));
    return { done: { created, diff: squashDiffs(diffs) }, ...(refused ? { refused } : {}) };
  }

  /** The relay's answer to an edit, from the tile it was sent to. */
  answer(link: TileLink, result: EditResult): void {
    const waiting = this.waiting.get(result?.id);
    if (!waiting || waiting.link !== link) return;
    this.waiting.delete(result.id);
    this.host.prims.settle(result.id);
    if (!result.ok) return waiting.reject(new EditError(result.code, result.message));
    this.acknowledged++;
    const diff = withRelayIds(waiting.diff, waiting.standIns, result.created);
    for (const prim of diff.removed) {
      this.deleted.delete(prim.id);
      this.deleted.set(prim.id, prim);
    }
    for (const id of this.deleted.keys()) {
      if (this.deleted.size <= DELETED_KEPT) break;
      this.deleted.delete(id);
    }
    waiting.resolve({ created: result.created, diff });
  }

  /** A tile's room went away: its unanswered edits may or may not have been applied, and are settled as refused. */
  linkLost(link: TileLink): void {
    for (const [id, waiting] of this.waiting) {
      if (waiting.link !== link) continue;
      this.waiting.delete(id);
      this.host.prims.settle(id);
      waiting.reject(new EditError(EditRefusalCode.Unavailable, `the connection to ${link.id} was lost before the relay answered: the edit may or may not have been applied`));
    }
  }

  private noteRefusal(error: EditError): EditError {
    this.refused++;
    this.lastRefusal = { code: error.code, message: error.reason };
    return error;
  }

  /** The tile whose room takes the edit: the one that holds its prims (a new prim's: where it stands). */
  private route(ops: readonly EditOp[]): TileLink {
    const links = new Set(ops.flatMap((op) => this.linksOf(op)));
    if (links.size > 1) throw new EditError(EditRefusalCode.BadEdit, `an edit changes the prims of one tile; these are in ${[...links].map((link) => link.id).join(" and ")}`);
    const [link] = links;
    if (!link?.room || link.status !== "connected") throw new EditError(EditRefusalCode.Unavailable, `${link?.id ?? "the tile"} is not connected just now: try again in a moment`);
    return link;
  }

  /** A delete or unlink of prims of several tiles as one operation per tile; any other operation as it is. */
  private perTile(op: EditOp): EditOp[] {
    if (op.op !== "delete" && op.op !== "unlink") return [op];
    const byTile = new Map<string, number[]>();
    op.ids.forEach((id, i) => {
      const tile = this.linksOf({ ...op, ids: [id] })[0]?.id ?? String(i);
      byTile.set(tile, [...(byTile.get(tile) ?? []), id]);
    });
    return byTile.size === 1 ? [op] : [...byTile.values()].map((ids) => ({ op: op.op, ids }));
  }

  /** The tiles whose prims an operation names. */
  private linksOf(op: EditOp): TileLink[] {
    const holder = (id: number) => {
      const link = this.host.links.holderOf(id) ?? (this.deleted.has(id) ? this.standingIn(this.deleted.get(id)!) : undefined);
      if (!link) throw new EditError(EditRefusalCode.NotFound, `prim ${id} is in no tile this client has joined`);
      return link;
    };
    switch (op.op) {
      case "create": {
        // A linked child (brought back, or new) stands where its root does.
        if (op.prim.root) return [holder(op.prim.root)];
        if (op.id !== undefined) return [holder(op.id)];
        const { x, z } = op.prim.position;
        const link = this.host.links.get(tileId(tileOf(x, z, this.host.world.tileSize)));
        if (!link) throw new EditError(EditRefusalCode.WrongTile, `(${x}, ${z}) lies in no tile this client has joined: come nearer to build there`);
        return [link];
      }
      case "change":
        return [holder(op.id)];
      case "link":
        return [holder(op.root), ...op.children.map(holder)];
      case "delete":
      case "unlink":
        return op.ids.map(holder);
    }
  }

  private standingIn(prim: Prim): TileLink | undefined {
    return this.host.links.get(tileId(tileOf(prim.position.x, prim.position.z, this.host.world.tileSize)));
  }

  /** The tile's prims as shown here (pending edits included), for checking an edit before it goes. */
  private scope(link: TileLink): EditScope {
    const prims = this.host.prims;
    return {
      prim: (id) => (link.primIds.has(id) ? prims.get(id) : undefined),
      *children(rootId) {
        for (const id of link.primIds) {
          const prim = prims.get(id);
          if (prim?.root === rootId) yield prim;
        }
      },
      tombstone: (id) => this.deleted.get(id),
      get count() {
        return link.primIds.size;
      },
    };
  }
}

/** A diff with the stand-in ids of new prims (and the links to them) replaced by the relay's. */
function withRelayIds(diff: PrimDiff, standIns: readonly number[], created: readonly number[]): PrimDiff {
  if (standIns.length === 0) return diff;
  const ids = new Map(standIns.map((standIn, i) => [standIn, created[i] ?? standIn]));
  const renamed = (prim: Prim): Prim => ({ ...prim, id: ids.get(prim.id) ?? prim.id, root: ids.get(prim.root) ?? prim.root });
  return { added: diff.added.map(renamed), updated: diff.updated.map(([from, to]) => [from, renamed(to)]), removed: diff.removed };
}
