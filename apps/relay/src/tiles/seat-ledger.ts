import { VIEW_HYSTERESIS } from "@tessera/protocol";

/** Seats a player may hold beyond the tiles its view needs: a reconnection or a tile being left overlaps a new one. */
const SPARE_SEATS = 4;

/**
 * Seats (reservations not yet used, and connections) a player may hold on one relay: one per tile
 * it can have joined at once, i.e. every tile within the view radius plus the hysteresis band of
 * its view (`ViewSubscription`), wherever it stands, and a few to spare.
 */
export function seatsPerPlayer(viewRadius: number, tileSize: number): number {
  const across = Math.ceil((2 * (viewRadius + VIEW_HYSTERESIS)) / tileSize) + 1;
  return across * across + SPARE_SEATS;
}

/**
 * The seats each player holds on this relay process: seats it reserved here (until their socket
 * arrives or the reservation lapses) and connections to this process's rooms. A player at its cap
 * gets no more until it lets some go, so that one token cannot hold hundreds of sockets or
 * reservations.
 */
export class SeatLedger {
  /** Reserved here, not yet connected: session id -> player and when the reservation lapses (ms). */
  private readonly pending = new Map<string, { playerId: string; lapsesAt: number }>();
  /** Connected to a room of this process: session id -> player. */
  private readonly connected = new Map<string, string>();
  private readonly held = new Map<string, number>();
  private readonly cap: number;
  private readonly reservationMs: number;
  private readonly now: () => number;

  constructor(cap: number, reservationMs: number, now: () => number = Date.now) {
    this.cap = cap;
    this.reservationMs = reservationMs;
    this.now = now;
  }

  /** Seats a player may hold. */
  get perPlayer(): number {
    return this.cap;
  }

  /** Records a reservation for `sessionId`; false (and nothing recorded) when the player is at its cap. */
  reserve(playerId: string, sessionId: string): boolean {
    this.lapse();
    if (this.count(playerId) >= this.cap) return false;
    this.pending.set(sessionId, { playerId, lapsesAt: this.now() + this.reservationMs });
    this.add(playerId, 1);
    return true;
  }

  /**
   * The seat's socket joined a room of this process (its reservation, if made here, is used up);
   * false (nothing recorded) when the player holds its cap of connections here already.
   */
  connect(playerId: string, sessionId: string): boolean {
    if (this.connected.has(sessionId)) return true;
    const reserved = this.pending.get(sessionId);
    if (!reserved && this.count(playerId) >= this.cap) return false;
    if (reserved) this.pending.delete(sessionId);
    else this.add(playerId, 1);
    this.connected.set(sessionId, playerId);
    return true;
  }

  /** The session left its room for good. */
  disconnect(sessionId: string): void {
    const playerId = this.connected.get(sessionId);
    if (playerId === undefined) return;
    this.connected.delete(sessionId);
    this.add(playerId, -1);
  }

  /** Seats the player holds now. */
  count(playerId: string): number {
    return this.held.get(playerId) ?? 0;
  }

  /** Forgets reservations whose socket never came (the oldest come first: they all last as long). */
  private lapse(): void {
    const now = this.now();
    for (const [sessionId, { playerId, lapsesAt }] of this.pending) {
      if (lapsesAt > now) break;
      this.pending.delete(sessionId);
      this.add(playerId, -1);
    }
  }

  private add(playerId: string, delta: number): void {
    const next = (this.held.get(playerId) ?? 0) + delta;
    if (next > 0) this.held.set(playerId, next);
    else this.held.delete(playerId);
  }
}
