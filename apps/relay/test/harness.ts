import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client as ColyseusClient } from "@colyseus/sdk";
import { RelayMessage, decodeSnapshot, type SessionResponse } from "@tessera/protocol";
import type { WorldClient } from "@tessera/sdk";
import { readRelayConfig, type RelayConfig } from "../src/config.ts";
import { createLogger, type Logger } from "../src/log.ts";
import { startRelay, type Relay, type StartOptions } from "../src/relay.ts";
import type { Prim } from "@tessera/prims";

/**
 * Starts a real relay on a free port with a fresh data directory (unless `overrides` names one),
 * whose empty world store is given `world` (the demo world without it).
 */
export async function startTestRelay(overrides: Partial<RelayConfig> = {}, world?: readonly Prim[], options: Omit<StartOptions, "world"> = {}): Promise<Relay> {
  const dataDir = await mkdtemp(join(tmpdir(), "tessera-relay-"));
  const config = { ...readRelayConfig({}, []), port: 0, host: "127.0.0.1", dataDir, clientDir: join(dataDir, "no-client"), ...overrides };
  return startRelay(config, { log: createLogger({ quiet: true }), ...(world ? { world } : {}), ...options });
}

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/** Starts the relay as its own process, as `npm start` does; resolves (with when it first answered) once it answers. */
export async function startRelayProcess(port: number, dataDir: string): Promise<{ child: ChildProcess; answeredAt: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir },
    stdio: "ignore",
  });
  const deadline = performance.now() + 20_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (ok) return { child, answeredAt: performance.now() };
    if (performance.now() > deadline) throw new Error(`the relay on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A logger that keeps every line it is given (refusals and info included), for tests that read the log. */
export function recordingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ write: (_level, line) => lines.push(line) }), lines };
}

/** A new guest identity from the relay at `url`. */
export async function newSession(url: string, name?: string): Promise<SessionResponse> {
  const response = await fetch(`${url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(name ? { name } : {}) });
  if (response.status !== 201) throw new Error(`POST /api/session: ${response.status} ${await response.text()}`);
  return (await response.json()) as SessionResponse;
}

/** Polls `probe` (which may be async) until it returns a truthy value; fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Calls `tick` at 30 Hz for `ms`, or until `done` says so. */
export async function every30Hz(ms: number, tick: () => void, done: () => boolean = () => false): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end && !done()) {
    tick();
    await new Promise((resolve) => setTimeout(resolve, 1000 / 30));
  }
}

/** Sends exactly `ticks` ticks of input at 30 Hz and waits until the relay has simulated them all. */
export async function walk(client: WorldClient, keys: number, ticks: number, yaw = 0): Promise<void> {
  let last = 0;
  let sent = 0;
  await every30Hz(60_000, () => {
    if (sent++ < ticks) last = client.sendInput(keys, yaw);
  }, () => sent >= ticks);
  await waitFor("the relay to simulate every input", () => client.ownAvatar?.ack === last, 5000);
}

/**
 * A bare client that watches one tile (opening it if need be) and writes down every pose of one
 * physical prim its snapshots carry, by tick.
 */
export async function watchBody(url: string, tileId: string, bodyId: number) {
  const { token } = (await (await fetch(`${url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as SessionResponse;
  await fetch(`${url}/api/tiles/${tileId}/open`, { method: "POST" });
  const colyseus = new ColyseusClient(url);
  colyseus.auth.token = token;
  const room = await colyseus.joinById(tileId, {});
  const samples: { tick: number; x: number }[] = [];
  room.onMessage(RelayMessage.Prims, () => undefined);
  room.onMessage(RelayMessage.Snapshot, (bytes: Uint8Array) => {
    const snapshot = decodeSnapshot(bytes);
    for (const body of snapshot.bodies) if (body.id === bodyId) samples.push({ tick: snapshot.tick, x: body.x });
  });
  return { room, samples };
}

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
