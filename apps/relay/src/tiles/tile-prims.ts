import { quantizeRotation, type Prim } from "@tessera/prims";
import { BodyFlags, loadChunks, type BodyMotion } from "@tessera/protocol";
import type { PrimBody, SimWorld } from "@tessera/sim";

interface Linkset {
  root: Prim;
  children: Prim[];
  body: PrimBody;
  /** Whether its last reported pose was at rest. */
  resting: boolean;
}

const onMillimetres = (value: number) => Math.round(value * 1000) / 1000;

function motionOf({ root, resting }: Linkset): BodyMotion {
  return { id: root.id, ...root.position, rotation: root.rotation, flags: resting ? BodyFlags.Resting : 0 };
}

/**
 * A tile's prims: the records clients are sent, and their bodies in the tile's physics. Physical
 * linksets move; their root records follow their bodies, so a client that joins later is sent where
 * they are now.
 */
export class TilePrims {
  private readonly records = new Map<number, Prim>();
  private readonly linksets = new Map<number, Linkset>();
  private readonly sim: SimWorld;

  constructor(sim: SimWorld, prims: readonly Prim[]) {
    this.sim = sim;
    const sorted = [...prims].sort((a, b) => a.id - b.id);
    for (const prim of sorted) this.records.set(prim.id, prim);
    // Fixed insertion order (by id): the same world on every relay and client steps the same way.
    for (const root of sorted.filter((p) => p.root === 0)) {
      const children = sorted.filter((p) => p.root === root.id);
      this.linksets.set(root.id, { root, children, body: sim.addLinkset(root, children), resting: false });
    }
    sim.refreshQueries();
  }

  get count(): number {
    return this.records.size;
  }

  /** Every prim record, by id. */
  prims(): IterableIterator<Prim> {
    return this.records.values();
  }

  /** The current records as load chunks for a joining client (see `loadChunks`). */
  loadChunks(origin: { x: number; z: number }): Uint8Array[] {
    return loadChunks([...this.records.values()], origin);
  }

  /**
   * Call once per snapshot: the physical linksets that moved since the last call, and each once more
   * when it comes to rest. Their root records follow their bodies.
   */
  changedBodies(): BodyMotion[] {
    const motions: BodyMotion[] = [];
    for (const linkset of this.linksets.values()) {
      if (!linkset.body.dynamic) continue;
      const sleeping = linkset.body.body.isSleeping();
      if (sleeping && linkset.resting) continue;
      this.follow(linkset);
      linkset.resting = sleeping;
      motions.push(motionOf(linkset));
    }
    return motions;
  }

  /** Every physical linkset's pose as last followed: for a client that has just loaded the tile. */
  allBodies(): BodyMotion[] {
    return [...this.linksets.values()].filter((linkset) => linkset.body.dynamic).map(motionOf);
  }

  /** Puts a physical linkset's root record where its body is now, on the prims' grids. */
  private follow(linkset: Linkset): void {
    const at = linkset.body.body.translation();
    const root: Prim = {
      ...linkset.root,
      position: { x: onMillimetres(at.x), y: onMillimetres(at.y), z: onMillimetres(at.z) },
      rotation: quantizeRotation(linkset.body.body.rotation()),
    };
    linkset.root = root;
    this.records.set(root.id, root);
  }

  dispose(): void {
    for (const linkset of this.linksets.values()) this.sim.removeLinkset(linkset.body);
    this.linksets.clear();
    this.records.clear();
  }
}
