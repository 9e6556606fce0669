import { matchMaker } from "@colyseus/core";
import { TILE_ROOM, isTileInGrid, tileId, type GridSize, type TileCoord } from "@tessera/protocol";
import type { TileClaims } from "../auth/signer.ts";

/** Where a tile's room runs. */
export interface OpenTile {
  id: string;
  processId: string;
}

/**
 * Opens tile rooms on demand, each exactly once in the whole cluster. Within this process one
 * request per tile is in flight at a time; across processes the driver's atomic insert settles a
 * race (the loser's room is discarded and the winner's listing returned).
 */
export class TileOpener {
  private readonly opening = new Map<string, Promise<OpenTile>>();
  private readonly grid: GridSize;
  private readonly claims: TileClaims;

  constructor(grid: GridSize, claims: TileClaims) {
    this.grid = grid;
    this.claims = claims;
  }

  /** The tile's room, opened (on the least loaded process) unless it is open already. */
  open(tile: TileCoord): Promise<OpenTile> {
    if (!isTileInGrid(tile, this.grid)) return Promise.reject(new RangeError(`${tileId(tile)} is not on the grid`));
    const id = tileId(tile);
    let pending = this.opening.get(id);
    if (!pending) {
      pending = this.ensure(tile, id).finally(() => this.opening.delete(id));
      this.opening.set(id, pending);
    }
    return pending;
  }

  private async ensure(tile: TileCoord, id: string): Promise<OpenTile> {
    const listing = (await matchMaker.getRoomById(id)) ?? (await matchMaker.createRoom(TILE_ROOM, { ...tile, claim: this.claims.claim(id) }));
    return { id, processId: listing.processId };
  }
}
