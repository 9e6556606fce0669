import { matchMaker, type IRoomCache } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { Redis } from "ioredis";
import { channelNamespace, connectionDb } from "./world-presence.ts";

/** The hash where RedisDriver keeps every room listing, as JSON by room id. */
const ROOMCACHES_KEY = "roomcaches";

/**
 * Colyseus's Redis room listings with the two guards a world of fixed room ids needs:
 *
 * - `insert` is atomic (colyseus#978: RedisDriver 0.18.3 has none, so core falls back to `persist`
 *   and two processes can both create `tile_3_2`). Core calls it for every new room; on `false`
 *   it discards its room and returns the listing that won.
 * - `cleanup` keeps the listings of a process that missed a health check but is still connected
 *   (colyseus#968).
 *
 * The inherited client is private (and of the driver's own ioredis major), so these commands go
 * through a second connection.
 */
export class ClusterRedisDriver extends RedisDriver {
  private readonly redis: Redis;
  /** This world's channel prefix, as WorldPresence puts it on every channel (same URL, same database). */
  private readonly namespace: string;

  constructor(url: string) {
    super(url);
    this.redis = new Redis(url);
    this.namespace = channelNamespace(connectionDb(this.redis));
  }

  /** Stores the listing unless its room id is taken: `HSETNX`, serialised as `persist` does. */
  async insert(room: IRoomCache): Promise<boolean> {
    return (await this.redis.hsetnx(ROOMCACHES_KEY, room.roomId, JSON.stringify(room))) === 1;
  }

  /**
   * Core removes every listing of a process whose health check timed out once, though the rooms
   * live on; it puts them back only when that process next polls its "swept" receipt, up to 5 s
   * later, and meanwhile a tile could be opened a second time elsewhere. A process still
   * subscribed to its IPC channel (the test core itself applies at boot) is busy, not gone: its
   * listings stay. A crashed process's connection closes at once, so its listings still go; one
   * whose machine vanished keeps them until Redis notices the dead connection.
   */
  override async cleanup(processId: string): Promise<void> {
    if (processId !== matchMaker.processId && (await this.isConnected(processId))) return;
    await super.cleanup(processId);
  }

  override async shutdown(): Promise<void> {
    await Promise.all([super.shutdown(), this.redis.quit()]);
  }

  /** Whether the process still listens on its IPC channel (`p:<processId>` in core, `db<N>:p:<processId>` in Redis). */
  private async isConnected(processId: string): Promise<boolean> {
    const [, subscribers] = (await this.redis.pubsub("NUMSUB", `${this.namespace}p:${processId}`)) as [string, number];
    return subscribers > 0;
  }
}
