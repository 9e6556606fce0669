import type { Room } from "@colyseus/sdk";
import { parseTileId, type TileCoord, type TileState } from "@tessera/protocol";

export type LinkStatus = "joining" | "connected" | "reconnecting";

/** A joined tile as the client reports it (`WorldClient.tiles()`). */
export interface TileView {
  id: string;
  status: LinkStatus;
  /** Whether this tile's room holds the own avatar: its authority. */
  authority: boolean;
  /** Whether all of the tile's prims have arrived. */
  loaded: boolean;
  /** Prims the tile sent. */
  prims: number;
  /** Avatars the tile holds. */
  avatars: number;
}

/**
 * One tile room the client has joined or is joining: its socket, its roster (avatars by the net id
 * its snapshots use) and which prims of the client's prim set it sent.
 */
export class TileLink {
  readonly id: string;
  readonly tile: TileCoord;
  room: Room<unknown, TileState> | undefined;
  status: LinkStatus = "joining";
  /** The client let the tile go; a join still in flight is left as soon as it completes. */
  left = false;
  readonly roster = new Map<number, { id: string; name: string }>();
  /** The player ids in the roster, for {@link lists}. */
  private listed = new Set<string>();
  readonly primIds = new Set<number>();
  /** Whether the player may build in the tile, as its room last said; undefined until it says. */
  mayBuild: boolean | undefined;
  loaded = false;
  /** Ids sent before the load in progress and not sent again by it yet. */
  private stale: Set<number> | undefined;

  constructor(id: string) {
    const tile = parseTileId(id);
    if (!tile) throw new Error(`${id} is not a tile id`);
    this.id = id;
    this.tile = tile;
  }

  /** Prims this tile sent. */
  addPrims(ids: Iterable<number>): void {
    for (const id of ids) {
      this.primIds.add(id);
      this.stale?.delete(id);
    }
  }

  /** A (re)load starts: what it does not send again is gone when it ends. */
  beginLoad(): void {
    this.stale ??= new Set(this.primIds);
  }

  /** The load is complete; returns the ids it did not send again (no longer this tile's). */
  endLoad(): number[] {
    const gone = [...(this.stale ?? [])];
    for (const id of gone) this.primIds.delete(id);
    this.stale = undefined;
    this.loaded = true;
    return gone;
  }

  /** Takes the roster from the room's state; true when it changed. */
  syncRoster(state: TileState): boolean {
    let changed = false;
    const seen = new Set<number>();
    state.avatars.forEach((info) => {
      seen.add(info.netId);
      const known = this.roster.get(info.netId);
      if (known && known.id === info.id && known.name === info.name) return;
      this.roster.set(info.netId, { id: info.id, name: info.name });
      changed = true;
    });
    for (const netId of this.roster.keys()) {
      if (seen.has(netId)) continue;
      this.roster.delete(netId);
      changed = true;
    }
    if (changed) this.listed = new Set([...this.roster.values()].map((entry) => entry.id));
    return changed;
  }

  /** Whether the tile's roster names the player. */
  lists(playerId: string): boolean {
    return this.listed.has(playerId);
  }
}
