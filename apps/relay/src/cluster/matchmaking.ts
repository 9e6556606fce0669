import type { ServerOptions } from "@colyseus/core";
import { ClusterRedisDriver } from "./redis-driver.ts";
import { leastLoadedProcess } from "./placement.ts";
import { pingRedis } from "./redis-check.ts";
import { WorldPresence } from "./world-presence.ts";

type MatchmakingOptions = Pick<ServerOptions, "presence" | "driver" | "selectProcessIdToCreateRoom">;

/**
 * Where the matchmaker keeps its state. Without Redis: in this process (Colyseus's defaults, one
 * relay). With it: every relay on the same Redis (and database number) shares one world's room
 * listings, IPC and placement. Pub/sub channels ignore the database number: the presence prefixes
 * them with it (world-presence.ts), so each database of one Redis holds a world of its own.
 */
export async function matchmakingOptions(redisUrl: string | undefined): Promise<MatchmakingOptions> {
  if (!redisUrl) return {};
  // Fail at once: presence and driver would wait for Redis forever, and the relay with them.
  await pingRedis(redisUrl);
  return {
    presence: new WorldPresence(redisUrl),
    driver: new ClusterRedisDriver(redisUrl),
    selectProcessIdToCreateRoom: leastLoadedProcess,
  };
}
