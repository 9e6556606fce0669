import { quantizeRotation, type Prim } from "@tessera/prims";
import { BodyFlags, loadChunks, type BodyMotion } from "@tessera/protocol";
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

const onMillimetres = (value: number) => Math.round(value * 1000) / 1000;

function motionOf({ linkset: { root }, resting }: Moving): BodyMotion {
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
  /** The linksets physics moves, in id order. */
  private readonly physical: Moving[] = [];
  private readonly sim: SimWorld;

  constructor(sim: SimWorld, prims: readonly Prim[]) {
    this.sim = sim;
    const sorted = [...prims].sort((a, b) => a.id - b.id);
    for (const prim of sorted) this.records.set(prim.id, prim);
    // Fixed insertion order (by id): the same world on every relay and client steps the same way.
    for (const root of sorted.filter((p) => p.root === 0)) {
      const children = sorted.filter((p) => p.root === root.id);
      const linkset: Linkset = { root, children, body: sim.addLinkset(root, children) };
      this.linksets.set(root.id, linkset);
      if (linkset.body.dynamic) this.physical.push({ linkset, body: linkset.body.body, resting: false });
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

  /** Every physical linkset's pose as last followed, in a fixed order: index i is the same linkset for the room's life. */
  bodyMotions(): BodyMotion[] {
    return this.physical.map(motionOf);
  }

  /**
   * Call once per tick: the physical linksets that moved since the last call, and each once more
   * when it comes to rest, follow their bodies (their root records too) and are reported to `moved`
   * with their index in {@link bodyMotions}.
   */
  followBodies(moved: (index: number, motion: BodyMotion) => void): void {
    this.physical.forEach((moving, index) => {
      const sleeping = moving.body.isSleeping();
      if (sleeping && moving.resting) return;
      this.follow(moving);
      moving.resting = sleeping;
      moved(index, motionOf(moving));
    });
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
    this.linksets.clear();
    this.physical.length = 0;
    this.records.clear();
  }
}
