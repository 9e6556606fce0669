import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import type { HealthResponse } from "@tessera/protocol";
import { pingRedis } from "../src/cluster/redis-check.ts";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/**
 * Connects to the Redis at `url` (its database number included) or says why it cannot. With
 * REQUIRE_SERVICES=1 (CI) a missing Redis fails the test file; otherwise it is skipped, saying so.
 */
export async function requireRedis(url: string, what: string): Promise<Redis | undefined> {
  try {
    await pingRedis(url);
  } catch (error) {
    const message = `${what} need Redis. ${(error as Error).message}`;
    if (process.env.REQUIRE_SERVICES === "1") throw new Error(`${message} REQUIRE_SERVICES=1 makes that a failure.`, { cause: error });
    console.warn(`Skipping: ${message}`);
    return undefined;
  }
  return new Redis(url);
}

/** A relay running as its own process, as in production. */
export interface RelayProcess {
  url: string;
  port: number;
  /** Its Colyseus process id, as room listings and socket paths name it. */
  processId: string;
  child: ChildProcess;
  health(): Promise<HealthResponse>;
  /** Resumes it if stopped (SIGSTOP), then SIGTERM (a graceful shutdown), SIGKILL if that takes over 5 s. */
  stop(): Promise<void>;
}

/** One secret for every relay a test starts: tokens from one are valid on all, as in a cluster. */
const CLUSTER_SECRET = randomBytes(32).toString("base64url");

/**
 * Starts `tsx apps/relay/src/main.ts` on a free port with the given Redis (and `env` besides) and waits until it prints
 * its address (it has registered itself and opened its spawn tile: /api/health answers 200), then
 * learns its process id from the directory in Redis.
 */
export async function startRelayProcess(redisUrl: string, redis: Redis, env: Record<string, string> = {}): Promise<RelayProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), "tessera-cluster-"));
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      CLIENT_DIR: join(dataDir, "no-client"),
      AUTH_SECRET: CLUSTER_SECRET,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the relay did not start in 20 s:\n${output}`)), 20_000);
    child.stdout.on("data", () => {
      const match = /Open http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the relay exited (${code ?? signal}) while starting:\n${output}`));
    });
  });
  const directory = await redis.hgetall("tessera:processes");
  const processId = Object.keys(directory).find((id) => (JSON.parse(directory[id]!) as { port: number }).port === port);
  if (!processId) throw new Error(`the relay on port ${port} is not in tessera:processes`);

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    processId,
    child,
    health: async () => (await (await fetch(`${url}/api/health`)).json()) as HealthResponse,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGCONT");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
