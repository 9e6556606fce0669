import { RedisPresence } from "@colyseus/redis-presence";

/**
 * The prefix of every pub/sub channel of the world kept in Redis database `db`: `db5:` for
 * `redis://host:6379/5`. Keys are kept apart by the database number, but Redis pub/sub ignores it:
 * without a prefix, two worlds on one Redis share `$tile_2_2` (room calls, handoffs, seat
 * reservations) and every other channel core uses.
 */
export function channelNamespace(db: number | string | undefined): string {
  return `db${Number(db ?? 0)}:`;
}

/** A Redis connection's own database number, as ioredis parsed it from the URL (`/N`, `?db=N`, else 0). */
export function connectionDb(redis: { options: { db?: number | string } }): number {
  return Number(redis.options.db ?? 0);
}

/** What a Lua script needs from a Redis connection (ioredis 5 and 6 alike). */
export interface ScriptRunner {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

type Listener = Parameters<RedisPresence["subscribe"]>[1];

/**
 * Colyseus's RedisPresence for one world among several on one Redis: every channel core subscribes,
 * unsubscribes, publishes or lists (`p:<processId>`, `$<roomId>`, `ipc:<requestId>`, the lobby,
 * `concurrent:*`) carries the world's namespace in Redis and none in Colyseus. Rooms' scoped
 * presences delegate to these methods, so they are covered too.
 *
 * Messages arrive under the prefixed name, which is the name the base class keeps its listeners
 * under (subscribe stores the prefixed topic), and so does its resubscription after a reconnect.
 */
export class WorldPresence extends RedisPresence {
  /** `db<N>:`, from the connection's database number. */
  readonly namespace: string;

  constructor(url: string) {
    super(url);
    this.namespace = channelNamespace(connectionDb(this.pub as unknown as { options: { db?: number | string } }));
  }

  /** Runs Lua on the command connection, after every command sent before it (one connection, in order). */
  get scripts(): ScriptRunner {
    return this.pub;
  }

  override subscribe(topic: string, callback: Listener): Promise<this> {
    return super.subscribe(this.namespace + topic, callback);
  }

  override unsubscribe(topic: string, callback?: Listener): Promise<this> {
    return super.unsubscribe(this.namespace + topic, callback);
  }

  override publish(topic: string, data: unknown): Promise<void> {
    return super.publish(this.namespace + topic, data);
  }

  /** This world's channels matching `pattern`, by their names in Colyseus (core lists `p:*` to find live processes). */
  override async channels(pattern = "*"): Promise<string[]> {
    const channels = await super.channels(this.namespace + pattern);
    return channels.filter((channel) => channel.startsWith(this.namespace)).map((channel) => channel.slice(this.namespace.length));
  }
}
