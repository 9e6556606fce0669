import { isEmptyDiff, reverseDiff, squashDiffs, type Prim, type PrimDiff } from "@tessera/prims";
import {
  EDIT_LIMITS,
  EditRefusalCode,
  PrimStream,
  TokenBucket,
  applyEdit,
  encodePrimRemoval,
  encodePrimStream,
  gridBounds,
  sameTile,
  tileId,
  tileOf,
  type EditMessage,
  type EditResult,
  type TileCoord,
  type WorldConfig,
} from "@tessera/protocol";
import type { EditRecord, PlacedPrim } from "@tessera/store";
import type { Logger } from "../log.ts";
import type { EditCommits } from "../world/edit-commits.ts";
import type { PrimIdPool } from "../world/prim-ids.ts";
import type { WorldRights } from "../world/world-rights.ts";
import type { BodyChanges, TilePrims } from "./tile-prims.ts";

/** What the edits of a tile need from its room. */
export interface PrimEditsHost {
  readonly tile: TileCoord;
  readonly world: WorldConfig;
  readonly prims: TilePrims;
  readonly rights: WorldRights;
  readonly ids: PrimIdPool;
  readonly commits: EditCommits;
  readonly log: Logger;
  /** Where the tile's prim messages measure positions from. */
  readonly origin: { x: number; z: number };
  /** Sends a prims message to every client of the tile (after the load of one still loading). */
  broadcast(bytes: Uint8Array): void;
  /** Answers the client that sent an edit. */
  answer(sessionId: string, result: EditResult): void;
  /** The tile's physical linksets changed: their snapshot slots follow. */
  bodiesChanged(changes: BodyChanges): void;
  /** Linksets an edit moved into another tile (committed there already): that tile's room takes them. */
  moveOut(target: TileCoord, prims: Prim[]): void;
  /** An edit changed these linksets (`before` its roots as they were, `after` the linksets as they are): the neighbours' ghosts follow. */
  ghostsChanged(rootIds: number[], before: Prim[], after: Prim[]): void;
}

/** An edit applied to the tile and on its way to the store. */
interface Pending {
  sessionId: string;
  editId: number;
  playerId: string;
  diff: PrimDiff;
  /** Prims the edit gave (or took from) its player. */
  owned: number;
  created: number[];
  leaving: number[];
}

/**
 * The edits of one tile: each batch is checked and applied at once, in arrival order (so the next
 * one sees it), committed with everything else this process applied meanwhile, and only then
 * answered and sent to everyone watching the tile. A commit that fails takes back every edit not
 * yet committed, newest first, and refuses them: nothing that was not saved was ever seen.
 */
export class PrimEdits {
  private readonly buckets = new Map<string, TokenBucket>();
  private pending: Pending[] = [];
  private readonly host: PrimEditsHost;
  private readonly id: string;

  constructor(host: PrimEditsHost) {
    this.host = host;
    this.id = tileId(host.tile);
  }

  receive(sessionId: string, playerId: string, message: EditMessage): void {
    const now = performance.now();
    let bucket = this.buckets.get(sessionId);
    if (!bucket) this.buckets.set(sessionId, (bucket = new TokenBucket(EDIT_LIMITS.batchesPerSecond, EDIT_LIMITS.burst, now)));
    if (!bucket.take(now)) return this.refuse(sessionId, playerId, message.id, EditRefusalCode.RateLimited, `at most ${EDIT_LIMITS.batchesPerSecond} edits a second: this one was dropped`);

    const { host } = this;
    const { tileSize, grid } = host.world;
    const world = gridBounds(grid, tileSize);
    const player = host.rights.player(playerId);
    const outcome = applyEdit(host.prims, message.ops, {
      playerId,
      admin: player.admin,
      inTile: (x, z) => sameTile(tileOf(x, z, tileSize), host.tile),
      inWorld: (x, z) => x >= world.minX && x < world.maxX && z >= world.minZ && z < world.maxZ,
      mayBuild: (x, z) => host.rights.mayBuild(tileId(tileOf(x, z, tileSize)), playerId),
      tileCap: host.rights.tile(this.id).primCap,
      playerPrims: host.rights.count(playerId),
      playerCap: player.primCap,
      newId: () => host.ids.take(),
    });
    if (!outcome.ok) return this.refuse(sessionId, playerId, message.id, outcome.code, outcome.message);
    if (isEmptyDiff(outcome.diff)) return host.answer(sessionId, { id: message.id, ok: true, created: outcome.created });

    const entry: Pending = { sessionId, editId: message.id, playerId, diff: outcome.diff, owned: ownedDelta(outcome.diff, playerId), created: outcome.created, leaving: outcome.leaving };
    host.bodiesChanged(host.prims.applyDiff(entry.diff));
    host.rights.adjustCount(playerId, entry.owned);
    this.pending.push(entry);
    host.commits.submit(this.record(entry)).then(
      () => this.committed(entry),
      (error: Error) => this.failed(error),
    );
  }

