import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Presence } from "@colyseus/core";
import { z } from "zod";

const FILE = "revoked-players.json";
/** The world's revoked players in presence, and the channel that tells every relay of a new one. */
const SET_KEY = "tessera:revoked";
const CHANNEL = "tessera:revoked";
const PLAYER_ID = /^[A-Za-z0-9_-]{12}$/;
const fileSchema = z.array(z.string().regex(PLAYER_ID));

type Listener = (playerId: string) => void;

/**
 * Players an operator revoked: their tokens prove nothing (no join, no renewal) and their sessions
 * are closed at once, on every relay. Kept in the data directory, so a revocation outlives restarts,
 * and shared through presence, so that it reaches every relay of a cluster (each keeps its own copy
 * of the file, and brings it back into presence when it starts).
 */
export class Revocations {
  private readonly players = new Set<string>();
  private readonly listeners = new Set<Listener>();
  private readonly path: string;
  private presence: Presence | undefined;
  private saving = Promise.resolve();

  private constructor(dataDir: string) {
    this.path = join(dataDir, FILE);
  }

  /** The revocations kept in `dataDir`; a damaged file stops the relay rather than forgive anyone. */
  static async load(dataDir: string): Promise<Revocations> {
    const revocations = new Revocations(dataDir);
    let text: string | undefined;
    try {
      text = await readFile(revocations.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (text !== undefined) {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`${revocations.path} is not a list of player ids; fix or remove it`);
      for (const playerId of parsed.data) revocations.players.add(playerId);
    }
    return revocations;
  }

  /** Joins the world's list in presence: ours go in, theirs come here, new ones are heard of as they happen. */
  async share(presence: Presence): Promise<void> {
    this.presence = presence;
    for (const playerId of this.players) await presence.sadd(SET_KEY, playerId);
    let added = false;
    for (const playerId of await presence.smembers(SET_KEY)) added = this.add(playerId) || added;
    if (added) await this.save();
    await presence.subscribe(CHANNEL, this.onRevoked);
  }

  stop(): void {
    this.presence?.unsubscribe(CHANNEL, this.onRevoked);
  }

  has(playerId: string): boolean {
    return this.players.has(playerId);
  }

  list(): string[] {
    return [...this.players];
  }

  /** Revokes a player everywhere: kept, shared, and every relay closes the player's sessions. */
  async revoke(playerId: string): Promise<void> {
    if (!PLAYER_ID.test(playerId)) throw new RangeError(`${playerId} is not a player id`);
    if (this.add(playerId)) await this.save();
    if (this.presence) {
      await this.presence.sadd(SET_KEY, playerId);
      await this.presence.publish(CHANNEL, playerId);
    } else {
      this.tell(playerId);
    }
  }

  /** Calls `listener` with each player revoked from now on (rooms close their sessions). */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private readonly onRevoked = (message: unknown): void => {
    if (typeof message !== "string" || !PLAYER_ID.test(message)) return;
    if (this.add(message)) void this.save();
    this.tell(message);
  };

  private tell(playerId: string): void {
    for (const listener of this.listeners) listener(playerId);
  }

  private add(playerId: string): boolean {
    if (this.players.has(playerId)) return false;
    this.players.add(playerId);
    return true;
  }

  /** Writes the file whole (a temporary, then renamed over it), one write at a time. */
  private save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      await mkdir(join(this.path, ".."), { recursive: true });
      const temporary = `${this.path}.tmp`;
      await writeFile(temporary, `${JSON.stringify([...this.players])}\n`, { mode: 0o600 });
      await rename(temporary, this.path);
    });
    return this.saving;
  }
}
