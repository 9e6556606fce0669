import { describe, expect, it } from "vitest";
import { readClusterArgs } from "../src/cluster/cluster-args.ts";
import { readRelayConfig } from "../src/config.ts";

describe("REDIS_URL", () => {
  it("is read from the environment or --redis-url, and absent by default", () => {
    expect(readRelayConfig({}, []).redisUrl).toBeUndefined();
    expect(readRelayConfig({ REDIS_URL: "redis://127.0.0.1:6379/5" }, []).redisUrl).toBe("redis://127.0.0.1:6379/5");
    expect(readRelayConfig({ REDIS_URL: "redis://a:6379" }, ["--redis-url", "rediss://:pw@b:6380"]).redisUrl).toBe("rediss://:pw@b:6380");
  });

  it.each(["http://127.0.0.1:6379", "127.0.0.1:6379", "redis://", "redis:/host"])("refuses %s with a clear error", (url) => {
    expect(() => readRelayConfig({ REDIS_URL: url }, [])).toThrow(/redis-url: redis url must look like "redis:\/\/host:6379"/);
  });
});

describe("npm run cluster flags", () => {
  const env = { DATABASE_URL: "postgres://world@db:5432/tessera" };

  it("takes --processes and passes the other flags on to every relay", () => {
    expect(readClusterArgs(env, [])).toMatchObject({ processes: 2, relayArgs: [], redisUrl: "redis://127.0.0.1:6379", config: { port: 2567, databaseUrl: env.DATABASE_URL } });
    const args = readClusterArgs({ ...env, REDIS_URL: "redis://r:1/2" }, ["--grid", "8x8", "--processes=4", "--port", "3000"]);
    expect(args).toMatchObject({ processes: 4, relayArgs: ["--grid", "8x8", "--port", "3000"], redisUrl: "redis://r:1/2", config: { port: 3000 } });
    expect(readClusterArgs(env, ["--processes", "16"]).processes).toBe(16);
  });

  it("needs PostgreSQL, and says so", () => {
    expect(() => readClusterArgs({}, [])).toThrow(/keep the world in PostgreSQL, which they share: set DATABASE_URL/);
    expect(() => readClusterArgs({ DATABASE_URL: "mysql://db/x" }, [])).toThrow(/database url must look like "postgres:\/\//);
  });

  it.each([
    [["--processes", "0"], /processes must be at least 1/],
    [["--processes", "17"], /processes must be at most 16/],
    [["--processes", "two"], /processes must be a whole number/],
    [["--processes"], /--processes needs a value/],
    [["--port", "0"], /give a port other than 0/],
    [["--port", "65535", "--processes", "2"], /ports 65535-65536 run past 65535/],
    [["--colour", "red"], /Unknown option.*Known flags/],
  ])("refuses %j with a clear error", (argv, message) => {
    expect(() => readClusterArgs(env, argv)).toThrow(message);
  });
});
