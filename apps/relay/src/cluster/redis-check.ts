import { Redis } from "ioredis";

/** The URL with its password masked, for messages. */
export function redactRedisUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

/** Resolves once the Redis at `url` answers a PING; rejects at once, with a hint, when it does not. */
export async function pingRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The connection's own error (ECONNREFUSED, ...) says more than the rejected command.
  let connectionError: Error | undefined;
  redis.on("error", (error: Error) => (connectionError ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const reason = connectionError ?? (error as Error);
    throw new Error(
      `Redis does not answer at ${redactRedisUrl(url)} (${reason.message}). ` +
        `Start one (redis-server --save "" --appendonly no) or point REDIS_URL / --redis-url at one.`,
      { cause: error },
    );
  } finally {
    redis.disconnect();
  }
}
