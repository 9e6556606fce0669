import { sameValue } from "@tessera/prims";
import { SELECT_LIMITS, selectedMessageSchema, type SelectMessage } from "@tessera/protocol";
import { STAND_IN_IDS } from "./edits.ts";
import type { TileLink } from "./tile-link.ts";
import type { TileSet } from "./tile-set.ts";

/** Another player's selection, over every joined tile. */
export interface OthersSelection {
  player: string;
  /** The player's display name: text, never markup. */
  name: string;
  /** CSS colour `#rrggbb`, the player's on every client. */
  colour: string;
  ids: number[];
}

/** The colour a player's selection is shown in: a hue from a hash (FNV-1a) of the player id, so every client agrees. */
export function selectionColour(playerId: string): string {
  let hash = 0x811c_9dc5;
  for (let i = 0; i < playerId.length; i++) hash = Math.imul(hash ^ playerId.charCodeAt(i), 0x0100_0193);
  return hslToHex((hash >>> 0) % 360, 0.75, 0.55);
}

/** `#rrggbb` of a hue (degrees), saturation and lightness (0-1). */
function hslToHex(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** What a tile's room says one player has selected there. */
interface PlayerPart {
  name: string;
  ids: number[];
}

/**
 * What the other players have selected, as the `selected` messages of the joined tiles say: by tile
 * and player, listed merged over the tiles per player. A tile's part goes when its room is lost or
 * left (a room that comes back sends it again).
 */
export class OthersSelections {
  private readonly tiles = new Map<TileLink, Map<string, PlayerPart>>();
  private readonly listeners = new Set<() => void>();
  private readonly ownPlayer: string;
  private listed: readonly OthersSelection[] = [];
  private versionValue = 0;

  /** `ownPlayer`: the player this client is, whose selection is never listed. */
  constructor(ownPlayer: string) {
    this.ownPlayer = ownPlayer;
  }

  /** Every other player with something selected, by name; the same array until something changes. */
  list(): readonly OthersSelection[] {
    return this.listed;
  }

  /** Counts changes; a new value means {@link subscribe} listeners were called. */
  get version(): number {
    return this.versionValue;
  }

  /** Calls `listener` after each change; returns the way to stop. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A `selected` message from `link`'s room; a malformed one is ignored. */
  receive(link: TileLink, message: unknown): void {
    const parsed = selectedMessageSchema.safeParse(message);
    if (!parsed.success || parsed.data.player === this.ownPlayer) return;
    const { player, name, ids } = parsed.data;
    const players = this.tiles.get(link);
    if (ids.length > 0) {
      this.tiles.set(link, (players ?? new Map<string, PlayerPart>()).set(player, { name, ids }));
    } else {
      if (!players?.delete(player)) return;
      if (players.size === 0) this.tiles.delete(link);
    }
    this.changed();
  }

  /** `link`'s room was lost or left: what it said goes. */
  dropTile(link: TileLink): void {
    if (this.tiles.delete(link)) this.changed();
  }

  private changed(): void {
    const merged = new Map<string, { name: string; ids: Set<number> }>();
    for (const players of this.tiles.values()) {
      for (const [player, { name, ids }] of players) {
        const entry = merged.get(player);
        if (entry) for (const id of ids) entry.ids.add(id);
        else merged.set(player, { name, ids: new Set(ids) });
      }
    }
    this.listed = [...merged]
      .map(([player, { name, ids }]) => ({ player, name, colour: selectionColour(player), ids: [...ids] }))
      .sort((a, b) => a.name.localeCompare(b.name) || (a.player < b.player ? -1 : 1));
    this.versionValue++;
    for (const listener of this.listeners) listener();
  }
}

/** Each tile's room is sent its part of the selection at most this often, ms: within the relay's 10 a second. */
const SEND_INTERVAL_MS = 100;

/**
 * The player's own selection, as the joined tiles' rooms know it: each is sent the part of it that
 * its tile holds, only when that part changed, and at most every {@link SEND_INTERVAL_MS}; {@link sync}
 * sends what had to wait, and follows prims to the tiles that hold them now.
 */
export class OwnSelection {
  private wanted: number[] = [];
  /** What each room was last sent, and when (ms). */
  private readonly sent = new Map<TileLink, { ids: number[]; at: number }>();
  private readonly links: TileSet;
  private readonly send: (link: TileLink, message: SelectMessage) => void;

  constructor(links: TileSet, send: (link: TileLink, message: SelectMessage) => void) {
    this.links = links;
    this.send = send;
  }

  /** The player selected `ids` (none: nothing). Prims not yet acknowledged (stand-in ids) are left out: no one else knows them. */
  select(ids: readonly number[], now: number): void {
    this.wanted = [...new Set(ids)].filter((id) => id < STAND_IN_IDS);
    this.sync(now);
  }

  /** Sends each room whose part changed its new part (an empty one to a room whose tile holds none of it now). */
  sync(now: number): void {
    const parts = new Map<TileLink, number[]>();
    for (const link of this.sent.keys()) parts.set(link, []);
    for (const id of this.wanted) {
      const link = this.links.holderOf(id);
      if (!link) continue;
      const part = parts.get(link) ?? [];
      if (part.length < SELECT_LIMITS.ids) part.push(id);
      parts.set(link, part);
    }
    for (const [link, ids] of parts) {
      const last = this.sent.get(link);
      if (sameValue(last?.ids ?? [], ids) || (last && now - last.at < SEND_INTERVAL_MS)) continue;
      this.sent.set(link, { ids, at: now });
      this.send(link, { ids });
    }
  }

  /** `link`'s room was left or lost: the relay cleared the selection there. */
  forget(link: TileLink): void {
    this.sent.delete(link);
  }
}
