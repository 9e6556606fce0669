import type { TickSummary } from "./tick-times.ts";

/** One open tile as `GET /api/tiles` reports it. */
export interface TileReport {
  id: string;
  /** Avatars in the tile (dropped ones waiting to reconnect included). */
  players: number;
  prims: number;
  /** How long its recent simulation ticks took, snapshots included. */
  tickMs: TickSummary;
}

/** The tile rooms open on this relay: each registers how to report on itself while it is open. */
export class TileRegistry {
  private readonly reporters = new Map<string, () => TileReport>();

  add(id: string, report: () => TileReport): void {
    this.reporters.set(id, report);
  }

  remove(id: string): void {
    this.reporters.delete(id);
  }

  /** Every open tile's report, by id. */
  reports(): TileReport[] {
    return [...this.reporters.keys()].sort().map((id) => this.reporters.get(id)!());
  }
}
