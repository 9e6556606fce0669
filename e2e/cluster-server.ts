import { Redis } from "ioredis";
import { Pool } from "pg";

/**
 * The e2e cluster: empties its Redis database (what an earlier run left there would name relays
 * that are gone) and drops its world's schema (an earlier run's prims), then runs `npm run
 * cluster`'s launcher with this script's arguments.
 */
const redis = new Redis(process.env.REDIS_URL ?? "");
await redis.flushdb();
redis.disconnect();
const postgres = new Pool({ connectionString: process.env.DATABASE_URL });
await postgres.query(`DROP SCHEMA IF EXISTS "${process.env.DATABASE_SCHEMA ?? ""}" CASCADE`);
await postgres.end();
await import("../apps/relay/src/cluster-cli.ts");
