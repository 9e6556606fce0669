import type { Prim, PrimDiff } from "@tessera/prims";
import { gridBounds, type WorldConfig } from "@tessera/protocol";
import { SimWorld, type PrimBody } from "@tessera/sim";
import type { PrimSet } from "./prim-set.ts";

/**
 * The static world a client predicts its avatar against: the grid's ground and walls, and every
 * fixed linkset of the prims it knows, kept in step with a {@link PrimSet}. Physical prims are left
 * out: they move, and where they will be is the relay's to say. Changes are built in slices
 * ({@link pump}) so that a tile of prims arriving never stalls a frame, in id order as the relay
 * builds its tile: Rapier's character controller can come out differently (by a centimetre at a
 * step's edge) for the same colliders added in another order.
 */
export class PredictionWorld {
  readonly sim: SimWorld;
  private readonly prims: PrimSet;
  private readonly bodies = new Map<number, PrimBody>();
  /** Linked children by root id. */
  private readonly children = new Map<number, Set<number>>();
  /** Linksets (by root id) changed since they were last built. */
  private readonly dirty = new Set<number>();
  private readonly stop: () => void;

  private constructor(sim: SimWorld, world: WorldConfig, prims: PrimSet) {
    this.sim = sim;
    this.prims = prims;
    sim.addTerrain(gridBounds(world.grid, world.tileSize));
    this.apply({ added: [...prims.values()], updated: [], removed: [] });
    this.stop = prims.listen((diff) => this.apply(diff));
    this.pump(Infinity);
  }

  static async create(world: WorldConfig, prims: PrimSet): Promise<PredictionWorld> {
    return new PredictionWorld(await SimWorld.create(), world, prims);
  }

  dispose(): void {
    this.stop();
    this.sim.dispose();
  }

  /** Builds the linksets that changed, in id order, for at most `budgetMs`; true when none is left to build. */
  pump(budgetMs: number): boolean {
    if (this.dirty.size === 0) return true;
    const started = performance.now();
    for (const id of [...this.dirty].sort((a, b) => a - b)) {
      this.build(id);
      this.dirty.delete(id);
      if (performance.now() - started > budgetMs) break;
    }
    this.sim.refreshQueries();
    return this.dirty.size === 0;
  }

  /** Whether every linkset whose root lies within `radius` of `near` is built as the prim set holds it. */
  settledNear(near: { x: number; z: number }, radius: number): boolean {
    for (const id of this.dirty) {
      const root = this.prims.get(id);
      if (!root || Math.hypot(root.position.x - near.x, root.position.z - near.z) <= radius) return false;
    }
    return true;
  }

  /** Notes every linkset a change touches. */
  private apply(diff: PrimDiff): void {
    const touch = (prim: Prim) => this.dirty.add(prim.root || prim.id);
    for (const prim of diff.removed) {
      touch(prim);
      this.unlink(prim);
    }
    for (const prim of diff.added) {
      touch(prim);
      this.link(prim);
    }
    for (const [from, to] of diff.updated) {
      // Moving physical prims change nothing here.
      if (from.physical && to.physical) continue;
      touch(from);
      touch(to);
      this.unlink(from);
      this.link(to);
    }
  }

  /** (Re)builds one linkset as the prim set holds it now: gone, physical, or fixed in place. */
  private build(id: number): void {
    const old = this.bodies.get(id);
    if (old) this.sim.removeLinkset(old);
    this.bodies.delete(id);
    const root = this.prims.get(id);
    if (!root || root.physical || root.root !== 0) return;
    const children = [...(this.children.get(id) ?? [])].sort((a, b) => a - b).map((child) => this.prims.get(child)!);
    this.bodies.set(id, this.sim.addLinkset(root, children));
  }

  private link(prim: Prim): void {
    if (prim.root === 0) return;
    let set = this.children.get(prim.root);
    if (!set) this.children.set(prim.root, (set = new Set()));
    set.add(prim.id);
  }

  private unlink(prim: Prim): void {
    if (prim.root !== 0) this.children.get(prim.root)?.delete(prim.id);
  }
}
