import type { Client } from "@colyseus/core";
import { sameValue } from "@tessera/prims";
import { ClientMessage, ErrorCode, RelayMessage, SELECT_LIMITS, type SelectMessage, type SelectedMessage } from "@tessera/protocol";
import type { MessageGuard } from "./message-guard.ts";
import { BucketsByKey } from "./rate-limiter.ts";

/** Who sends a `select`. */
interface Selector {
  playerId: string;
  name: string;
}

interface Selection {
  /** The session that made it: only that session's leaving clears it. */
  sessionId: string;
  name: string;
  ids: number[];
}

/**
 * Selection presence in one tile: the prims of the tile each player connected to it has selected,
 * passed on to the tile's other clients when it changes, all of it to a client that joins, and
 * cleared when the player leaves. Ids the tile does not hold are left out: a client sends each tile
 * the part of its selection that tile holds.
 */
export class TileSelections {
  /** By player id (a player has one session per tile); none for a player with nothing selected. */
  private readonly selections = new Map<string, Selection>();
  // A bucket that has refilled is as good as none: those of sessions gone are swept, not released.
  private readonly buckets = new BucketsByKey(SELECT_LIMITS.perSecond, SELECT_LIMITS.burst);
  private readonly guard: MessageGuard;
  private readonly holds: (id: number) => boolean;
  private readonly broadcast: (message: SelectedMessage, except: Client) => void;

  /** `holds`: whether the tile holds a prim; `broadcast`: sends a `selected` message to every client of the tile but `except`. */
  constructor(guard: MessageGuard, holds: (id: number) => boolean, broadcast: (message: SelectedMessage, except: Client) => void) {
    this.guard = guard;
    this.holds = holds;
    this.broadcast = broadcast;
  }

  /** A client's `select`: the player's selection here becomes the ids of it the tile holds. */
  receive(client: Client, { playerId, name }: Selector, message: SelectMessage): void {
    if (!this.buckets.take(client.sessionId, performance.now())) {
      this.guard.refuse(client, ErrorCode.RateLimited, `select: at most ${SELECT_LIMITS.perSecond} selections a second (bursts of ${SELECT_LIMITS.burst}): this one was dropped`, ClientMessage.Select);
      return;
    }
    const ids = [...new Set(message.ids)].filter(this.holds);
    const before = this.selections.get(playerId);
    if (ids.length > 0) this.selections.set(playerId, { sessionId: client.sessionId, name, ids });
    else this.selections.delete(playerId);
    const changed = before ? before.name !== name || !sameValue(before.ids, ids) : ids.length > 0;
    if (changed) this.broadcast({ player: playerId, name, ids }, client);
  }

  /** Sends a client that joined (or came back) everyone else's selection here. */
  welcome(client: Client, playerId: string): void {
    for (const [player, { name, ids }] of this.selections) {
      if (player !== playerId) client.send(RelayMessage.Selected, { player, name, ids } satisfies SelectedMessage);
    }
  }

  /** A client left: its player's selection here is cleared, unless a newer session of the player made it. */
  release(client: Client): void {
    for (const [player, selection] of this.selections) {
      if (selection.sessionId !== client.sessionId) continue;
      this.selections.delete(player);
      this.broadcast({ player, name: selection.name, ids: [] }, client);
      return;
    }
  }
}