  /** Forgets a client that left. */
  release(sessionId: string): void {
    this.buckets.delete(sessionId);
  }

  private refuse(sessionId: string, playerId: string, editId: number, code: EditRefusalCode, message: string): void {
    this.host.log.refusal(`${this.id} edit ${editId} of ${playerId}: ${code}: ${message}`);
    this.host.answer(sessionId, { id: editId, ok: false, code, message });
  }

  /** What the store keeps of an edit: every prim it made or changed where it now belongs, and those it deleted. */
  private record(entry: Pending): EditRecord {
    const { prims, world } = this.host;
    const put = new Map<number, PlacedPrim>();
    const place = (prim: Prim) => {
      const anchor = prim.root === 0 ? prim : (prims.prim(prim.root) ?? prim);
      put.set(prim.id, { tile: tileId(tileOf(anchor.position.x, anchor.position.z, world.tileSize)), prim });
    };
    for (const prim of entry.diff.added) place(prim);
    for (const [, to] of entry.diff.updated) place(to);
    // A linkset moved to another tile goes there whole, children the edit left alone included.
    for (const rootId of entry.leaving) for (const child of prims.children(rootId)) place(child);
    return { player: entry.playerId, clientEditId: entry.editId, tile: this.id, put: [...put.values()], deleted: entry.diff.removed.map((prim) => prim.id) };
  }

  private committed(entry: Pending): void {
    const index = this.pending.indexOf(entry);
    if (index < 0) return;
    this.pending.splice(index, 1);
    const { host } = this;
    this.show(entry.diff);
    if (entry.leaving.length > 0) this.moveOut(entry.leaving);
    host.answer(entry.sessionId, { id: entry.editId, ok: true, created: entry.created });
  }

  /** Sends a diff to everyone watching the tile, and to the neighbours whose border copies it changed. */
  private show(diff: PrimDiff): void {
    const { host } = this;
    const shown = [...diff.added, ...diff.updated.map(([, to]) => to)];
    if (shown.length > 0) host.broadcast(encodePrimStream(PrimStream.Update, shown, host.origin));
    if (diff.removed.length > 0) host.broadcast(encodePrimRemoval(diff.removed.map((prim) => prim.id), PrimStream.Deleted));
    // Fixed linksets only: physical ones are handed over, never ghosts.
    const roots = new Set<number>();
    const before: Prim[] = [];
    for (const prim of [...diff.removed, ...diff.updated.map(([from]) => from)]) {
      roots.add(prim.root === 0 ? prim.id : prim.root);
      if (prim.root === 0 && !prim.physical) before.push(prim);
    }
    for (const prim of diff.added) roots.add(prim.root === 0 ? prim.id : prim.root);
    const after: Prim[] = [];
    for (const rootId of roots) {
      const root = host.prims.prim(rootId);
      if (root?.root === 0 && !root.physical) after.push(root, ...host.prims.children(rootId));
    }
    host.ghostsChanged([...roots], before, after);
  }

  /** Hands linksets the edit moved across the border to the tiles they now stand in (unless a later edit brought them back). */
  private moveOut(rootIds: readonly number[]): void {
    const { host } = this;
    for (const rootId of rootIds) {
      const root = host.prims.prim(rootId);
      if (root?.root !== 0) continue;
      const target = tileOf(root.position.x, root.position.z, host.world.tileSize);
      if (sameTile(target, host.tile)) continue;
      const { prims, physical } = host.prims.release(rootId);
      if (physical) host.bodiesChanged({ removed: [rootId], added: [] });
      host.broadcast(encodePrimRemoval(prims.map((prim) => prim.id)));
      host.moveOut(target, prims);
    }
  }

  /** A commit failed: every edit not yet committed is taken back, newest first, and refused. */
  private failed(error: Error): void {
    if (this.pending.length === 0) return;
    this.host.log.error(`${this.id}: ${this.pending.length} edits could not be saved and were taken back: ${error.message}`);
    const undone: PrimDiff[] = [];
    for (const entry of this.pending.reverse()) {
      const reverse = reverseDiff(entry.diff);
      this.host.bodiesChanged(this.host.prims.applyDiff(reverse));
      this.host.rights.adjustCount(entry.playerId, -entry.owned);
      this.host.answer(entry.sessionId, { id: entry.editId, ok: false, code: EditRefusalCode.Unavailable, message: "the world could not be saved just now: nothing changed; try again" });
      undone.push(reverse);
    }
    this.pending = [];
    // A client that joined meanwhile loaded the edits: it is told they are undone (others hear of prims unchanged).
    this.show(squashDiffs(undone));
  }
}

/** How many prims an edit gave its player (made or brought back, less deleted). */
function ownedDelta(diff: PrimDiff, playerId: string): number {
  return diff.added.filter((prim) => prim.owner === playerId).length - diff.removed.filter((prim) => prim.owner === playerId).length;
}
