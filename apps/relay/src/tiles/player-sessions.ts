import type { Client, Deferred } from "@colyseus/core";

/** Colyseus types a Deferred's `reject` as a bare Function. */
export type Reconnection = Deferred<Client> & { reject(reason: Error): void };

/** How a room's clients look here: a session id, and the player once it is known. */
interface RoomClient {
  readonly sessionId: string;
  readonly auth?: { readonly playerId: string };
  leave(code?: number, reason?: string): void;
}

/**
 * A room's sessions by player: those connected (the room's clients) and those that dropped and may
 * still come back. A player has one session per tile; ending a session closes its socket with a
 * code that tells the client why, or refuses its reconnection.
 */
export class PlayerSessions<C extends RoomClient> {
  /** Dropped sessions still allowed back, and their players. */
  private readonly dropped = new Map<string, { reconnection: Reconnection; playerId: string }>();
  private readonly clients: { find(predicate: (client: C) => boolean): C | undefined; forEach(each: (client: C) => void): void };

  constructor(clients: PlayerSessions<C>["clients"]) {
    this.clients = clients;
  }

  /** The session dropped; it may come back through `reconnection` (rejecting it ends the session). */
  drop(sessionId: string, playerId: string, reconnection: Reconnection): void {
    this.dropped.set(sessionId, { reconnection, playerId });
  }

  /** The session came back, or left for good. */
  settle(sessionId: string): void {
    this.dropped.delete(sessionId);
  }

  /** Ends a session: closes its socket with `code`, or refuses its reconnection if it dropped. */
  end(sessionId: string, code: number, reason: string): void {
    const pending = this.dropped.get(sessionId);
    if (pending) pending.reconnection.reject(new Error(reason));
    else this.clients.find((client) => client.sessionId === sessionId)?.leave(code, reason);
  }

  /** Ends every session of the player but `except`. */
  endPlayer(playerId: string, code: number, reason: string, except?: string): void {
    const ending: string[] = [];
    this.clients.forEach((client) => {
      if (client.auth?.playerId === playerId && client.sessionId !== except) ending.push(client.sessionId);
    });
    for (const [sessionId, pending] of this.dropped) if (pending.playerId === playerId && sessionId !== except) ending.push(sessionId);
    for (const sessionId of ending) this.end(sessionId, code, reason);
  }
}
