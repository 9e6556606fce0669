import { Redis } from "ioredis";

/**
 * The e2e cluster: empties its Redis database (what an earlier run left there would name relays
 * that are gone), then runs `npm run cluster`'s launcher with this script's arguments.
 */
const redis = new Redis(process.env.REDIS_URL ?? "");
await redis.flushdb();
redis.disconnect();
await import("../apps/relay/src/cluster-cli.ts");
