import type { Presence } from "@colyseus/core";

/** Where claims are announced to every relay of the world. */
const CHANNEL = "tessera:avatar-claims";
/** The counter of a player's claims; it lives while the player's avatar does (refreshed by its room). */
const counterKey = (playerId: string) => `tessera:avatar-claim:${playerId}`;
/** A counter not refreshed for this long is forgotten (no room holds the avatar any more), s. */
export const CLAIM_TTL_S = 600;
/** Rooms refresh the counters of the avatars they hold this often, ms. */
export const CLAIM_REFRESH_MS = 120_000;
/** How long a relay remembers the newest claim it heard of, for the handoffs and entries still in flight, ms. */
const REMEMBER_MS = 60_000;

type Listener = (playerId: string, claim: number) => void;

/**
 * One avatar per player in the whole world. Entering the world takes a claim: a number from the
 * player's counter in presence (an atomic increment, the same with one relay or many), so the
 * claims of entries that race on several relays are totally ordered. Each avatar carries its claim
 * (through handoffs too); the entry announces its claim to every relay, and a room holding the
 * player's avatar under an older claim lets it go and closes the session that drove it. An entry
 * that hears of a newer claim before its avatar exists gives up, and a handoff carrying an older
 * claim is refused, so that of any number of racing entries exactly one avatar remains.
 */
export class AvatarClaims {
  private readonly presenceOf: () => Presence;
  private readonly now: () => number;
  /** The newest claim heard of per player, and when. */
  private readonly newest = new Map<string, { claim: number; at: number }>();
  private readonly listeners = new Set<Listener>();
  private prunedAt = 0;

  /** `presence` is read when used: Colyseus sets up its presence once the server starts. */
  constructor(presence: () => Presence, now: () => number = Date.now) {
    this.presenceOf = presence;
    this.now = now;
  }

  private get presence(): Presence {
    return this.presenceOf();
  }

  /** Starts hearing the world's announcements. */
  async start(): Promise<void> {
    await this.presence.subscribe(CHANNEL, this.onAnnouncement);
  }

  stop(): void {
    this.presence.unsubscribe(CHANNEL, this.onAnnouncement);
  }

  /** A claim on the player's avatar, newer than any taken before, anywhere. */
  async take(playerId: string): Promise<number> {
    const claim = await this.presence.incr(counterKey(playerId));
    void this.presence.expire(counterKey(playerId), CLAIM_TTL_S);
    return claim;
  }

  /** Tells every relay that the player's avatar is the one under `claim` now: older ones go. */
  announce(playerId: string, claim: number): void {
    this.note(playerId, claim);
    void this.presence.publish(CHANNEL, { playerId, claim });
  }

  /** Whether a claim newer than `claim` was heard of: whatever holds `claim` must go. */
  superseded(playerId: string, claim: number): boolean {
    return (this.newest.get(playerId)?.claim ?? 0) > claim;
  }

  /** Keeps the counters of avatars that still live from expiring. */
  refresh(playerIds: Iterable<string>): void {
    for (const playerId of playerIds) void this.presence.expire(counterKey(playerId), CLAIM_TTL_S);
  }

  /** Calls `listener` with each claim announced (rooms let older avatars go); returns the way to stop. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private readonly onAnnouncement = (message: unknown): void => {
    const { playerId, claim } = (message ?? {}) as { playerId?: unknown; claim?: unknown };
    if (typeof playerId !== "string" || typeof claim !== "number") return;
    this.note(playerId, claim);
    for (const listener of this.listeners) listener(playerId, claim);
  };

  private note(playerId: string, claim: number): void {
    const now = this.now();
    const known = this.newest.get(playerId);
    if (!known || known.claim < claim) this.newest.set(playerId, { claim, at: now });
    if (now - this.prunedAt < REMEMBER_MS) return;
    this.prunedAt = now;
    for (const [id, { at }] of this.newest) if (now - at > REMEMBER_MS) this.newest.delete(id);
  }
}
