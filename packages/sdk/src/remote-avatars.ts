import type { EntityMotion } from "@tessera/protocol";
import { AvatarTrack } from "./tracks.ts";

/** Another avatar. Positions are world metres, feet on the ground. */
export interface RemoteAvatar {
  /** Player id, the same in every tile. */
  readonly id: string;
  name: string;
  /** The latest state a relay sent. */
  x: number;
  y: number;
  z: number;
  yaw: number;
  flags: number;
  /** When the latest snapshot of it arrived (ms, the client's clock). */
  receivedAt: number;
  /** Where it is shown: interpolated between snapshots, as of the last `frame`. */
  readonly shown: { x: number; y: number; z: number; yaw: number };
}

/**
 * An avatar no joined tile lists any more is kept this long, ms: when it crosses into a neighbour
 * the old tile's roster may drop it before the new one's names it, and its track should run on.
 */
const UNLISTED_GRACE_MS = 1000;

/**
 * Other players' avatars, by player id, whichever tile's snapshots describe them. Every tile
 * counts ticks on the world's clock, so an avatar handed from one tile to the next keeps one track
 * and glides on; it is forgotten only when no joined tile has listed it for a moment.
 */
export class RemoteAvatars {
  private readonly byId = new Map<string, RemoteAvatar>();
  private readonly tracks = new Map<string, AvatarTrack>();
  /** When each avatar was last seen unlisted by every tile (absent: listed). */
  private readonly unlistedSince = new Map<string, number>();

  get size(): number {
    return this.byId.size;
  }

  values(): IterableIterator<RemoteAvatar> {
    return this.byId.values();
  }

  /** A snapshot's sample of an avatar; true when the avatar is new here. */
  push(id: string, name: string, tick: number, motion: Readonly<EntityMotion>, now: number): boolean {
    let track = this.tracks.get(id);
    if (!track) this.tracks.set(id, (track = new AvatarTrack()));
    const { x, y, z, yaw, flags } = motion;
    track.push({ tick, x, y, z, yaw, flags }, now);
    const remote = this.byId.get(id);
    if (!remote) {
      this.byId.set(id, { id, name, x, y, z, yaw, flags, receivedAt: now, shown: { x, y, z, yaw } });
      return true;
    }
    remote.name = name;
    if (track.newest?.tick !== tick) return false;
    remote.x = x;
    remote.y = y;
    remote.z = z;
    remote.yaw = yaw;
    remote.flags = flags;
    remote.receivedAt = now;
    return false;
  }

  /** Moves every avatar to where it is shown at `renderTick`. */
  show(renderTick: number, now: number): void {
    for (const [id, remote] of this.byId) {
      const track = this.tracks.get(id);
      if (track?.show(renderTick, now, remote.shown)) remote.shown.yaw = track.yawAt(renderTick);
    }
  }

  /** Forgets avatars that `listed` has denied for longer than the grace; true when any went. */
  prune(listed: (id: string) => boolean, now: number): boolean {
    let changed = false;
    for (const id of this.byId.keys()) {
      if (listed(id)) {
        this.unlistedSince.delete(id);
        continue;
      }
      const since = this.unlistedSince.get(id) ?? now;
      this.unlistedSince.set(id, since);
      if (now - since < UNLISTED_GRACE_MS) continue;
      this.forget(id);
      changed = true;
    }
    return changed;
  }

  forget(id: string): void {
    this.byId.delete(id);
    this.tracks.delete(id);
    this.unlistedSince.delete(id);
  }

  clear(): void {
    this.byId.clear();
    this.tracks.clear();
    this.unlistedSince.clear();
  }
}
