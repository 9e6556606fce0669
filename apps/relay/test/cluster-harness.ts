import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll } from "vitest";
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
  /** Resolves once the process has exited, however. */
  exited: Promise<void>;
  health(): Promise<HealthResponse>;
  /** Resumes it if stopped (SIGSTOP), then SIGTERM (a graceful shutdown), SIGKILL if that takes over 5 s. */
  stop(): Promise<void>;
}

/** One secret for every relay a test starts: tokens from one are valid on all, as in a cluster. */
const CLUSTER_SECRET = randomBytes(32).toString("base64url");

/**
 * Every relay this test file started and that still runs. A file whose setup failed halfway (one
 * relay of two did not start) has no handle on the others: they are killed once the file is done
 * (vitest ends its worker with SIGTERM, which fires no "exit"), lest they live on, beating in the
 * directory of a database the next run reuses.
 */
const running = new Set<ChildProcess>();
const killRunning = () => {
  for (const child of running) child.kill("SIGKILL");
};
afterAll(killRunning);
process.once("exit", killRunning);

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
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child);
      resolve();
    }),
  );

  const port = await new Promise<number>((resolve, reject) => {
    // One that does not start is not left running.
    const fail = (error: Error) => {
      child.kill("SIGKILL");
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`the relay did not start in 30 s:\n${output}`)), 30_000);
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
    exited,
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

/** Where the relays of a world find each other (apps/relay/src/cluster/process-directory.ts). */
export const DIRECTORY_KEY = "tessera:processes";

/**
 * Puts a process that is not a relay into the world's directory as a live one (`{ host, port, beat }`,
 * `beat` in Redis's clock, as relays write it), refreshed every second until `stop()`.
 */
export async function livePeer(redis: Redis, processId: string, address: { host: string; port: number }): Promise<{ stop(): Promise<void> }> {
  const beat = async () => {
    const [seconds, micros] = await redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    await redis.hset(DIRECTORY_KEY, processId, JSON.stringify({ ...address, beat: now }));
  };
  await beat();
  const timer = setInterval(() => void beat().catch(() => undefined), 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      await redis.hdel(DIRECTORY_KEY, processId);
    },
  };
}

/** A seat in `tile` reserved through `relay` for a new guest: its session id is what a room socket's URL carries. */
export async function reserveSeat(relay: { url: string }, tile: string): Promise<{ sessionId: string; processId: string }> {
  const session = (await (await fetch(`${relay.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { token: string };
  const response = await fetch(`${relay.url}/matchmake/joinById/${tile}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${session.token}` },
    body: "{}",
  });
  if (!response.ok) throw new Error(`no seat in ${tile}: ${response.status} ${await response.text()}`);
  const seat = (await response.json()) as { sessionId: string; processId: string };
  return { sessionId: seat.sessionId, processId: seat.processId };
}

/** A plain TCP server that answers nothing unless told to, and writes down every connection and byte. */
export interface RecordingServer {
  port: number;
  /** The bytes of each connection, in order of arrival. */
  connections: Buffer[][];
  /** Everything every connection sent, as text. */
  received(): string;
  close(): Promise<void>;
}

/** Starts a {@link RecordingServer} on `port` (0: any); `onConnection` may answer. */
export async function recordingServer(port = 0, onConnection?: (socket: Socket, data: () => Buffer) => void): Promise<RecordingServer> {
  const connections: Buffer[][] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const chunks: Buffer[] = [];
    connections.push(chunks);
    sockets.add(socket);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
    onConnection?.(socket, () => Buffer.concat(chunks));
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections,
    received: () => connections.map((chunks) => Buffer.concat(chunks).toString("latin1")).join(""),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The head of a WebSocket opening handshake for `path` (a real one unless `headers` says otherwise), without its blank line. */
export function upgradeHead(path: string, headers: Record<string, string | undefined> = {}): string {
  const all: Record<string, string | undefined> = {
    Host: "127.0.0.1",
    Connection: "Upgrade",
    Upgrade: "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
    ...headers,
  };
  const lines = [`GET ${path} HTTP/1.1`];
  for (const [name, value] of Object.entries(all)) if (value !== undefined) lines.push(`${name}: ${value}`);
  return lines.join("\r\n");
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** From the first byte sent to the server's hang-up. */
  elapsedMs: number;
}

/**
 * Sends `head` (a request head without its blank line), then `extra` in the same write, then `later`
 * once the server has had `laterMs` to read them; reads until the server hangs up (or `timeoutMs`).
 */
export async function rawRequest(
  port: number,
  head: string,
  options: { extra?: string; later?: string; laterMs?: number; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const started = performance.now();
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()).once("end", () => resolve()));
  socket.on("error", () => undefined);
  socket.write(`${head}\r\n\r\n${options.extra ?? ""}`);
  if (options.later !== undefined) setTimeout(() => socket.writable && socket.write(options.later!), options.laterMs ?? 200);
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, options.timeoutMs ?? 15_000));
  await Promise.race([closed, timeout]);
  const elapsedMs = performance.now() - started;
  socket.destroy();
  const text = Buffer.concat(chunks).toString("utf8");
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return { status: 0, headers: {}, body: text, elapsedMs };
  const [statusLine, ...headerLines] = text.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1] ?? 0), headers, body: text.slice(end + 4), elapsedMs };
}
