import { quantizeRotation, type Prim, type PrimDiff } from "@tessera/prims";
import { BodyFlags, loadChunks, type BodyMotion, type EditScope } from "@tessera/protocol";
import type { RigidBody } from "@dimforge/rapier3d-compat";
import type { PrimBody, SimWorld } from "@tessera/sim";

interface Linkset {
  root: Prim;
  children: Prim[];
  body: PrimBody;
}

/** A physical linkset: its body, and whether its last reported pose was at rest. */
interface Moving {
  linkset: Linkset;
  body: RigidBody;
  resting: boolean;
}

/** A physical linkset on its way between tiles: its prims (root first, posed as last followed) and velocities. */
export interface PhysicalLinkset {
  prims: Prim[];
  linvel: { x: number; y: number; z: number };
  angvel: { x: number; y: number; z: number };
}

/** What an edit did to the tile's physical linksets: the bodies that went (by root id) and came. */
export interface BodyChanges {
  removed: number[];
  added: BodyMotion[];
}

/** Tombstones a tile keeps in memory for undos (the store keeps them all). */
const TOMBSTONES_KEPT = 1000;

/** Linksets (root and children) in id order. */
function linksetsOf(prims: readonly Prim[]): { root: Prim; children: Prim[] }[] {
  const sorted = [...prims].sort((a, b) => a.id - b.id);
  const children = new Map<number, Prim[]>();
  for (const prim of sorted) if (prim.root !== 0) children.set(prim.root, [...(children.get(prim.root) ?? []), prim]);
  return sorted.filter((p) => p.root === 0).map((root) => ({ root, children: children.get(root.id) ?? [] }));
}

const onMillimetres = (value: number) => Math.round(value * 1000) / 1000;

function motionOf({ linkset: { root }, resting }: Moving): BodyMotion {
  return { id: root.id, ...root.position, rotation: root.rotation, flags: resting ? BodyFlags.Resting : 0 };
}

/**
 * A tile's prims: the records clients are sent, and their bodies in the tile's physics. Physical
 * linksets move; their root records follow their bodies, so a client that joins later is sent where
 * they are now.
 */
export class TilePrims implements EditScope {
  private readonly records = new Map<number, Prim>();
  /** Prims deleted here, oldest first: an undo may bring them back. */
  private readonly tombstones = new Map<number, Prim>();
  private readonly linksets = new Map<number, Linkset>();
  /** The linksets physics moves, by root id. */
  private readonly physical = new Map<number, Moving>();
  /** Read-only copies of the neighbours' fixed linksets along the borders: colliders only. */
  private readonly ghosts = new Map<number, PrimBody>();
  private readonly sim: SimWorld;
  /** Colliders changed since movement queries last saw them (see {@link refresh}). */
  private stale = false;

  /**
   * `prims` are the tile's own; `ghosts`, fixed prims of its neighbours that reach into its border
   * strips; `deleted`, prims deleted here that an undo may bring back, most recent first.
   */
  constructor(sim: SimWorld, prims: readonly Prim[], ghosts: readonly Prim[] = [], deleted: readonly Prim[] = []) {
    this.sim = sim;
    for (const prim of prims) this.records.set(prim.id, prim);
    for (const prim of [...deleted].reverse()) this.tombstones.set(prim.id, prim);
    // Fixed insertion order (by id): the same world on every relay and client steps the same way.
    for (const { root, children } of linksetsOf(prims)) this.place(root, children);
    for (const { root, children } of linksetsOf(ghosts)) this.ghosts.set(root.id, sim.addLinkset(root, children));
    sim.refreshQueries();
  }

  /**
   * Makes colliders changed since the last call visible to movement queries: once a tick, before
   * avatars move, however many edits came in (refreshing costs a physics step of the whole tile).
   */
  refresh(): void {
    if (!this.stale) return;
    this.sim.refreshQueries();
    this.stale = false;
  }

  /** Whether every physical linkset is at rest (and has been reported so): nothing in the tile moves by itself. */
  get settled(): boolean {
    for (const moving of this.physical.values()) if (!moving.resting) return false;
    return true;
  }

