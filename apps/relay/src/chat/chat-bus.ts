import type { Presence } from "@colyseus/core";
import { CHAT_BURST, CHAT_PER_SECOND, type ChatLine } from "@tessera/protocol";
import { BucketsByKey } from "../tiles/rate-limiter.ts";

/** Where lines go to every relay of the world (presence is namespaced per world). */
const CHANNEL = "tessera:chat";

/** A line and the tiles whose rooms may hold avatars that hear it. */
interface Carried {
  tiles: string[];
  line: ChatLine;
}

type Deliver = (line: ChatLine) => void;

/**
 * Carries chat lines between tile rooms, on this relay and every other: a room publishes a line
 * with the tiles it reaches, and each relay hands it to its own rooms of those tiles. Also the
 * per-player allowance of lines, kept by the relay that holds the speaker's avatar.
 */
export class ChatBus {
  private readonly presenceOf: () => Presence;
  private readonly rooms = new Map<string, Deliver>();
  private readonly allowance = new BucketsByKey(CHAT_PER_SECOND, CHAT_BURST);
  private readonly onCarried = (carried: Carried) => {
    for (const tile of carried.tiles) this.rooms.get(tile)?.(carried.line);
  };

  /** `presence` is read when used: Colyseus sets up its presence once the server starts. */
  constructor(presence: () => Presence) {
    this.presenceOf = presence;
  }

  async start(): Promise<void> {
    await this.presenceOf().subscribe(CHANNEL, this.onCarried);
  }

  stop(): void {
    this.presenceOf().unsubscribe(CHANNEL, this.onCarried);
  }

  /** The room of `tile` on this relay hears the lines that reach it; returns the way to stop. */
  listen(tile: string, deliver: Deliver): () => void {
    this.rooms.set(tile, deliver);
    return () => {
      if (this.rooms.get(tile) === deliver) this.rooms.delete(tile);
    };
  }

  /** Whether the player may say another line now (taking it from their allowance). */
  allow(playerId: string, now = performance.now()): boolean {
    return this.allowance.take(playerId, now);
  }

  /** Sends `line` to the rooms of `tiles`, wherever they run. */
  say(line: ChatLine, tiles: string[]): void {
    void this.presenceOf().publish(CHANNEL, { tiles, line } satisfies Carried);
  }
}
