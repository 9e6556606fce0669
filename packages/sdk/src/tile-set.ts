import { PrimStream, type PrimStreamMessage } from "@tessera/protocol";
import type { PrimSet } from "./prim-set.ts";
import type { TileLink, TileView } from "./tile-link.ts";

/** The tiles a client has joined (or is joining), by id: which holds what, and how they look from the avatar. */
export class TileSet extends Map<string, TileLink> {
  /** Prims a tile let go of that no joined tile holds (yet), with when that began (ms). */
  private readonly unheld = new Map<number, number>();

  /**
   * Applies a prims message from `link`'s room to the link and to `prims`; true when it completed
   * the tile's load. A prim handed to a neighbour stays a while, for the neighbour to say so; a
   * deleted one goes at once.
   */
  receivePrims(link: TileLink, message: PrimStreamMessage, prims: PrimSet, now: number): boolean {
    if (message.kind === PrimStream.Deleted) {
      for (const id of message.ids) {
        for (const other of this.values()) other.primIds.delete(id);
        this.unheld.delete(id);
      }
      prims.remove(message.ids);
      return false;
    }
    if (message.kind === PrimStream.Removed) {
      for (const id of message.ids) {
        link.primIds.delete(id);
        if (!this.holdsPrim(id, link)) this.unheld.set(id, now);
      }
      return false;
    }
    if (message.kind !== PrimStream.Update) link.beginLoad();
    link.addPrims(message.prims.map((prim) => prim.id));
    prims.put(message.prims);
    if (message.kind !== PrimStream.LoadDone) return false;
    prims.remove(link.endLoad().filter((id) => !this.holdsPrim(id, link)));
    return true;
  }

  /** Removes from `prims` those let go of that no joined tile took over within `graceMs`; returns their ids. */
  dropUnheld(prims: PrimSet, now: number, graceMs: number): number[] {
    const gone: number[] = [];
    for (const [id, since] of this.unheld) {
      const held = this.holdsPrim(id);
      if (!held && now - since < graceMs) continue;
      this.unheld.delete(id);
      if (!held) gone.push(id);
    }
    prims.remove(gone);
    return gone;
  }

  /** The joined tiles nearest `at` first; `authority` is the one whose room holds the own avatar. */
  views(at: { x: number; z: number }, authority: TileLink | undefined, tileSize: number): TileView[] {
    return [...this.values()]
      .map((link) => ({
        id: link.id,
        status: link.status,
        authority: link === authority,
        loaded: link.loaded,
        prims: link.primIds.size,
        avatars: link.roster.size,
        distance: Math.hypot((link.tile.tx + 0.5) * tileSize - at.x, (link.tile.tz + 0.5) * tileSize - at.z),
      }))
      .sort((a, b) => a.distance - b.distance)
      .map(({ distance: _, ...view }) => view);
  }

  /** Whether every joined tile's prims have all arrived. */
  get loaded(): boolean {
    return this.size > 0 && [...this.values()].every((link) => link.loaded);
  }

  /** The joined tile that holds the prim. */
  holderOf(id: number): TileLink | undefined {
    for (const link of this.values()) if (link.primIds.has(id)) return link;
    return undefined;
  }

  /** Whether a joined tile other than `except` (any, without it) holds the prim. */
  holdsPrim(id: number, except?: TileLink): boolean {
    for (const link of this.values()) if (link !== except && link.primIds.has(id)) return true;
    return false;
  }

  /** Whether a joined tile's roster names the player. */
  lists(playerId: string): boolean {
    for (const link of this.values()) if (link.lists(playerId)) return true;
    return false;
  }
}