  /** The root prims of the physical linksets, where their bodies were last followed. */
  *physicalRoots(): IterableIterator<Prim> {
    for (const moving of this.physical.values()) yield moving.linkset.root;
  }

  /**
   * Takes a physical linkset out of the tile (to hand it to a neighbour): its prims, root first, as
   * they are now, and its body's velocities.
   */
  takePhysical(rootId: number): PhysicalLinkset {
    const moving = this.physical.get(rootId);
    if (!moving) throw new Error(`prim ${rootId} is not a physical root here`);
    // Posed where the body is now, not where it was last reported.
    this.follow(moving);
    const { linkset, body } = moving;
    const taken: PhysicalLinkset = { prims: [linkset.root, ...linkset.children], linvel: { ...body.linvel() }, angvel: { ...body.angvel() } };
    this.sim.removeLinkset(linkset.body);
    this.physical.delete(rootId);
    this.linksets.delete(rootId);
    for (const prim of taken.prims) this.records.delete(prim.id);
    return taken;
  }

  /** Adds a physical linkset (handed over by a neighbour, or given back) moving as it was; returns its motion. */
  addPhysical({ prims, linvel, angvel }: PhysicalLinkset): BodyMotion {
    const [root, ...children] = prims;
    if (!root?.physical) throw new Error("a physical linkset starts with its physical root");
    for (const prim of prims) this.records.set(prim.id, prim);
    const moving = this.place(root, children)!;
    moving.body.setLinvel(linvel, true);
    moving.body.setAngvel(angvel, true);
    return motionOf(moving);
  }

  get count(): number {
    return this.records.size;
  }

  /** Every prim record, by id. */
  prims(): IterableIterator<Prim> {
    return this.records.values();
  }

  prim(id: number): Prim | undefined {
    return this.records.get(id);
  }

  children(rootId: number): Iterable<Prim> {
    return this.linksets.get(rootId)?.children ?? [];
  }

  tombstone(id: number): Prim | undefined {
    return this.tombstones.get(id);
  }

  /**
   * Applies an edit's diff: records, tombstones, and the bodies of every linkset it touched (taken
   * out of physics and put back as they are now). Returns what changed among the physical ones.
   * Costs what the diff touches, not what the tile holds.
   */
  applyDiff(diff: Readonly<PrimDiff>): BodyChanges {
    const roots = new Set<number>();
    const touch = (prim: Prim) => roots.add(prim.root === 0 ? prim.id : prim.root);
    for (const prim of diff.removed) touch(prim);
    for (const [from, to] of diff.updated) {
      touch(from);
      touch(to);
    }
    for (const prim of diff.added) touch(prim);
    // The children of each touched linkset, as they were; the diff moves prims in and out of them.
    const children = new Map<number, Map<number, Prim>>();
    for (const rootId of roots) children.set(rootId, new Map((this.linksets.get(rootId)?.children ?? []).map((child) => [child.id, child])));
    const changes: BodyChanges = { removed: [], added: [] };
    for (const rootId of roots) if (this.unplace(rootId)) changes.removed.push(rootId);
    for (const prim of diff.removed) {
      this.records.delete(prim.id);
      children.get(prim.root)?.delete(prim.id);
      this.tombstones.delete(prim.id);
      this.tombstones.set(prim.id, prim);
    }
    for (const [from, to] of diff.updated) {
      this.records.set(to.id, to);
      children.get(from.root)?.delete(from.id);
      if (to.root !== 0) children.get(to.root)!.set(to.id, to);
    }
    for (const prim of diff.added) {
      this.records.set(prim.id, prim);
      if (prim.root !== 0) children.get(prim.root)!.set(prim.id, prim);
      this.tombstones.delete(prim.id);
    }
    for (const id of this.tombstones.keys()) {
      if (this.tombstones.size <= TOMBSTONES_KEPT) break;
      this.tombstones.delete(id);
    }
    // Put back in id order, as the tile was built: the same world steps the same way everywhere.
    for (const rootId of [...roots].sort((a, b) => a - b)) {
      const root = this.records.get(rootId);
      if (root?.root !== 0) continue;
      const moving = this.place(root, [...children.get(rootId)!.values()].sort((a, b) => a.id - b.id));
      if (moving) changes.added.push(motionOf(moving));
    }
    this.stale = true;
    return changes;
  }

  /**
   * A neighbour's edit changed linksets near the border: the ghosts of `rootIds` go, and `prims`
   * (those of them that reach into this tile's border strip now, roots and children) come.
   */
  refreshGhosts(rootIds: readonly number[], prims: readonly Prim[]): void {
    for (const rootId of rootIds) {
      const ghost = this.ghosts.get(rootId);
      if (!ghost) continue;
      this.sim.removeLinkset(ghost);
      this.ghosts.delete(rootId);
    }
    // A linkset that came into this tile is its own now, not a ghost.
    for (const { root, children } of linksetsOf(prims.filter((prim) => !this.records.has(prim.id)))) this.ghosts.set(root.id, this.sim.addLinkset(root, children));
    this.stale = true;
  }

  /** Takes a linkset out of the tile (an edit moved it to another): its prims, root first, and whether physics moved it. */
  release(rootId: number): { prims: Prim[]; physical: boolean } {
    const root = this.records.get(rootId);
    if (!root) return { prims: [], physical: false };
    const prims = [root, ...(this.linksets.get(rootId)?.children ?? [])];
    const physical = this.unplace(rootId);
    for (const prim of prims) this.records.delete(prim.id);
    this.stale = true;
    return { prims, physical };
  }

  /** Takes a linkset's body out of physics; true when it was a physical one. */
  private unplace(rootId: number): boolean {
    const linkset = this.linksets.get(rootId);
    if (!linkset) return false;
    this.sim.removeLinkset(linkset.body);
    this.linksets.delete(rootId);
    return this.physical.delete(rootId);
  }

  /** The current records as load chunks for a joining client (see `loadChunks`). */
  loadChunks(origin: { x: number; z: number }): Uint8Array[] {
    return loadChunks([...this.records.values()], origin);
  }

  /** Every physical linkset's pose as last followed. */
  bodyMotions(): BodyMotion[] {
    return [...this.physical.values()].map(motionOf);
  }

  /**
   * Call once per tick: the physical linksets that moved since the last call, and each once more
   * when it comes to rest, follow their bodies (their root records too) and are reported to `moved`.
   */
  followBodies(moved: (motion: BodyMotion) => void): void {
    for (const moving of this.physical.values()) {
      const sleeping = moving.body.isSleeping();
      if (sleeping && moving.resting) continue;
      this.follow(moving);
      moving.resting = sleeping;
      moved(motionOf(moving));
    }
  }

  /** Puts a linkset into the tile's physics; returns it when physics moves it. */
  private place(root: Prim, children: Prim[]): Moving | undefined {
    const linkset: Linkset = { root, children, body: this.sim.addLinkset(root, children) };
    this.linksets.set(root.id, linkset);
    if (!linkset.body.dynamic) return undefined;
    const moving: Moving = { linkset, body: linkset.body.body, resting: false };
    this.physical.set(root.id, moving);
    return moving;
  }

  /** Puts a physical linkset's root record where its body is now, on the prims' grids. */
  private follow({ linkset, body }: Moving): void {
    const at = body.translation();
    const root: Prim = {
      ...linkset.root,
      position: { x: onMillimetres(at.x), y: onMillimetres(at.y), z: onMillimetres(at.z) },
      rotation: quantizeRotation(body.rotation()),
    };
    linkset.root = root;
    this.records.set(root.id, root);
  }

  dispose(): void {
    for (const linkset of this.linksets.values()) this.sim.removeLinkset(linkset.body);
    for (const ghost of this.ghosts.values()) this.sim.removeLinkset(ghost);
    this.ghosts.clear();
    this.linksets.clear();
    this.physical.clear();
    this.records.clear();
  }
}
